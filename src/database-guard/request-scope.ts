/**
 * The request a statement runs for. The request deadline (src/middlewares/request-deadline.ts)
 * runs each request it covers inside a scope; the pool guard (./pool.ts) reads it on every
 * connection checkout and statement, so it knows which class of request is asking, how long it
 * may wait, whether its deadline has passed, and which of its statements are running now.
 * Work a request leaves behind (a timer it set, a job it woke) inherits the scope; once the
 * request is over the scope is `finished` and counts as none.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * `view`: the article view and health, which keep a share of the pool; `content`: every other
 * content-API and GraphQL request, which shares the rest; `admin`: the admin panel's API, with
 * its own longer deadline.
 */
export type RequestClass = 'view' | 'content' | 'admin';

export interface RequestScope {
  readonly kind: RequestClass;
  readonly deadlineAt: number;
  readonly deadlineMs: number;
  /** The deadline passed: no new statement starts; running ones are being cancelled. */
  expired: boolean;
  /** The request is over (answered and its work settled): its leftovers are not held to it. */
  finished: boolean;
  /** The request holds a turn of the scan queue (./scan-queue.ts): a nested scan does not take another. */
  scanning: boolean;
  /** Connections running this request's statements now, with how many each has in hand (a transaction's client queues them; PostgreSQL only). */
  readonly running: Map<object, number>;
}

const storage = new AsyncLocalStorage<RequestScope>();

export function newScope(kind: RequestClass, deadlineMs: number, now = Date.now()): RequestScope {
  return { kind, deadlineAt: now + deadlineMs, deadlineMs, expired: false, finished: false, scanning: false, running: new Map() };
}

export function runInScope<T>(scope: RequestScope, work: () => T): T {
  return storage.run(scope, work);
}

/** The scope of the request being served here, if one is (and still in flight). */
export function currentScope(): RequestScope | undefined {
  const scope = storage.getStore();
  return scope && !scope.finished ? scope : undefined;
}

/** Runs `work` outside any request's scope (background jobs a request wakes). */
export function outsideRequests<T>(work: () => T): T {
  return storage.exit(work);
}
