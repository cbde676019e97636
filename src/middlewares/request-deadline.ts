/**
 * No content API or GraphQL request holds its client longer than REQUEST_DEADLINE_MS: past it,
 * the request is answered `504` in the API's error shape (`details.deadlineMs`), and the work it
 * started is left to finish or fail on its own, its outcome dropped (a read has nothing to undo; a
 * write keeps its own transaction). A query that waits on a lock, a slow disk or an overloaded
 * database therefore cannot pile up clients behind it, and `/api/health` keeps answering.
 *
 * Not covered: the admin panel and its API (long saves and exports are the editors' own), file
 * uploads (bounded by UPLOAD_MAX_BYTES, and slow on a slow link), and work that blocks the event
 * loop itself (no timer fires then; such work is bounded where it starts: GraphQL document and
 * variable limits, filter bounds, page sizes).
 */
import type { Core } from '@strapi/strapi';
import createError from 'http-errors';
import { loadEnv } from '../env';

/**
 * Set on `ctx.state` once a request's deadline has passed: GraphQL's field resolvers stop at the
 * next field (src/graphql/arguments.ts), so an expired query does not go on resolving for nobody.
 */
export const DEADLINE_PASSED = Symbol.for('newsroom.deadlinePassed');

/** Whether a request is one the deadline applies to. */
export function hasDeadline(method: string, path: string): boolean {
  if (path === '/graphql') return true;
  if (!path.startsWith('/api/')) return false;
  return !(method === 'POST' && (path === '/api/upload' || path.startsWith('/api/upload/')));
}

export default (): Core.MiddlewareHandler => {
  const deadlineMs = loadEnv().REQUEST_DEADLINE_MS;
  return async (ctx, next) => {
    if (!hasDeadline(ctx.method, ctx.path)) return next();
    let timer: NodeJS.Timeout | undefined;
    const work = next();
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), deadlineMs);
    });
    try {
      const outcome = await Promise.race([work, expired]);
      if (outcome !== 'expired') return;
    } finally {
      clearTimeout(timer);
    }
    // The work goes on without its client (GraphQL stops at its next field): whatever it ends
    // with is dropped, never unhandled.
    (ctx.state as Record<symbol, unknown>)[DEADLINE_PASSED] = true;
    work.catch(() => undefined);
    throw createError(504, `The request did not finish within ${deadlineMs} ms; retry shortly`, { expose: true, details: { deadlineMs } });
  };
};
