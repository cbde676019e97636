import { thrownBy } from '../helpers/thrown';
import { InvalidEnvError, parseEnv } from '../../src/env';

const valid = {
  APP_KEYS: 'aaaaaaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbbbbbb',
  API_TOKEN_SALT: 'cccccccccccccccccccc',
  ADMIN_JWT_SECRET: 'dddddddddddddddddddd',
  TRANSFER_TOKEN_SALT: 'eeeeeeeeeeeeeeeeeeee',
  JWT_SECRET: 'ffffffffffffffffffff',
  ENCRYPTION_KEY: 'gggggggggggggggggggg',
};

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

function messageFor(overrides: Record<string, string | undefined>): string {
  const error = thrownBy(() => parseEnv({ ...valid, ...overrides }));
  expect(error).toBeInstanceOf(InvalidEnvError);
  return error.message;
}

describe('environment', () => {
  it('defaults to SQLite under .tmp/ with the story seeded', () => {
    const env = parseEnv(valid);
    expect(env).toMatchObject({
      DATABASE_CLIENT: 'sqlite',
      DATABASE_FILENAME: '.tmp/data.db',
      PORT: 1337,
      SEED_STORY: true,
      CORS_ORIGINS: ['*'],
    });
    expect(env.APP_KEYS).toEqual(['aaaaaaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbbb']);
  });

  it('reads PostgreSQL settings', () => {
    const env = parseEnv({
      ...valid,
      DATABASE_CLIENT: 'postgres',
      DATABASE_URL: 'postgres://app:pw@db.internal:5432/newsroom',
      DATABASE_POOL_MAX: '20',
      DATABASE_SSL: 'true',
    });
    expect(env).toMatchObject({ DATABASE_CLIENT: 'postgres', DATABASE_POOL_MAX: 20, DATABASE_SSL: true });
  });

  it('reads rebuild targets, a rotation pair of secrets and URL patterns', () => {
    const env = parseEnv({
      ...valid,
      REBUILD_WEBHOOK_URLS: 'https://a.example.com/hook, https://b.example.com/hook',
      REBUILD_WEBHOOK_SECRET: `${SECRET} ${SECRET.replace('Bw', 'Cw')}`,
      SITE_PATH_PATTERNS: 'article=/stories/{slug}',
    });
    expect(env).toMatchObject({
      REBUILD_WEBHOOK_URLS: ['https://a.example.com/hook', 'https://b.example.com/hook'],
      REBUILD_DEBOUNCE_MS: 2000,
      SITE_PATH_PATTERNS: { article: '/stories/{slug}' },
    });
    expect(env.REBUILD_WEBHOOK_SECRET).toHaveLength(2);
  });

  it('reads the site: defaults outside production, the old name of the URL patterns', () => {
    const env = parseEnv(valid);
    expect(env.SITE_PATH_PATTERNS).toEqual({ article: '/{locale}/news/{slug}', articles: '/{locale}/news', entity: '/topics/{slug}' });
    expect(env.SITEMAP_PUBLIC_PREFIX).toBe('/sitemaps/');
    expect(parseEnv({ ...valid, REBUILD_PATH_PATTERNS: 'article=/s/{slug}' }).SITE_PATH_PATTERNS).toEqual({ article: '/s/{slug}' });
    expect(parseEnv({ ...valid, REBUILD_PATH_PATTERNS: 'article=/s/{slug}', SITE_PATH_PATTERNS: 'article=/t/{slug}' }).SITE_PATH_PATTERNS).toEqual({ article: '/t/{slug}' });
    const production = parseEnv({ ...valid, NODE_ENV: 'production', CORS_ORIGINS: 'https://www.example.com', SITE_URL: 'https://www.example.com', SITE_NAME: ' The Example ' });
    expect(production).toMatchObject({ SITE_URL: 'https://www.example.com', SITE_NAME: 'The Example' });
  });

  it('treats empty values as unset', () => {
    expect(parseEnv({ ...valid, PORT: '', ADMIN_EMAIL: '', SEED_STORY: '' })).toMatchObject({ PORT: 1337, SEED_STORY: true });
  });

  it.each([
    [{ ADMIN_JWT_SECRET: undefined }, 'Invalid configuration: ADMIN_JWT_SECRET is required'],
    [{ JWT_SECRET: '' }, 'Invalid configuration: JWT_SECRET is required'],
    [{ API_TOKEN_SALT: 'tobemodified' }, 'Invalid configuration: API_TOKEN_SALT is a placeholder value; set a random one (see .env.example)'],
    [{ APP_KEYS: 'toBeModified1,toBeModified2' }, 'Invalid configuration: APP_KEYS is a placeholder value; set a random one (see .env.example)'],
    [{ APP_KEYS: 'aaaaaaaaaaaaaaaaaaaa' }, 'Invalid configuration: APP_KEYS needs at least two comma-separated keys so keys can be rotated'],
    [{ ENCRYPTION_KEY: 'short' }, 'Invalid configuration: ENCRYPTION_KEY must be at least 16 characters'],
    [{ PORT: 'eighty' }, 'Invalid configuration: PORT must be a whole number'],
    [{ PORT: '70000' }, 'Invalid configuration: PORT must be at most 65535'],
    [{ DATABASE_CLIENT: 'mysql' }, 'Invalid configuration: DATABASE_CLIENT must be sqlite or postgres'],
    [{ DATABASE_CLIENT: 'postgres' }, 'Invalid configuration: DATABASE_URL is required when DATABASE_CLIENT=postgres'],
    [
      { DATABASE_CLIENT: 'postgres', DATABASE_URL: 'mysql://x@y/z' },
      'Invalid configuration: DATABASE_URL must be a URL like postgres://user:password@host:5432/database',
    ],
    [{ DATABASE_POOL_MIN: '5', DATABASE_POOL_MAX: '2' }, 'Invalid configuration: DATABASE_POOL_MIN must not exceed DATABASE_POOL_MAX'],
    [{ SEED_STORY: 'yes' }, 'Invalid configuration: SEED_STORY must be true or false'],
    [{ PUBLIC_URL: 'cms.example.com' }, 'Invalid configuration: PUBLIC_URL must be an absolute URL, e.g. https://cms.example.com'],
    [{ ADMIN_EMAIL: 'not-an-email', ADMIN_PASSWORD: 'Passw0rdPass' }, 'Invalid configuration: ADMIN_EMAIL must be an email address'],
    [{ ADMIN_EMAIL: 'admin@example.com' }, 'Invalid configuration: ADMIN_PASSWORD is required when ADMIN_EMAIL is set'],
    [{ ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'password1' }, 'Invalid configuration: ADMIN_PASSWORD must contain an uppercase letter'],
    [{ EDITOR_PASSWORD: 'Passw0rdPass' }, 'Invalid configuration: EDITOR_EMAIL is required when EDITOR_PASSWORD is set'],
    [{ REBUILD_WEBHOOK_URLS: 'https://site.example.com/hook,ftp://x' }, 'Invalid configuration: REBUILD_WEBHOOK_URLS must be absolute http(s) URLs'],
    [{ REBUILD_WEBHOOK_URLS: 'https://site.example.com/hook' }, 'Invalid configuration: REBUILD_WEBHOOK_SECRET is required when REBUILD_WEBHOOK_URLS is set'],
    [{ REBUILD_WEBHOOK_SECRET: 'hunter2' }, 'Invalid configuration: REBUILD_WEBHOOK_SECRET must be whsec_ followed by base64 (the Standard Webhooks format)'],
    [{ REBUILD_WEBHOOK_SECRET: 'whsec_c2hvcnQ=' }, 'Invalid configuration: REBUILD_WEBHOOK_SECRET must encode 24 to 64 bytes after whsec_'],
    [{ REBUILD_WEBHOOK_SECRET: `${SECRET} ${SECRET} ${SECRET}` }, 'Invalid configuration: REBUILD_WEBHOOK_SECRET takes at most two secrets (the new one first, during a rotation)'],
    [{ REBUILD_DEBOUNCE_MS: 'soon' }, 'Invalid configuration: REBUILD_DEBOUNCE_MS must be a whole number'],
    [{ REQUEST_DEADLINE_MS: '50' }, 'Invalid configuration: REQUEST_DEADLINE_MS must be at least 100'],
    [{ REQUEST_DEADLINE_MS: 'a while' }, 'Invalid configuration: REQUEST_DEADLINE_MS must be a whole number'],
    [{ REBUILD_PATH_PATTERNS: 'page=/x/{slug}' }, 'Invalid configuration: REBUILD_PATH_PATTERNS must be type=/path pairs, e.g. article=/{locale}/news/{slug}; types: article, articles, entity'],
    [{ SITE_PATH_PATTERNS: 'article=news' }, 'Invalid configuration: SITE_PATH_PATTERNS must be type=/path pairs, e.g. article=/{locale}/news/{slug}; types: article, articles, entity'],
    [{ SITE_URL: 'https://www.example.com/news' }, "Invalid configuration: SITE_URL must be the public site's origin, e.g. https://www.example.com (scheme, host and port only)"],
    [{ SITE_URL: 'ftp://example.com' }, "Invalid configuration: SITE_URL must be the public site's origin, e.g. https://www.example.com (scheme, host and port only)"],
    [{ SITE_NAME: ' ' }, 'Invalid configuration: SITE_NAME must not be empty'],
    [{ SITE_LOGO_URL: 'logo.png' }, 'Invalid configuration: SITE_LOGO_URL must be an absolute http(s) URL, e.g. https://www.example.com/logo.png'],
    [{ SITEMAP_PUBLIC_PREFIX: 'sitemaps' }, 'Invalid configuration: SITEMAP_PUBLIC_PREFIX must be a path that starts and ends with /, e.g. /sitemaps/'],
    [{ NODE_ENV: 'production', CORS_ORIGINS: 'https://www.example.com' }, 'Invalid configuration: SITE_URL is required in production (feeds, sitemaps and structured data name the public site)'],
    [{ NODE_ENV: 'production', CORS_ORIGINS: 'https://www.example.com', SITE_URL: 'https://www.example.com' }, 'Invalid configuration: SITE_NAME is required in production (feeds, sitemaps and structured data name the public site)'],
    [{ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'maybe' }, 'Invalid configuration: WEBHOOK_ALLOW_PRIVATE_TARGETS must be true or false'],
    [{ UPLOAD_PROVIDER: 'gcs' }, 'Invalid configuration: UPLOAD_PROVIDER must be local or s3'],
    [{ UPLOAD_PROVIDER: 's3' }, 'Invalid configuration: S3_BUCKET is required when UPLOAD_PROVIDER=s3'],
    [{ UPLOAD_PROVIDER: 's3', S3_BUCKET: 'media' }, 'Invalid configuration: S3_PUBLIC_URL is required when UPLOAD_PROVIDER=s3'],
    [{ S3_BUCKET: 'My_Bucket' }, 'Invalid configuration: S3_BUCKET must be a bucket name: 3 to 63 lowercase letters, digits, dots or dashes'],
    [{ S3_REGION: 'US East' }, 'Invalid configuration: S3_REGION must be a region such as us-east-1 (auto for Cloudflare R2)'],
    [{ S3_ENDPOINT: 'minio:9000' }, 'Invalid configuration: S3_ENDPOINT must be an absolute http(s) URL, e.g. https://<account>.r2.cloudflarestorage.com'],
    [{ S3_FORCE_PATH_STYLE: 'yes' }, 'Invalid configuration: S3_FORCE_PATH_STYLE must be true or false'],
    [{ S3_PUBLIC_URL: '/media' }, 'Invalid configuration: S3_PUBLIC_URL must be the absolute http(s) URL files are served from, e.g. https://media.example.com'],
    [{ S3_PREFIX: '/uploads/' }, 'Invalid configuration: S3_PREFIX must be a key prefix such as uploads or media/cms (no leading or trailing /)'],
    [{ S3_ACL: 'public' }, 'Invalid configuration: S3_ACL must be public-read, private or bucket-owner-full-control (leave empty for buckets without ACLs)'],
    [{ S3_ACCESS_KEY_ID: 'AKIA0000' }, "Invalid configuration: S3_SECRET_ACCESS_KEY is required with its pair (or set neither to use the machine's AWS credentials)"],
    [{ S3_SECRET_ACCESS_KEY: 'shh' }, "Invalid configuration: S3_ACCESS_KEY_ID is required with its pair (or set neither to use the machine's AWS credentials)"],
    [{ PURGE_VARNISH_URLS: 'varnish:6081' }, 'Invalid configuration: PURGE_VARNISH_URLS must be absolute http(s) URLs'],
    [{ PURGE_FASTLY_SERVICE_ID: 'abc' }, 'Invalid configuration: PURGE_FASTLY_TOKEN is required with PURGE_FASTLY_SERVICE_ID'],
    [{ PURGE_FASTLY_TOKEN: 'tok' }, 'Invalid configuration: PURGE_FASTLY_SERVICE_ID is required with PURGE_FASTLY_TOKEN'],
    [{ PURGE_FASTLY_SERVICE_ID: 'a/b', PURGE_FASTLY_TOKEN: 'tok' }, 'Invalid configuration: PURGE_FASTLY_SERVICE_ID must be a Fastly service id (letters and digits)'],
    [{ PURGE_CLOUDFLARE_ZONE_ID: 'example.com', PURGE_CLOUDFLARE_TOKEN: 'tok' }, 'Invalid configuration: PURGE_CLOUDFLARE_ZONE_ID must be a Cloudflare zone id (32 hexadecimal characters)'],
    [{ PURGE_CLOUDFLARE_TOKEN: 'tok' }, 'Invalid configuration: PURGE_CLOUDFLARE_ZONE_ID is required with PURGE_CLOUDFLARE_TOKEN'],
    [{ PURGE_DEBOUNCE_MS: '10000' }, 'Invalid configuration: PURGE_DEBOUNCE_MS must be at most 5000'],
    [{ SHUTDOWN_GRACE_MS: 'soon' }, 'Invalid configuration: SHUTDOWN_GRACE_MS must be a whole number'],
    [{ SHUTDOWN_TIMEOUT_MS: '10' }, 'Invalid configuration: SHUTDOWN_TIMEOUT_MS must be at least 1000'],
    [{ SHUTDOWN_GRACE_MS: '10000', SHUTDOWN_TIMEOUT_MS: '10000' }, 'Invalid configuration: SHUTDOWN_GRACE_MS must be shorter than SHUTDOWN_TIMEOUT_MS (requests in flight need time to finish after the grace period)'],
  ])('rejects %j with one line naming the variable', (overrides, expected) => {
    const message = messageFor(overrides);
    expect(message).toBe(expected);
    expect(message).not.toContain('\n');
  });
});
