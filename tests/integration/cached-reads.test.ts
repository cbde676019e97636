/**
 * The fast read paths, the read cache in front of them and the error boundary around them, on
 * one boot (each module in cached-reads/ was a test file with a boot of its own). The rebuild
 * dispatcher polls once in ten minutes and the scheduler once a minute, so neither runs during
 * the file; the cache is 8 MB (the generated inputs fill it); read-cache's two CORS origins (it
 * keys answers per Origin); uploads up to 256 KB and the public revision trail (the aimed
 * generated requests reach both). useStrapi refuses a module whose settings differ from these.
 * The synthetic archive last: it adds 1,200 articles.
 */
import { gather, useStrapi } from '../helpers/strapi';

useStrapi({
  env: {
    REBUILD_POLL_MS: '600000',
    SCHEDULE_INTERVAL_SECONDS: '60',
    CACHE_MAX_BYTES: String(8 * 1024 * 1024),
    CORS_ORIGINS: 'https://www.example.com,https://app.example.com',
    UPLOAD_MAX_BYTES: String(256 * 1024),
    PUBLIC_REVISIONS: 'true',
  },
});

describe('fast reads (fast-reads)', gather(__dirname, 'cached-reads/fast-reads'));
describe('the read cache (read-cache)', gather(__dirname, 'cached-reads/read-cache'));
describe('the error boundary (error-boundary)', gather(__dirname, 'cached-reads/error-boundary'));
describe('generated malformed requests (generated-inputs)', gather(__dirname, 'cached-reads/generated-inputs'));
describe('aimed generated requests (generated-routes)', gather(__dirname, 'cached-reads/generated-routes'));
describe('the synthetic archive (synthetic-seed)', gather(__dirname, 'cached-reads/synthetic-seed'));
