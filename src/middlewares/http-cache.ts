/**
 * HTTP caching for anonymous reads of the public content API: a strong ETag (SHA-1 of the body),
 * `Cache-Control: public, max-age=0, s-maxage=60, stale-while-revalidate=300`, a `Surrogate-Key`
 * header (and `Cache-Tag`, Cloudflare's comma-separated spelling) a CDN can purge by (the tags of
 * src/changes/tags.ts: `doc:<documentId>` for every document in the answer, `list:…`, `slug:…`),
 * and a 304 for a matching `If-None-Match`. Errors,
 * authenticated reads and writes are untouched.
 *
 * JSON answers are tagged from what they show. Other answers (feeds, sitemaps, JSON-LD, redirects)
 * name their tags with `cacheable(ctx, tags)`; a streamed one gets no ETag here (its body is not
 * known yet): the read cache adds one when it stores the answer.
 */
import { createHash } from 'node:crypto';
import type { Context } from 'koa';
import type { Core } from '@strapi/strapi';
import { answerTags, CACHEABLE_STATUS, documentTags, isPublicRead, listTag, PUBLIC_CACHE_CONTROL } from '../cache/policy';

/**
 * Varnish refuses a response header line over 8 KB (http_resp_hdr_len) and Node's HTTP clients an
 * answer whose headers pass 16 KB in all; Surrogate-Key and Cache-Tag carry the same tags twice.
 */
export const MAX_TAG_HEADER_BYTES = 6 * 1024;
const TAGS = Symbol('newsroom.cacheTags');

/**
 * The tags as the Surrogate-Key header sends them, at most MAX_TAG_HEADER_BYTES: list and slug
 * tags first, then documents; past the bound, documents are left out. (A list answer is purged by
 * its list tag whenever a document it shows changes: the change feed gives the list tag of every
 * article it alters. The read cache keeps every tag.)
 */
export function surrogateKeyOf(tags: readonly string[]): string {
  const ordered = [...tags.filter((t) => !t.startsWith('doc:')), ...tags.filter((t) => t.startsWith('doc:'))];
  const kept: string[] = [];
  let bytes = -1; // no space before the first
  for (const tag of ordered) {
    bytes += Buffer.byteLength(tag) + 1;
    if (bytes > MAX_TAG_HEADER_BYTES) break;
    kept.push(tag);
  }
  return kept.join(' ');
}

/** Marks the answer being built as public and cacheable, with what it shows. */
export function cacheable(ctx: Context, tags: Iterable<string>): void {
  (ctx.state as Record<symbol, string[]>)[TAGS] = [...tags];
}

const etagOf = (body: string | Buffer) => `"${createHash('sha1').update(body).digest('base64url')}"`;

export default (): Core.MiddlewareHandler => async (ctx, next) => {
  await next();
  if (!isPublicRead(ctx.req) || !CACHEABLE_STATUS.has(ctx.status) || ctx.body === undefined) return;
  const named = (ctx.state as Record<symbol, string[] | undefined>)[TAGS];
  let tags: string[];
  let body: string | Buffer | null = null;
  if (named) {
    tags = named;
    if (typeof ctx.body === 'string' || Buffer.isBuffer(ctx.body)) body = ctx.body;
  } else {
    if (ctx.status !== 200 || ctx.body === null || typeof ctx.body !== 'object' || Buffer.isBuffer(ctx.body)) return;
    if (typeof (ctx.body as { pipe?: unknown }).pipe === 'function') return;
    tags = [...documentTags(ctx.body), listTag(ctx.url)].filter((t): t is string => Boolean(t));
    body = JSON.stringify(ctx.body);
    ctx.type = 'application/json';
    ctx.body = body;
  }
  ctx.set('Cache-Control', PUBLIC_CACHE_CONTROL);
  const surrogate = surrogateKeyOf(tags);
  ctx.set('Surrogate-Key', surrogate);
  // Cloudflare's name for the same tags, comma-separated.
  ctx.set('Cache-Tag', surrogate.replaceAll(' ', ','));
  answerTags.set(ctx.res, tags);
  if (body === null || ctx.status !== 200) return;
  const etag = etagOf(body);
  ctx.set('ETag', etag);
  if (ctx.get('If-None-Match') === etag) {
    ctx.status = 304;
    ctx.body = null;
  }
};
