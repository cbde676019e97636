/**
 * Every environment variable the app reads, parsed once by one zod schema.
 *
 * A missing, malformed or placeholder value stops start-up with one line naming the variable
 * (see `loadEnv`). Config files and services read `loadEnv()`, never `process.env` directly.
 */
import path from 'node:path';
import { z } from 'zod';

/** Values copied from templates that must never reach a running server. */
const PLACEHOLDERS = /^(tobemodified\d*|changeme|change-me|replace-?me|secret|example|xxx+|todo)$/i;

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);

const notPlaceholder = (v: string) => !PLACEHOLDERS.test(v);
const PLACEHOLDER_MESSAGE = 'is a placeholder value; set a random one (see .env.example)';

const secretValue = (min = 16) =>
  z.string().refine(notPlaceholder, PLACEHOLDER_MESSAGE).min(min, `must be at least ${min} characters`);

const secret = (min = 16) => z.preprocess(emptyToUndefined, secretValue(min));

/** A comma-separated list of secrets, as Strapi's APP_KEYS expects. */
const secretList = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .transform((v) => v.split(',').map((s) => s.trim()))
    .pipe(z.array(secretValue()).min(2, 'needs at least two comma-separated keys so keys can be rotated')),
);

const bool = (fallback: boolean) =>
  z.preprocess(
    emptyToUndefined,
    z
      .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1'),
  );

