/**
 * The cache in front of Strapi's stack: an anonymous read it holds is answered in the HTTP
 * server's request listener, before Koa, with the status, headers and body the full pipeline
 * produced (Node adds a fresh Date). `If-None-Match` with the ETag is a 304 there too. A miss
 * goes through the whole stack (permissions, sanitizing) and its answer is stored if it is a
 * public 200 (the http-cache middleware marks those `Cache-Control: public` and tags them).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Core } from '@strapi/strapi';
import { answerTags, cacheKey, CACHEABLE_STATUS } from './policy';
import type { CachedAnswer, ReadCache } from './read-cache';

const NOT_REPLAYED = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);
const NOT_ON_304 = new Set(['content-type', 'content-length']);

function replay(req: IncomingMessage, res: ServerResponse, hit: CachedAnswer): void {
  const notModified = hit.etag !== undefined && req.headers['if-none-match'] === hit.etag;
  res.writeHead(notModified ? 304 : hit.status, notModified ? hit.headersOn304 : hit.headers);
  res.end(notModified || req.method === 'HEAD' ? undefined : hit.body);
}

function capture(req: IncomingMessage, res: ServerResponse, key: string, cache: ReadCache): void {
  if (req.method !== 'GET') return;
  const generation = cache.generation;
  const chunks: Buffer[] = [];
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  const keep = (chunk: unknown) => {
    if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') chunks.push(Buffer.from(chunk as string));
  };
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    keep(chunk);
    return write(chunk, ...rest);
  }) as typeof res.write;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    keep(chunk);
    return end(chunk, ...rest);
  }) as typeof res.end;
  res.once('finish', () => {
    const cacheControl = String(res.getHeader('cache-control') ?? '');
    if (!CACHEABLE_STATUS.has(res.statusCode) || !/\bpublic\b/.test(cacheControl) || res.getHeader('set-cookie')) return;
    const tags = answerTags.get(res);
    if (!tags) return;
    const body = Buffer.concat(chunks);
    // As writeHead takes them at its fastest: flat [name, value, …] lists, one for a 304.
    const headers: string[] = [];
    const headersOn304: string[] = [];
    const add = (name: string, value: string) => {
      headers.push(name, value);
      if (!NOT_ON_304.has(name)) headersOn304.push(name, value);
    };
    for (const [name, value] of Object.entries(res.getHeaders())) {
      if (NOT_REPLAYED.has(name) || value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) add(name, String(v));
    }
    let etag = res.getHeader('etag');
    // A streamed answer went out without one; the stored copy has its body, so it gets one.
    if (etag === undefined && res.statusCode === 200) {
      etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
      add('etag', etag);
    }
    cache.set(key, { status: res.statusCode, headers, headersOn304, body, etag: etag === undefined ? undefined : String(etag), tags }, generation);
  });
}

/** Puts the cache in front of Strapi's request listener. */
export function installFrontCache(strapi: Core.Strapi, cache: ReadCache): void {
  const server = strapi.server.httpServer;
  const [stack] = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  server.removeListener('request', stack);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const key = cacheKey(req);
    if (key) {
      const hit = cache.get(key);
      if (hit) return replay(req, res, hit);
      capture(req, res, key, cache);
    }
    return stack(req, res);
  });
}
