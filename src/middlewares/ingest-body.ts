/**
 * `POST /api/ingest` reads its body itself: wire items are XML, JSON or text up to INGEST_MAX_BYTES
 * (5 MB), past the body parser's 1 MB JSON and 56 KB text limits, and the parsers want the bytes as
 * sent. This middleware, before `strapi::body`, reads them (a 413 past the limit, before reading
 * when Content-Length says so), keeps them and the Content-Type in `ctx.state.ingest`, and marks
 * the request so the body parser leaves it alone.
 */
import type { Core } from '@strapi/strapi';
import { loadEnv } from '../env';

export interface IngestBody {
  bytes: Buffer;
  contentType: string | undefined;
}

interface Ctx {
  method: string;
  path: string;
  req: NodeJS.ReadableStream & { headers: Record<string, string | string[] | undefined> };
  state: { ingest?: IngestBody };
  status: number;
  body: unknown;
  set(field: string, value: string): void;
}

export const INGEST_PATH = '/api/ingest';

const tooLarge = (ctx: Ctx, max: number) => {
  ctx.status = 413;
  ctx.body = { data: null, error: { status: 413, name: 'PayloadTooLargeError', message: `The item is larger than INGEST_MAX_BYTES (${max} bytes)`, details: {} } };
};

export default (_config: unknown, _ctx: { strapi: Core.Strapi }) => {
  const max = loadEnv().INGEST_MAX_BYTES;
  return async (ctx: Ctx, next: () => Promise<unknown>) => {
    if (ctx.method !== 'POST' || ctx.path !== INGEST_PATH) return next();
    const declared = Number(ctx.req.headers['content-length']);
    if (Number.isFinite(declared) && declared > max) return tooLarge(ctx, max);
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    await new Promise<void>((resolve, reject) => {
      ctx.req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > max) over = true;
        else chunks.push(chunk);
      });
      ctx.req.on('end', () => resolve());
      ctx.req.on('error', reject);
    });
    if (over) return tooLarge(ctx, max);
    ctx.state.ingest = { bytes: Buffer.concat(chunks), contentType: ctx.req.headers['content-type'] as string | undefined };
    // Read already: the body parser must not wait for a stream that has ended.
    ctx.req.headers['content-type'] = 'application/octet-stream';
    return next();
  };
};