const int = (fallback: number, min: number, max: number) =>
  z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`)
      .default(fallback),
  );

const optional = <T extends z.ZodTypeAny>(schema: T) => z.preprocess(emptyToUndefined, schema.optional());

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be absolute http(s) URLs' });

/** A Standard Webhooks secret: `whsec_` + base64 of 24 to 64 random bytes. */
export const WEBHOOK_SECRET = /^whsec_[A-Za-z0-9+/]+={0,2}$/;
const webhookSecret = z
  .string()
  .regex(WEBHOOK_SECRET, 'must be whsec_ followed by base64 (the Standard Webhooks format)')
  .refine((v) => {
    const bytes = Buffer.from(v.slice('whsec_'.length), 'base64').length;
    return bytes >= 24 && bytes <= 64;
  }, 'must encode 24 to 64 bytes after whsec_');

/** `type=/pattern/{slug}` pairs, comma-separated; the keys are the ones `pathPatterns` knows. */
export const PATH_PATTERN_KEYS = ['article', 'articles', 'entity'] as const;
export const pathPatternsSchema = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
  .pipe(
    z.array(
      z
        .string()
        .regex(/^(article|articles|entity)=\/\S*$/, 'must be type=/path pairs, e.g. article=/{locale}/news/{slug}; types: article, articles, entity'),
    ),
  )
  .transform((pairs) => Object.fromEntries(pairs.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)])) as Partial<Record<(typeof PATH_PATTERN_KEYS)[number], string>>);

/** `*`, or an origin as browsers send it: scheme, host and port, nothing after. */
function isOrigin(value: string): boolean {
  if (value === '*') return true;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

/** Strapi's own rule for admin passwords; checked here so a bad one fails at start-up, not at login. */
const adminPassword = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(72, 'must be at most 72 characters')
  .regex(/[a-z]/, 'must contain a lowercase letter')
  .regex(/[A-Z]/, 'must contain an uppercase letter')
  .regex(/\d/, 'must contain a number');

const schema = z
  .object({
    NODE_ENV: z.preprocess(emptyToUndefined, z.enum(['development', 'production', 'test']).default('development')),
    HOST: z.preprocess(emptyToUndefined, z.string().default('0.0.0.0')),
    PORT: int(1337, 1, 65535),
    LOG_LEVEL: z.preprocess(
      emptyToUndefined,
      z.enum(['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'], {
        error: 'must be one of error, warn, info, http, verbose, debug, silly',
      }).default('http'),
    ),
    PUBLIC_URL: optional(z.url({ protocol: /^https?$/, error: 'must be an absolute URL, e.g. https://cms.example.com' })),
    TRUST_PROXY: bool(false),
    TRUST_PROXY_HOPS: int(1, 1, 10),
    CORS_ORIGINS: optional(z.string())
      .transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : ['*']))
      .pipe(z.array(z.string().refine(isOrigin, 'must list origins like https://www.example.com (scheme, host and port only), or *'))),
    CORS_ALLOW_ANY: bool(false),

    APP_KEYS: secretList,
    API_TOKEN_SALT: secret(),
    ADMIN_JWT_SECRET: secret(),
    TRANSFER_TOKEN_SALT: secret(),
    JWT_SECRET: secret(),
    ENCRYPTION_KEY: secret(),

    DATABASE_CLIENT: z.preprocess(
      emptyToUndefined,
      z.enum(['sqlite', 'postgres'], { error: 'must be sqlite or postgres' }).default('sqlite'),
    ),
    DATABASE_FILENAME: z.preprocess(emptyToUndefined, z.string().default('.tmp/data.db')),
    DATABASE_URL: optional(
      z.url({
        protocol: /^postgres(ql)?$/,
        error: 'must be a URL like postgres://user:password@host:5432/database',
      }),
    ),
    DATABASE_SCHEMA: z.preprocess(emptyToUndefined, z.string().default('public')),
    DATABASE_POOL_MIN: int(0, 0, 100),
    DATABASE_POOL_MAX: int(10, 1, 100),
    DATABASE_CONNECTION_TIMEOUT_MS: int(60_000, 1_000, 600_000),
    // src/database-guard/pool.ts: the connections kept for the article view, health, the admin and background jobs
    // (a third of the pool when empty), and how long a content request waits for a connection.
    DATABASE_POOL_RESERVED: optional(z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(0, 'must be at least 0').max(99, 'must be at most 99')),
    DATABASE_QUEUE_TIMEOUT_MS: int(1_000, 10, 60_000),
    // src/database-guard/scan-queue.ts: token requests with filters the public may not run, per process at once.
    SCAN_REQUESTS_MAX: int(1, 1, 1_000),
    // src/middlewares/content-queue.ts: content requests one process runs at once (the content share of the pool, or 1 on SQLite, when empty).
    CONTENT_REQUESTS_MAX: optional(z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').max(10_000, 'must be at most 10000')),
    DATABASE_SSL: bool(false),
    DATABASE_SSL_REJECT_UNAUTHORIZED: bool(true),
    DATABASE_SSL_CA: optional(z.string()),

    PUBLIC_DIR: z.preprocess(emptyToUndefined, z.string().default('public')),
    UPLOAD_MAX_BYTES: int(25 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    // Where uploads live (config/plugins.ts): this server's disk (public/uploads), or an S3-compatible bucket.
    UPLOAD_PROVIDER: z.preprocess(emptyToUndefined, z.enum(['local', 's3'], { error: 'must be local or s3' }).default('local')),
    S3_BUCKET: optional(z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a bucket name: 3 to 63 lowercase letters, digits, dots or dashes')),
    S3_REGION: z.preprocess(emptyToUndefined, z.string().regex(/^[a-z0-9-]{2,32}$/, 'must be a region such as us-east-1 (auto for Cloudflare R2)').default('us-east-1')),
    S3_ENDPOINT: optional(z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL, e.g. https://<account>.r2.cloudflarestorage.com' })),
    S3_FORCE_PATH_STYLE: bool(false),
    S3_ACCESS_KEY_ID: optional(z.string().min(1)),
    S3_SECRET_ACCESS_KEY: optional(z.string().min(1)),
    S3_PUBLIC_URL: optional(z.url({ protocol: /^https?$/, error: 'must be the absolute http(s) URL files are served from, e.g. https://media.example.com' })),
    S3_PREFIX: optional(z.string().regex(/^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/, 'must be a key prefix such as uploads or media/cms (no leading or trailing /)')),
    S3_ACL: optional(z.enum(['public-read', 'private', 'bucket-owner-full-control'], { error: 'must be public-read, private or bucket-owner-full-control (leave empty for buckets without ACLs)' })),
    // A content API or GraphQL request still running after this is answered 504 (src/middlewares/request-deadline.ts).
    REQUEST_DEADLINE_MS: int(10_000, 100, 600_000),
    ADMIN_REQUEST_DEADLINE_MS: int(60_000, 1_000, 3_600_000),
    // One client address runs at most this many content requests at once (src/middlewares/client-concurrency.ts).
    CLIENT_CONCURRENCY_LIMIT: int(8, 0, 10_000),
    // SIGTERM (src/http/shutdown.ts): /api/health says 503 for the grace period while everything else is served,
    // then the process stops accepting, finishes what is in flight and exits 0, all within the timeout.
    SHUTDOWN_GRACE_MS: int(3_000, 0, 600_000),
    SHUTDOWN_TIMEOUT_MS: int(10_000, 1_000, 900_000),

    SEED_STORY: bool(true),
    SEARCH_BOOT_RECONCILE: bool(true),
    SEARCH_WINDOW: int(1_000, 100, 100_000),

    // The public site (src/distribution/site.ts): every URL in feeds, sitemaps and structured data is absolute on SITE_URL.
    SITE_URL: optional(z.string().refine((v) => v !== '*' && isOrigin(v), 'must be the public site\'s origin, e.g. https://www.example.com (scheme, host and port only)')),
    SITE_NAME: optional(z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters')),
    SITE_LOGO_URL: optional(z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL, e.g. https://www.example.com/logo.png' })),
    SITE_PATH_PATTERNS: optional(z.string().pipe(pathPatternsSchema)),
    SITEMAP_PUBLIC_PREFIX: z.preprocess(
      emptyToUndefined,
      z.string().regex(/^\/(?:[A-Za-z0-9._~-]+\/)*$/, 'must be a path that starts and ends with /, e.g. /sitemaps/').default('/sitemaps/'),
    ),

    ADMIN_EMAIL: optional(z.email('must be an email address')),
    ADMIN_PASSWORD: optional(adminPassword),
    EDITOR_EMAIL: optional(z.email('must be an email address')),
    EDITOR_PASSWORD: optional(adminPassword),
    AUTHOR_EMAIL: optional(z.email('must be an email address')),
    AUTHOR_PASSWORD: optional(adminPassword),

    SCHEDULE_INTERVAL_SECONDS: int(30, 1, 60),
    // Version history (src/history): draft versions older than this, or past this many per document
    // and locale, are pruned (published and pinned versions are kept); the public trail is off unless set.
    HISTORY_ENABLED: bool(true),
    HISTORY_DRAFT_RETENTION_DAYS: int(90, 1, 36_500),
    HISTORY_MAX_VERSIONS: int(200, 1, 1_000_000),
    HISTORY_PRUNE_INTERVAL_MINUTES: int(60, 1, 60),
    PUBLIC_REVISIONS: bool(false),
    // src/ingest: the largest item POST /api/ingest takes (413 above), and whether pictures may be fetched from private addresses.
    INGEST_MAX_BYTES: int(5 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    INGEST_ALLOW_PRIVATE_SOURCES: bool(false),
    // src/ingest/watch-folder.ts: a folder agencies deliver into (FTP/SFTP), scanned every few seconds by every process.
    INGEST_WATCH_DIR: optional(z.string().trim().min(1, 'must not be empty')),
    INGEST_WATCH_INTERVAL_SECONDS: int(5, 1, 60),
    REDIS_URL: optional(z.url({ protocol: /^rediss?$/, error: 'must be a URL like redis://127.0.0.1:6379' })),
    REDIS_KEY_PREFIX: z.preprocess(emptyToUndefined, z.string().regex(/^[\w.-]{1,64}$/, 'must be 1 to 64 letters, digits, dots, dashes or underscores').default('newsroom')),
    RATE_LIMIT_ENABLED: bool(true),
    RATE_LIMIT_API_POINTS: int(600, 1, 1_000_000),
    RATE_LIMIT_API_WINDOW_SECONDS: int(60, 1, 86_400),
    RATE_LIMIT_LOGIN_POINTS: int(20, 1, 1_000_000),
    RATE_LIMIT_LOGIN_WINDOW_SECONDS: int(300, 1, 86_400),
    CACHE_ENABLED: bool(true),
    CACHE_MAX_BYTES: int(64 * 1024 * 1024, 1024 * 1024, 4 * 1024 * 1024 * 1024),
    CACHE_TTL_SECONDS: int(300, 1, 86_400),
    PREVIEW_URL: optional(z.url({ protocol: /^https?$/, error: 'must be an absolute URL of the site, e.g. https://www.example.com' })),
    PREVIEW_SECRET: optional(secretValue(32)),
    PREVIEW_TOKEN_TTL_SECONDS: int(600, 30, 86_400),

    REBUILD_WEBHOOK_URLS: optional(z.string())
      .transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []))
      .pipe(z.array(httpUrl)),
    REBUILD_WEBHOOK_SECRET: optional(z.string())
      .transform((v) => (v ? v.split(/[\s,]+/).filter(Boolean) : []))
      .pipe(z.array(webhookSecret).max(2, 'takes at most two secrets (the new one first, during a rotation)')),
    REBUILD_DEBOUNCE_MS: int(2_000, 0, 600_000),
    REBUILD_MAX_WAIT_MS: optional(z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(0, 'must be at least 0').max(3_600_000, 'must be at most 3600000')),
    REBUILD_TIMEOUT_MS: int(10_000, 100, 120_000),
    REBUILD_MAX_ATTEMPTS: int(10, 1, 50),
    REBUILD_RETRY_BASE_MS: int(30_000, 10, 3_600_000),
    REBUILD_RETRY_MAX_MS: int(7_200_000, 10, 86_400_000),
    REBUILD_POLL_MS: int(5_000, 50, 600_000),
    REBUILD_LOG_RETENTION_DAYS: int(30, 1, 3650),
    // The old name of SITE_PATH_PATTERNS (a .env written before the rename still starts).
    REBUILD_PATH_PATTERNS: optional(z.string().pipe(pathPatternsSchema)),
    // Edge purges through the outbox (src/rebuild/kinds/purge.ts), beside the ones admins add.
    PURGE_VARNISH_URLS: optional(z.string())
      .transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []))
      .pipe(z.array(httpUrl)),
    PURGE_FASTLY_SERVICE_ID: optional(z.string().regex(/^[A-Za-z0-9]{1,64}$/, 'must be a Fastly service id (letters and digits)')),
    PURGE_FASTLY_TOKEN: optional(z.string().min(1)),
    PURGE_FASTLY_SOFT: bool(false),
    PURGE_FASTLY_API_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }).default('https://api.fastly.com')).transform((v) => v.replace(/\/+$/, '')),
    PURGE_CLOUDFLARE_ZONE_ID: optional(z.string().regex(/^[a-f0-9]{32}$/, 'must be a Cloudflare zone id (32 hexadecimal characters)')),
    PURGE_CLOUDFLARE_TOKEN: optional(z.string().min(1)),
    PURGE_CLOUDFLARE_API_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }).default('https://api.cloudflare.com')).transform((v) => v.replace(/\/+$/, '')),
    PURGE_DEBOUNCE_MS: int(200, 0, 5_000),
    WEBHOOK_ALLOW_PRIVATE_TARGETS: optional(z.enum(['true', 'false', '1', '0'], { error: 'must be true or false' })).transform((v) =>
      v === undefined ? undefined : v === 'true' || v === '1',
    ),
  })
  .superRefine((env, ctx) => {
    if (env.DATABASE_CLIENT === 'postgres' && !env.DATABASE_URL) {
      ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'is required when DATABASE_CLIENT=postgres' });
    }
    if (env.NODE_ENV === 'production' && env.CORS_ORIGINS.includes('*') && !env.CORS_ALLOW_ANY) {
      ctx.addIssue({
        code: 'custom',
        path: ['CORS_ORIGINS'],
        message: 'must list the origins of the sites that call the API in production (or set CORS_ALLOW_ANY=true to allow any origin)',
      });
    }
    if (env.NODE_ENV === 'production') {
      for (const name of ['SITE_URL', 'SITE_NAME'] as const) {
        if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'is required in production (feeds, sitemaps and structured data name the public site)' });
      }
    }
    if (env.SHUTDOWN_GRACE_MS >= env.SHUTDOWN_TIMEOUT_MS) {
      ctx.addIssue({ code: 'custom', path: ['SHUTDOWN_GRACE_MS'], message: 'must be shorter than SHUTDOWN_TIMEOUT_MS (requests in flight need time to finish after the grace period)' });
    }
    if (env.UPLOAD_PROVIDER === 's3') {
      for (const name of ['S3_BUCKET', 'S3_PUBLIC_URL'] as const) {
        if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'is required when UPLOAD_PROVIDER=s3' });
      }
    }
    if (Boolean(env.S3_ACCESS_KEY_ID) !== Boolean(env.S3_SECRET_ACCESS_KEY)) {
      const missing = env.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'is required with its pair (or set neither to use the machine\'s AWS credentials)' });
    }
    if (env.DATABASE_POOL_RESERVED !== undefined && env.DATABASE_POOL_RESERVED >= env.DATABASE_POOL_MAX) {
      ctx.addIssue({ code: 'custom', path: ['DATABASE_POOL_RESERVED'], message: 'must be less than DATABASE_POOL_MAX (content requests need at least one connection)' });
    }
    if (env.DATABASE_POOL_MIN > env.DATABASE_POOL_MAX) {
      ctx.addIssue({ code: 'custom', path: ['DATABASE_POOL_MIN'], message: 'must not exceed DATABASE_POOL_MAX' });
    }
    if (env.PREVIEW_URL && !env.PREVIEW_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['PREVIEW_SECRET'], message: 'is required when PREVIEW_URL is set' });
    }
    if (env.REBUILD_WEBHOOK_URLS.length > 0 && env.REBUILD_WEBHOOK_SECRET.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['REBUILD_WEBHOOK_SECRET'], message: 'is required when REBUILD_WEBHOOK_URLS is set' });
    }
    for (const [id, token] of [['PURGE_FASTLY_SERVICE_ID', 'PURGE_FASTLY_TOKEN'], ['PURGE_CLOUDFLARE_ZONE_ID', 'PURGE_CLOUDFLARE_TOKEN']] as const) {
      if (Boolean(env[id]) !== Boolean(env[token])) {
        ctx.addIssue({ code: 'custom', path: [env[id] ? token : id], message: `is required with ${env[id] ? id : token}` });
      }
    }
    for (const who of ['ADMIN', 'EDITOR', 'AUTHOR'] as const) {
      const email = env[`${who}_EMAIL`];
      const password = env[`${who}_PASSWORD`];
      if (email && !password) {
        ctx.addIssue({ code: 'custom', path: [`${who}_PASSWORD`], message: `is required when ${who}_EMAIL is set` });
      }
      if (password && !email) {
        ctx.addIssue({ code: 'custom', path: [`${who}_EMAIL`], message: `is required when ${who}_PASSWORD is set` });
      }
    }
  });

/** The schema's variables, in the order docs/operations.md lists them. */
export const ENV_SHAPE = schema.shape;

/**
 * What each variable is for: docs/operations.md's table is generated from this and the schema's
 * own defaults (`npm run docs`; `.ci/run` fails when the page is stale). The type makes a
 * variable without a line, or a line without a variable, a compile error.
 */
export const ENV_DOCS: Record<keyof typeof schema.shape, string> = {
  NODE_ENV: '`production` turns off the GraphQL sandbox and introspection, refuses `CORS_ORIGINS=*` without `CORS_ALLOW_ANY`, requires `SITE_URL` and `SITE_NAME` and keeps webhooks off private addresses',
  HOST: 'address to listen on',
  PORT: 'port to listen on (1–65535)',
  LOG_LEVEL: 'error, warn, info, http, verbose, debug or silly',
  PUBLIC_URL: 'absolute URL of the server behind a proxy',
  TRUST_PROXY: 'trust `X-Forwarded-*`; true only behind a load balancer',
  TRUST_PROXY_HOPS: 'the client IP is the `X-Forwarded-For` entry the nearest this many proxies added (1–10)',
  CORS_ORIGINS: 'comma-separated origins allowed to read REST, GraphQL and uploads from a browser (echoed with credentials); `*` answers `*` without credentials',
  CORS_ALLOW_ANY: '`CORS_ORIGINS=*` in production needs this set to true',
  APP_KEYS: 'Strapi\'s session keys: two or more, comma-separated, ≥ 16 characters each, no placeholders (generated into `.env` on the first `npm run develop`)',
  API_TOKEN_SALT: 'salt of API tokens (≥ 16 characters, no placeholder)',
  ADMIN_JWT_SECRET: 'signs admin sessions (≥ 16 characters, no placeholder)',
  TRANSFER_TOKEN_SALT: 'salt of transfer tokens (≥ 16 characters, no placeholder)',
  JWT_SECRET: 'signs end users\' JWTs (users-permissions; ≥ 16 characters, no placeholder)',
  ENCRYPTION_KEY: 'encrypts stored secrets such as API tokens shown again in the admin (≥ 16 characters, no placeholder)',
  DATABASE_CLIENT: '`sqlite` or `postgres`',
  DATABASE_FILENAME: 'the SQLite file',
  DATABASE_URL: 'required with postgres: `postgres://user:password@host:5432/db`',
  DATABASE_SCHEMA: 'PostgreSQL schema',
  DATABASE_POOL_MIN: 'smallest connection pool (0–100, not above the largest)',
  DATABASE_POOL_MAX: 'largest connection pool (1–100)',
  DATABASE_CONNECTION_TIMEOUT_MS: 'how long work outside a request (boot, jobs, scripts) waits for a connection from the pool (1 s–10 min)',
  DATABASE_POOL_RESERVED: 'PostgreSQL connections content requests (lists, filters, GraphQL) may not take: kept for the article view, health, the admin and background jobs; a third of `DATABASE_POOL_MAX` when empty (see [Deadlines and the pool](#deadlines-and-the-pool))',
  CONTENT_REQUESTS_MAX: 'content API and GraphQL requests one process runs at once, the rest queued (the article view and health never are); when empty `DATABASE_POOL_MAX − DATABASE_POOL_RESERVED` on PostgreSQL, 1 on SQLite (see [Deadlines and the pool](#deadlines-and-the-pool))',
  SCAN_REQUESTS_MAX: 'requests with an API token whose filters, sort or `_q` the public may not run (scans of the archive) one process runs at once, the rest queued (see [Deadlines and the pool](#deadlines-and-the-pool))',
  DATABASE_QUEUE_TIMEOUT_MS: 'the longest a content API or GraphQL request waits for its turn, a share of the pool or a connection before a 503 with `Retry-After: 1` (10 ms–60 s)',
  DATABASE_SSL: 'connect to PostgreSQL over TLS',
  DATABASE_SSL_REJECT_UNAUTHORIZED: 'refuse a server certificate that does not verify',
  DATABASE_SSL_CA: 'the CA certificate (PEM) to verify the server with',
  PUBLIC_DIR: 'static folder; local uploads go to `<PUBLIC_DIR>/uploads`',
  UPLOAD_MAX_BYTES: 'largest uploaded file (413 above; 1 KB–1 GB)',
  UPLOAD_PROVIDER: '`local`, or `s3`: uploads on an S3-compatible bucket (see [Uploads on S3](#uploads-on-s3-r2-or-minio))',
  S3_BUCKET: 'the bucket (required with `s3`)',
  S3_REGION: '`auto` for Cloudflare R2',
  S3_ENDPOINT: 'the account endpoint for R2, the server\'s URL for MinIO; AWS when empty',
  S3_FORCE_PATH_STYLE: 'true for MinIO',
  S3_ACCESS_KEY_ID: 'with `S3_SECRET_ACCESS_KEY`, both or neither (neither: the machine\'s AWS credentials, e.g. an instance role)',
  S3_SECRET_ACCESS_KEY: 'see `S3_ACCESS_KEY_ID`',
  S3_PUBLIC_URL: 'the base URL files are served from (a CDN or the bucket\'s public address; required with `s3`): every answer\'s file URL is `S3_PUBLIC_URL/<key>`',
  S3_PREFIX: 'key prefix, e.g. `cms`',
  S3_ACL: 'a canned ACL, only for buckets that use ACLs',
  REQUEST_DEADLINE_MS: 'a content API or GraphQL request still running after this is answered 504 and its SQL cancelled (100 ms–10 min)',
  ADMIN_REQUEST_DEADLINE_MS: 'the same for the admin panel\'s API, except its long jobs (uploads, transfers, bulk actions; 1 s–1 h)',
  CLIENT_CONCURRENCY_LIMIT: 'content API and GraphQL requests one client address may run at once, across processes with `REDIS_URL` (429 with `Retry-After` beyond; 0: no limit)',
  SHUTDOWN_GRACE_MS: 'on SIGTERM, `/api/health` answers 503 this long while everything else is served (shorter than the timeout; see [Stopping a process](#stopping-a-process-drain-then-exit))',
  SHUTDOWN_TIMEOUT_MS: 'then requests in flight may finish within this; the process exits 0, or 1 if they did not',
  SEED_STORY: 'seed the story at boot when it is absent',
  SEARCH_WINDOW: 'the most matches a search ranks, counts and facets, the newest first: a query matching more costs the same at any size of archive and says so (`meta.window`; its total is then the window: at least that many; 100–100000)',
  SEARCH_BOOT_RECONCILE: 'at boot, index the published articles the search index lacks and drop what is no longer published (`npm run search:reindex` turns it off for its own run)',
  SITE_URL: 'the public site\'s origin (feeds, sitemaps, structured data; required in production); `http://localhost:3000` when empty outside production',
  SITE_NAME: 'the publication\'s name (required in production); `Newsroom` when empty outside production',
  SITE_LOGO_URL: 'the publisher logo in structured data',
  SITE_PATH_PATTERNS: '`type=/pattern` pairs for `article`, `articles`, `entity`; when empty `article=/{locale}/news/{slug},articles=/{locale}/news,entity=/topics/{slug}` (see [api.md](api.md#news-distribution))',
  SITEMAP_PUBLIC_PREFIX: 'where the site serves the child sitemaps',
  ADMIN_EMAIL: 'a Super Admin created at boot when no admin exists (with `ADMIN_PASSWORD`)',
  ADMIN_PASSWORD: '8–72 characters with a lower-case letter, an upper-case letter and a digit (Strapi\'s rule, checked at start-up; never logged)',
  EDITOR_EMAIL: 'an Editor created at boot when that email has no account (with `EDITOR_PASSWORD`)',
  EDITOR_PASSWORD: 'as `ADMIN_PASSWORD`',
  AUTHOR_EMAIL: 'an Author created at boot when that email has no account (with `AUTHOR_PASSWORD`)',
  AUTHOR_PASSWORD: 'as `ADMIN_PASSWORD`',
  SCHEDULE_INTERVAL_SECONDS: 'how often scheduled publishing runs (1–60)',
  HISTORY_ENABLED: 'record a version on every save (false: stop recording; what is kept stays readable)',
  HISTORY_DRAFT_RETENTION_DAYS: 'draft versions older than this are pruned (published, pinned and each document locale\'s newest are kept)',
  HISTORY_MAX_VERSIONS: 'draft versions kept per document and locale',
  HISTORY_PRUNE_INTERVAL_MINUTES: 'how often each process tries to prune (1–60; one at a time across processes)',
  PUBLIC_REVISIONS: 'serve the public revision trail (`/api/articles/slug/:slug/revisions`)',
  INGEST_MAX_BYTES: 'largest item `POST /api/ingest` reads (413 above; 1 KB–100 MB)',
  INGEST_ALLOW_PRIVATE_SOURCES: 'let ingest fetch pictures from loopback and private addresses (tests; never in production)',
  INGEST_WATCH_DIR: 'a folder to ingest files from (agencies\' FTP/SFTP drop): each file once across processes, then moved to `processed/`, or to `error/` with a `.error.json` (see [operations.md](operations.md#ingest-folder))',
  INGEST_WATCH_INTERVAL_SECONDS: 'how often each process looks in INGEST_WATCH_DIR (1–60); a file is read once its size stayed the same for one look',
  REDIS_URL: 'Redis shared by every process for the rate limits and the concurrency limit (counted per process without it)',
  REDIS_KEY_PREFIX: 'prefix of the rate limiter\'s keys',
  RATE_LIMIT_ENABLED: 'per client IP limits (429 with Retry-After)',
  RATE_LIMIT_API_POINTS: 'requests per window on the content API and GraphQL',
  RATE_LIMIT_API_WINDOW_SECONDS: 'its window',
  RATE_LIMIT_LOGIN_POINTS: 'logins and password resets per window',
  RATE_LIMIT_LOGIN_WINDOW_SECONDS: 'its window',
  CACHE_ENABLED: 'the read cache in front of public REST and GraphQL GET reads (see [api.md](api.md#read-cache))',
  CACHE_MAX_BYTES: 'its byte budget per process (1 MB–4 GB)',
  CACHE_TTL_SECONDS: 'the longest an answer is kept (a change evicts it at once)',
  PREVIEW_URL: 'the site, for the admin\'s Preview',
  PREVIEW_SECRET: 'signs preview tokens (≥ 32 characters; required with `PREVIEW_URL`)',
  PREVIEW_TOKEN_TTL_SECONDS: 'how long a preview link works (30 s–1 day)',
  REBUILD_WEBHOOK_URLS: 'comma-separated http(s) URLs: `standard` rebuild targets (see [webhooks.md](webhooks.md))',
  REBUILD_WEBHOOK_SECRET: '`whsec_` + base64 of 24–64 bytes; required with the URLs; two, space-separated, during a rotation',
  REBUILD_DEBOUNCE_MS: 'coalescing window per target',
  REBUILD_MAX_WAIT_MS: 'the longest a delivery waits while changes keep coming (10 × the debounce when empty)',
  REBUILD_TIMEOUT_MS: 'per attempt',
  REBUILD_MAX_ATTEMPTS: 'attempts before a delivery is dead',
  REBUILD_RETRY_BASE_MS: 'backoff base·2^(n−1), ±25 %',
  REBUILD_RETRY_MAX_MS: 'the backoff\'s cap',
  REBUILD_POLL_MS: 'fallback poll of the outbox',
  REBUILD_LOG_RETENTION_DAYS: 'finished deliveries older than this are pruned',
  REBUILD_PATH_PATTERNS: 'the old name of `SITE_PATH_PATTERNS`',
  PURGE_VARNISH_URLS: 'comma-separated Varnish URLs to send xkey purges to (see [An edge cache](#an-edge-cache-varnish-fastly-cloudflare))',
  PURGE_FASTLY_SERVICE_ID: 'a Fastly service to purge by surrogate key (with `PURGE_FASTLY_TOKEN`)',
  PURGE_FASTLY_TOKEN: 'its API token',
  PURGE_FASTLY_SOFT: 'soft purges (mark stale) instead of removing',
  PURGE_FASTLY_API_URL: 'Fastly\'s API (tests point it elsewhere)',
  PURGE_CLOUDFLARE_ZONE_ID: 'a Cloudflare zone to purge by cache tag (with `PURGE_CLOUDFLARE_TOKEN`)',
  PURGE_CLOUDFLARE_TOKEN: 'its API token',
  PURGE_CLOUDFLARE_API_URL: 'Cloudflare\'s API (tests point it elsewhere)',
  PURGE_DEBOUNCE_MS: 'coalescing window of edge purges (0–5000)',
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'allow webhook and purge targets on loopback or private addresses (when empty: allowed outside production)',
};

