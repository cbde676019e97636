import type { Core } from '@strapi/strapi';
import { loadEnv } from '../src/env';
import { stampFileOrder } from '../src/middlewares/upload-guard';
import { mediaOrigin } from '../src/uploads/s3';

export default (): Core.Config.Middlewares => {
  const env = loadEnv();
  const media = mediaOrigin(env);
  return [
    'strapi::logger',
    'strapi::errors',
    // A content API or GraphQL request past REQUEST_DEADLINE_MS (an admin one past ADMIN_REQUEST_DEADLINE_MS) is
    // answered 504 and its SQL cancelled; each runs in the scope the pool guard reads (src/middlewares/request-deadline.ts).
    'global::request-deadline',
    // ETag, Cache-Control, Surrogate-Key and 304s for anonymous content reads (src/cache).
    'global::http-cache',
    // Strapi's defaults; with uploads on a bucket, the admin panel may show images from it.
    media
      ? {
          name: 'strapi::security',
          config: {
            contentSecurityPolicy: {
              useDefaults: true,
              directives: {
                'img-src': ["'self'", 'data:', 'blob:', 'market-assets.strapi.io', media],
                'media-src': ["'self'", 'data:', 'blob:', media],
              },
            },
          },
        }
      : 'strapi::security',
    // CORS from CORS_ORIGINS, never echoing an unknown origin: src/http/cors.ts, put behind this name.
    { name: 'strapi::cors', config: { origins: env.CORS_ORIGINS } },
    // Requests per client IP on the content API, GraphQL and logins: 429 + Retry-After, after CORS
    // so a page can read the refusal (src/middlewares/rate-limit.ts).
    'global::rate-limit',
    // At most CLIENT_CONCURRENCY_LIMIT content requests at once per client address: 429 + Retry-After
    // (src/middlewares/client-concurrency.ts).
    'global::client-concurrency',
    // Then at most CONTENT_REQUESTS_MAX content requests at once per process, the rest queued briefly; the
    // article view and health never queue (src/middlewares/content-queue.ts).
    'global::content-queue',
    'strapi::query',
    // POST /api/ingest reads its own body (XML, JSON or text up to INGEST_MAX_BYTES) before the body parser (src/middlewares/ingest-body.ts).
    'global::ingest-body',
    // /graphql takes single-string query parameters only (src/middlewares/graphql-query.ts).
    'global::graphql-query',
    // Request size limits: JSON bodies 1 MB, form and text bodies 56 KB (koa-body's defaults,
    // stated), each uploaded file UPLOAD_MAX_BYTES; over a limit is a 413 (src/errors/boundary.ts).
    {
      name: 'strapi::body',
      // Each file part is marked as it begins, so the guard can put the files back in the order sent.
      config: { jsonLimit: '1mb', formLimit: '56kb', textLimit: '56kb', formidable: { maxFileSize: env.UPLOAD_MAX_BYTES, onFileBegin: stampFileOrder } },
    },
    // Every uploaded file: a JPEG/PNG/WebP/GIF/AVIF image by its bytes, with a sane name (src/middlewares/upload-guard.ts).
    'global::upload-guard',
    'strapi::session',
    'strapi::favicon',
    // Uploaded files never render as a page: nosniff, a sandboxing CSP, attachment for non-images.
    'global::upload-headers',
    'strapi::public',
  ];
};
