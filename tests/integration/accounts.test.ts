/**
 * What accounts may do, on one boot with a Super Admin from the environment (each module in
 * accounts/ was a test file with a boot of its own): the locales an admin adds and translates
 * into, the Public role's rights and what readers without a token see, then uploads through the
 * API and the media library (files up to 1 MB).
 */
import { accountsEnv } from '../helpers/admin';
import { gather, useStrapi } from '../helpers/strapi';

useStrapi({ env: { ...accountsEnv('ADMIN'), UPLOAD_MAX_BYTES: String(1024 * 1024) } });

describe('locales (locales)', gather(__dirname, 'accounts/locales'));
describe('public access (public-access)', gather(__dirname, 'accounts/public-access'));
describe('uploads (uploads)', gather(__dirname, 'accounts/uploads'));
