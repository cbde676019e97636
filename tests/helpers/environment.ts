/**
 * The environment every test file boots with (applied by test-env.ts, jest's setup file): random
 * secrets, no accounts from a developer's .env, and the database chosen by DATABASE_CLIENT (sqlite
 * unless the caller says postgres). Set before Strapi loads .env, which never overrides a variable
 * already set.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain-JS module shared with scripts/
const { randomSecrets } = require('../../scripts/secrets') as { randomSecrets: (appKeys?: number) => Record<string, string> };

/** The test environment, with fresh random secrets: every test file's, and the template databases' (tests/helpers/templates.ts). */
export function testEnvironment(): Record<string, string> {
  return {
    NODE_ENV: 'test',
    ...randomSecrets(),
    DATABASE_CLIENT: process.env.DATABASE_CLIENT || 'sqlite',
    SEED_STORY: 'true',
    LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
    ADMIN_EMAIL: '',
    ADMIN_PASSWORD: '',
    EDITOR_EMAIL: '',
    EDITOR_PASSWORD: '',
    AUTHOR_EMAIL: '',
    AUTHOR_PASSWORD: '',
    CORS_ORIGINS: '',
    // Tests make thousands of requests from one address; the rate-limit tests turn it on.
    RATE_LIMIT_ENABLED: 'false',
    REDIS_URL: '',
    REBUILD_WEBHOOK_URLS: '',
    REBUILD_WEBHOOK_SECRET: '',
    PURGE_VARNISH_URLS: '',
    PURGE_FASTLY_SERVICE_ID: '',
    PURGE_FASTLY_TOKEN: '',
    PURGE_CLOUDFLARE_ZONE_ID: '',
    PURGE_CLOUDFLARE_TOKEN: '',
    PUBLIC_URL: '',
    SITE_URL: '',
    SITE_NAME: '',
    SITE_LOGO_URL: '',
    SITE_PATH_PATTERNS: '',
    // A child server stops at once on SIGTERM unless a test asks for a drain (graceful-shutdown.test.ts).
    SHUTDOWN_GRACE_MS: '0',
    UPLOAD_PROVIDER: '',
    S3_BUCKET: '',
    S3_ENDPOINT: '',
    S3_ACCESS_KEY_ID: '',
    S3_SECRET_ACCESS_KEY: '',
    S3_PUBLIC_URL: '',
    S3_PREFIX: '',
    S3_ACL: '',
    // The AWS SDK warns once per process that its 2027 releases need Node 22 (this machine has 20).
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    STRAPI_TELEMETRY_DISABLED: 'true',
    BROWSER: 'none',
  };
}