const DEFAULT_PATH_PATTERNS = pathPatternsSchema.parse('article=/{locale}/news/{slug},articles=/{locale}/news,entity=/topics/{slug}');

const withDefaults = schema.transform(({ REBUILD_PATH_PATTERNS, ...env }) => ({
  ...env,
  DATABASE_POOL_RESERVED: env.DATABASE_POOL_RESERVED ?? Math.floor(env.DATABASE_POOL_MAX / 3),
  // A type left out has no page on the site (no paths, no sitemap, nothing resolves to it).
  SITE_PATH_PATTERNS: env.SITE_PATH_PATTERNS ?? REBUILD_PATH_PATTERNS ?? DEFAULT_PATH_PATTERNS,
}));

export type Env = z.infer<typeof withDefaults>;

/** Thrown when the environment is invalid; its message is one line naming the variable. */
export class InvalidEnvError extends Error {
  readonly code = 'INVALID_ENV';
  constructor(
    readonly variable: string,
    readonly reason: string,
  ) {
    super(`Invalid configuration: ${variable} ${reason}`);
    this.name = 'InvalidEnvError';
  }
}

/** Parses an environment; throws `InvalidEnvError` for the first problem found. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = withDefaults.safeParse(source);
  if (!result.success) {
    const issue = result.error.issues[0];
    const variable = String(issue.path[0] ?? 'environment');
    const missing = source[variable] === undefined || source[variable] === '';
    const reason = missing && issue.code === 'invalid_type' ? 'is required' : issue.message;
    throw new InvalidEnvError(variable, reason);
  }
  return result.data;
}

let cached: Env | undefined;

/**
 * The parsed environment of this process. On an invalid environment it prints one line and
 * exits, so start-up stops before Strapi touches the database.
 */
export function loadEnv(): Env {
  if (cached) return cached;
  try {
    cached = parseEnv(process.env);
    return cached;
  } catch (error) {
    if (error instanceof InvalidEnvError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** Root of the app (the folder holding package.json), from src/ or dist/src/. */
export const appRoot = (() => {
  let dir = __dirname;
  while (path.basename(dir) !== 'src') dir = path.dirname(dir);
  const parent = path.dirname(dir);
  return path.basename(parent) === 'dist' ? path.dirname(parent) : parent;
})();
