import type { Core } from '@strapi/strapi';
import { loadEnv } from '../src/env';

export default (): Core.Config.Middlewares => {
  const env = loadEnv();
  return [
    'strapi::logger',
    'strapi::errors',
    // ETag, Cache-Control, Surrogate-Key and 304s for anonymous content reads (src/cache).
    'global::http-cache',
    'strapi::security',
    { name: 'strapi::cors', config: { origin: env.CORS_ORIGINS, methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] } },
    'strapi::poweredBy',
    'strapi::query',
    // /graphql takes single-string query parameters only (src/middlewares/graphql-query.ts).
    'global::graphql-query',
    'strapi::body',
    'strapi::session',
    'strapi::favicon',
    'strapi::public',
  ];
};
