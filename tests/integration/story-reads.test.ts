/**
 * The seeded story read every way a frontend reads it, on one boot: each module in story-reads/
 * was a test file with a boot of its own (about 3 s of CPU each on this machine); here they share
 * one app and one database, each in a describe of its own so its hooks stay its own. The order is
 * fixed: first the modules that count what the seed made (story-rest, story-graphql, bad-input),
 * then the ones that add content (read-boundary's draft and reader, the generated queries' draft).
 */
import { gather, useStrapi } from '../helpers/strapi';

useStrapi();

describe('the story over REST (story-rest)', gather(__dirname, 'story-reads/story-rest'));
describe('the story over GraphQL (story-graphql)', gather(__dirname, 'story-reads/story-graphql'));
describe('bad input (bad-input)', gather(__dirname, 'story-reads/bad-input'));
describe('GraphQL arguments (graphql-arguments)', gather(__dirname, 'story-reads/graphql-arguments'));
describe('the read boundary (read-boundary)', gather(__dirname, 'story-reads/read-boundary'));
describe('generated GraphQL queries (graphql-generated-queries)', gather(__dirname, 'story-reads/graphql-generated-queries'));
describe('the filters the public may run (public-filters)', gather(__dirname, 'story-reads/public-filters'));
