/**
 * The queue ahead of expensive work: a process runs at most CONTENT_REQUESTS_MAX content requests
 * (lists, filters, GraphQL, feeds, sitemaps: the `content` class of request-deadline.ts) at once;
 * the others wait their turn, at most DATABASE_QUEUE_TIMEOUT_MS, then get a 503 with
 * `Retry-After: 1`. The article view and health never queue, so they are served between turns.
 *
 * On SQLite this is what keeps the view answering: better-sqlite3 answers a statement
 * synchronously, so a request runs from its first statement to its answer without giving the
 * event loop back, and requests that arrived behind it are not even read until it is done (forty
 * large pages at once held the view for 4.3 s). Here content requests take turns (gate.ts
 * `Turns`): one at a time by default, each started on its own turn of the event loop, so a view
 * that arrived meanwhile is read and answered first: it waits for at most the one content
 * request running.
 * On PostgreSQL the default is the content requests' share of the pool (src/database-guard/pool.ts),
 * which bounds how many interleave with the view there.
 */
import type { Core } from '@strapi/strapi';
import { poolBusy } from '../database-guard/errors';
import { Turns } from '../database-guard/gate';
import { loadEnv } from '../env';
import { requestClass } from './request-deadline';

const queues = new WeakMap<Core.Strapi, Turns>();

/** The process's content queue, for /api/health. */
export function contentQueueOf(strapi: Core.Strapi): Turns | undefined {
  return queues.get(strapi);
}

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }): Core.MiddlewareHandler => {
  const env = loadEnv();
  const capacity = env.CONTENT_REQUESTS_MAX ?? (env.DATABASE_CLIENT === 'sqlite' ? 1 : Math.max(1, env.DATABASE_POOL_MAX - env.DATABASE_POOL_RESERVED));
  const turns = new Turns(capacity);
  queues.set(strapi, turns);
  return async (ctx, next) => {
    if (requestClass(ctx.method, ctx.path) !== 'content') return next();
    const started = Date.now();
    if (!(await turns.take(env.DATABASE_QUEUE_TIMEOUT_MS))) throw poolBusy(Date.now() - started);
    try {
      await next();
    } finally {
      turns.done();
    }
  };
};
