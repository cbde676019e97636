/**
 * No request holds its client, or the database, past its deadline:
 *   content API and GraphQL   REQUEST_DEADLINE_MS (the article view and health included)
 *   the admin panel's API     ADMIN_REQUEST_DEADLINE_MS
 * Past it the request is answered `504` in the API's error shape (`details.deadlineMs`), no new
 * statement of it starts, and on PostgreSQL the statements it is running are cancelled (so are
 * those a failed request leaves running)
 * (src/database-guard/pool.ts): a query that waits on a lock, a slow disk or a sequential scan
 * cannot pile up connections behind it, and `/api/health` keeps answering. A write cut off
 * this way is rolled back whole by its transaction, never half-stored.
 *
 * Every request covered runs inside a request scope (src/database-guard/request-scope.ts), which
 * also tells the pool which share of it the request may use.
 *
 * Not covered, because they are long by nature and bounded elsewhere (LONG_JOBS): file uploads
 * (UPLOAD_MAX_BYTES, and slow on a slow link), Strapi's data transfer (`strapi transfer`,
 * imports and exports over `/admin/transfer`), the content-type builder's writes (the server
 * restarts) and the content manager's bulk actions (publish, unpublish or delete many documents
 * at once). Work that blocks the event loop itself is bounded where it starts (no timer fires
 * then): GraphQL document and variable limits, filter bounds, page sizes, and the filters an
 * anonymous reader may run (src/content-api/public-filters.ts).
 */
import type { Core } from '@strapi/strapi';
import { deadlinePassed } from '../database-guard/errors';
import { poolGuardOf } from '../database-guard/pool';
import { newScope, runInScope, type RequestClass } from '../database-guard/request-scope';
import { loadEnv } from '../env';

/**
 * Set on `ctx.state` once a request's deadline has passed: GraphQL's field resolvers stop at the
 * next field (src/graphql/arguments.ts), so an expired query does not go on resolving for nobody.
 */
export const DEADLINE_PASSED = Symbol.for('newsroom.deadlinePassed');

/** The article view and health: they keep a share of the pool (DATABASE_POOL_RESERVED). */
const VIEW = /^\/api\/(health|articles\/slug\/[^/]+)\/?$/;
/** The admin panel and its plugins' admin APIs. */
const ADMIN = /^\/(admin|content-manager|content-type-builder|upload|i18n|users-permissions|email|content-releases|review-workflows|newsroom)(\/|$)/;

/** The long jobs no deadline applies to, each with why (see the header). */
export const LONG_JOBS: ReadonlyArray<{ name: string; matches: (method: string, path: string) => boolean }> = [
  { name: 'file uploads (content API and media library)', matches: (method, path) => method === 'POST' && /^\/(api\/)?upload(\/|$)/.test(path) },
  { name: "Strapi's data transfer (strapi transfer, imports, exports)", matches: (_method, path) => path.startsWith('/admin/transfer/') },
  { name: "the content-type builder's writes", matches: (method, path) => method !== 'GET' && path.startsWith('/content-type-builder/') },
  { name: "the content manager's bulk actions", matches: (method, path) => method === 'POST' && /^\/content-manager\/collection-types\/[^/]+\/actions\/bulk/.test(path) },
];

/** Which deadline (and share of the pool) a request gets, or null for none. */
export function requestClass(method: string, path: string): RequestClass | null {
  if (LONG_JOBS.some((job) => job.matches(method, path))) return null;
  if (path === '/graphql') return 'content';
  if (path.startsWith('/api/')) return method === 'GET' && VIEW.test(path) ? 'view' : 'content';
  return ADMIN.test(path) ? 'admin' : null;
}

/** Whether a request is one a deadline applies to. */
export function hasDeadline(method: string, path: string): boolean {
  return requestClass(method, path) !== null;
}

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }): Core.MiddlewareHandler => {
  const env = loadEnv();
  return async (ctx, next) => {
    const kind = requestClass(ctx.method, ctx.path);
    if (!kind) return next();
    const deadlineMs = kind === 'admin' ? env.ADMIN_REQUEST_DEADLINE_MS : env.REQUEST_DEADLINE_MS;
    const scope = newScope(kind, deadlineMs);
    let timer: NodeJS.Timeout | undefined;
    const work = runInScope(scope, next);
    const settled = work.then(
      () => true,
      () => false,
    );
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), deadlineMs);
    });
    try {
      const outcome = await Promise.race([work, expired]);
      if (outcome !== 'expired') return;
    } finally {
      clearTimeout(timer);
      // Once the work is over, what it leaves behind (a timer, a woken job) is not held to this request.
      // A request that failed may leave statements running (one part of a Promise.all waited on a lock
      // while another was refused): nobody reads them, so they are cancelled like an expired request's.
      void settled.then((ok) => {
        if (!ok) poolGuardOf(strapi)?.expire(scope);
        scope.finished = true;
      });
    }
    // The work goes on without its client only until its next statement: running ones are
    // cancelled, new ones refused (GraphQL also stops at its next field). Its outcome is dropped.
    (ctx.state as Record<symbol, unknown>)[DEADLINE_PASSED] = true;
    poolGuardOf(strapi)?.expire(scope);
    throw deadlinePassed(deadlineMs);
  };
};
