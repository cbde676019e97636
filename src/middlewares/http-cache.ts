/**
 * HTTP caching for anonymous reads of the public content API: a strong ETag (SHA-1 of the body),
 * `Cache-Control: public, max-age=0, s-maxage=60, stale-while-revalidate=300`, a `Surrogate-Key`
 * header (`doc:<documentId>` for every document in the answer, `list:<type>`) a CDN can purge by,
 * and a 304 for a matching `If-None-Match`. Errors, authenticated reads and writes are untouched.
 */
import { createHash } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { answerTags, documentTags, isPublicRead, listTag, PUBLIC_CACHE_CONTROL } from '../cache/policy';

const MAX_SURROGATE_KEY_BYTES = 16 * 1024;

export default (): Core.MiddlewareHandler => async (ctx, next) => {
  await next();
  if (!isPublicRead(ctx.req) || ctx.status !== 200 || ctx.body === null || ctx.body === undefined) return;
  if (typeof ctx.body !== 'object' || Buffer.isBuffer(ctx.body) || typeof (ctx.body as { pipe?: unknown }).pipe === 'function') return;

  const tags = [...documentTags(ctx.body), listTag(ctx.url)].filter((t): t is string => Boolean(t));
  const json = JSON.stringify(ctx.body);
  ctx.type = 'application/json';
  ctx.body = json;
  const etag = `"${createHash('sha1').update(json).digest('base64url')}"`;
  ctx.set('ETag', etag);
  ctx.set('Cache-Control', PUBLIC_CACHE_CONTROL);
  let surrogate = tags.join(' ');
  if (surrogate.length > MAX_SURROGATE_KEY_BYTES) surrogate = surrogate.slice(0, surrogate.lastIndexOf(' ', MAX_SURROGATE_KEY_BYTES));
  ctx.set('Surrogate-Key', surrogate);
  answerTags.set(ctx.res, tags);
  if (ctx.get('If-None-Match') === etag) {
    ctx.status = 304;
    ctx.body = null;
  }
};
