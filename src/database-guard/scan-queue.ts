/**
 * The queue for scans: a request with an API token whose filters, sort or `_q` the public may not
 * run (src/content-api/public-filters.ts: a substring match, an unindexed field, a relation) reads
 * much of the archive. At 100,000 articles on a two-core PostgreSQL, seven of them at once (the
 * content share of the pool) kept the database's cores busy and the uncached article view took
 * up to 3.9 s. So a process runs at most SCAN_REQUESTS_MAX of them at once (1 by default); the
 * others wait their turn up to DATABASE_QUEUE_TIMEOUT_MS, then get the pool's 503 with
 * `Retry-After: 1`. Each still ends at its deadline, its statements cancelled.
 * REST holds the turn for the whole request (src/middlewares/read-query.ts); GraphQL for the root
 * list field's resolver (src/graphql/arguments.ts; a connection's `pageInfo` count runs after it).
 */
import type { Core } from '@strapi/strapi';
import { loadEnv } from '../env';
import { poolBusy } from './errors';
import { Turns } from './gate';
import { currentScope } from './request-scope';

const queues = new WeakMap<Core.Strapi, Turns>();

export function scanQueueOf(strapi: Core.Strapi): Turns {
  let queue = queues.get(strapi);
  if (!queue) {
    queue = new Turns(loadEnv().SCAN_REQUESTS_MAX);
    queues.set(strapi, queue);
  }
  return queue;
}

/** Runs `work` on a turn of the scan queue; a 503 when no turn came within DATABASE_QUEUE_TIMEOUT_MS. */
export async function asScan<T>(strapi: Core.Strapi, work: () => Promise<T> | T): Promise<T> {
  const scope = currentScope();
  // A request that already holds a turn (two list fields of one GraphQL query) does not wait for itself.
  if (scope?.scanning) return work();
  const queue = scanQueueOf(strapi);
  const started = Date.now();
  if (!(await queue.take(loadEnv().DATABASE_QUEUE_TIMEOUT_MS))) throw poolBusy(Date.now() - started);
  if (scope) scope.scanning = true;
  try {
    return await work();
  } finally {
    if (scope) scope.scanning = false;
    queue.done();
  }
}
