/**
 * Start-up's setup and the health check, on one boot of an unseeded database (each module in
 * setup-and-health/ was a test file with a boot of its own). The boot lock first: the health
 * module takes the database away and puts a new pool back.
 */
import { gather, useStrapi } from '../helpers/strapi';

useStrapi({ env: { SEED_STORY: 'false' } });

describe('the boot lock (boot-lock)', gather(__dirname, 'setup-and-health/boot-lock'));
describe('health and the OpenAPI document (health)', gather(__dirname, 'setup-and-health/health'));
