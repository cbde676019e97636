/**
 * CORS for REST, GraphQL and uploads, from CORS_ORIGINS. Strapi requires a `strapi::cors` entry in
 * config/middlewares.ts; `replaceStrapiCors` (register) puts this middleware behind that name.
 *
 * Strapi's own middleware answers a `*` setting by reflecting whatever Origin a request sends,
 * with `Access-Control-Allow-Credentials: true` (GHSA-9329-mxxw-qwf8): any site could read
 * answers with the visitor's credentials. Here:
 *   a list of origins   an origin on the list is echoed, with credentials; any other gets no
 *                       CORS headers at all (the browser keeps the answer from the page)
 *   `*` (any origin)    `Access-Control-Allow-Origin: *`, never with credentials, never an echo;
 *                       refused at start-up in production unless CORS_ALLOW_ANY=true (src/env.ts)
 * `Vary: Origin` on every answer. The read cache keys answers by `corsKey` (src/cache/policy.ts).
 */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { loadEnv } from '../env';

interface CorsOptions {
  origin(ctx: Context): string;
  credentials(ctx: Context): boolean;
  allowMethods: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  maxAge: number;
  keepHeadersOnError: boolean;
}
// @koa/cors (the library under strapi::cors) ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const koaCors = require('@koa/cors') as (options: CorsOptions) => Core.MiddlewareHandler;

/** What CORS answers for a request's Origin: `*`, the origin itself, or null (no CORS headers). */
export function allowedOrigin(origins: readonly string[], origin: string | undefined): string | null {
  if (origins.includes('*')) return '*';
  return origin !== undefined && origins.includes(origin) ? origin : null;
}

/** The part of a request's Origin its answer depends on: the read cache's key uses this, not the header. */
export const corsKey = (origin: string | undefined): string => allowedOrigin(loadEnv().CORS_ORIGINS, origin) ?? '';

/** `origins`: CORS_ORIGINS (config/middlewares.ts). */
export const corsMiddleware = ({ origins }: { origins: readonly string[] }): Core.MiddlewareHandler =>
  koaCors({
    origin: (ctx) => allowedOrigin(origins, ctx.get('Origin') || undefined) ?? '',
    // Only an origin on the list is trusted with the visitor's credentials.
    credentials: (ctx) => {
      const allowed = allowedOrigin(origins, ctx.get('Origin') || undefined);
      return allowed !== null && allowed !== '*';
    },
    allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'],
    allowHeaders: ['Content-Type', 'Authorization', 'Origin', 'Accept', 'If-None-Match', 'Cache-Control'],
    exposeHeaders: ['ETag', 'Surrogate-Key', 'Cache-Tag', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'],
    maxAge: 86_400,
    keepHeadersOnError: true,
  });

/** `strapi::cors` becomes the middleware above (its config: `{ origins }`). */
export function replaceStrapiCors(strapi: Core.Strapi): void {
  (strapi.get('middlewares') as { extend(uid: string, fn: () => typeof corsMiddleware): void }).extend('strapi::cors', () => corsMiddleware);
}
