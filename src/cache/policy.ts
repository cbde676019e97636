/**
 * Which requests the read cache may answer, and how a cached answer is named and tagged.
 * Only anonymous GET/HEAD reads of the public content API and GraphQL GETs (graphql-key.ts): no
 * Authorization, no cookie, no `Cache-Control: no-cache` from the client. The key includes what CORS answers for the Origin,
 * since answers differ per allowed origin (`Vary: Origin`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { corsKey } from '../http/cors';
import { graphqlCacheKey } from './graphql-key';

const CACHEABLE_PATH = /^(\/api\/(articles|entities|images|feeds|sitemaps|resolve|search)(\/|\?|$)|\/graphql(\?|$))/;

/** Answers kept: a page, a permanent redirect, a page that is gone (each until a change evicts it). */
export const CACHEABLE_STATUS = new Set([200, 301, 410]);

/** What HTTP caches (browsers, CDNs) are told about public reads. */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=0, s-maxage=60, stale-while-revalidate=300';

/** An anonymous GET/HEAD of the public content API. */
export function isPublicRead(req: IncomingMessage): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (!CACHEABLE_PATH.test(req.url ?? '')) return false;
  return !req.headers.authorization && !req.headers.cookie;
}

/** The cache key of a public read the cache may answer; null when it may not. */
export function cacheKey(req: IncomingMessage): string | null {
  if (!isPublicRead(req)) return null;
  const h = req.headers;
  if (/no-cache|no-store/i.test(String(h['cache-control'] ?? '')) || /no-cache/i.test(String(h.pragma ?? ''))) return null;
  const key = req.url?.startsWith('/graphql') ? graphqlCacheKey(req) : req.url;
  if (key === null) return null;
  // Keyed by what CORS answers for the Origin, not the header: any number of unknown origins share one entry.
  return `${corsKey(h.origin)} ${key}`;
}

/** The tags of the answer being sent, handed from the http-cache middleware to the front cache. */
export const answerTags = new WeakMap<ServerResponse, string[]>();

const LIST_PATH = /^\/api\/(articles|entities|images)(?:\/newest)?(?:\?|$)/;
const NAMING_PATH = /^\/api\/entities\/[^/?]+\/articles(?:\?|$)/;

/**
 * The list a path reads (`list:articles`, `list:entities`, `list:images`), or null for a single
 * document (`/api/articles/<id>`, `/api/articles/slug/<slug>`): a publish can add to a list, but
 * changes a single document's answer only through the documents it shows (its `doc:` tags).
 */
export function listTag(url: string): string | null {
  if (NAMING_PATH.test(url)) return 'list:articles';
  const match = LIST_PATH.exec(url);
  return match ? `list:${match[1]}` : null;
}

/** Every documentId in an answer, as `doc:<id>`: what a change to any of them must evict. */
export function documentTags(body: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(body)) {
    for (const item of body) documentTags(item, into);
  } else if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body)) {
      if (key === 'documentId' && typeof value === 'string') into.add(`doc:${value}`);
      else if (value && typeof value === 'object') documentTags(value, into);
    }
  }
  return into;
}
