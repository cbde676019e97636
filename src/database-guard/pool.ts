/**
 * The connection pool as requests meet it (knex's client, wrapped once per app):
 *
 * - A checkout for a request waits briefly: a content-API or GraphQL request (`view` or
 *   `content`) at most DATABASE_QUEUE_TIMEOUT_MS (or what is left of its deadline), then a 503
 *   with `Retry-After`; an admin request until its own deadline. A checkout that our timer gave
 *   up on goes back to the pool the moment the pool hands it over.
 * - `content` requests (lists, filters, GraphQL) share DATABASE_POOL_MAX − DATABASE_POOL_RESERVED
 *   connections between them (PostgreSQL): the rest stay free for the article view, health, the
 *   admin and the background jobs, so costly requests cannot take every connection.
 * - Once a request's deadline has passed, none of its statements starts (ending a transaction it
 *   opened still may: COMMIT, ROLLBACK, RELEASE), and on PostgreSQL each statement it is running
 *   is cancelled (./cancel.ts); the connection goes back to the pool only after its cancel was
 *   delivered, so the cancel cannot reach another request's statement.
 * Outside a request (boot, migrations, the outbox, the scheduler, scripts) nothing changes.
 */
import type { Core } from '@strapi/strapi';
import type { Env } from '../env';
import { cancelStatement, type PgBackend } from './cancel';
import { deadlinePassed, poolBusy } from './errors';
import { Gate } from './gate';
import { currentScope, type RequestScope } from './request-scope';

type Connection = object;
interface KnexClient {
  acquireConnection(): Promise<Connection>;
  releaseConnection(connection: Connection): Promise<void>;
  _query(connection: Connection, obj: unknown): Promise<unknown>;
  constructor: { prototype: KnexClient };
  pool?: { numUsed(): number; numFree(): number; numPendingAcquires(): number; numPendingCreates(): number };
}

/** The statements a transaction ends with: they run even after the deadline, so no connection is left in a transaction. */
const ENDS_TRANSACTION = /^\s*(commit|rollback|release)\b/i;
const sqlOf = (obj: unknown) => (typeof obj === 'string' ? obj : typeof (obj as { sql?: unknown })?.sql === 'string' ? (obj as { sql: string }).sql : '');

export interface PoolGuard {
  readonly max: number;
  readonly reserved: number;
  /** The content requests' share: how many of them hold a connection, and how many wait for one. */
  readonly content: Gate | null;
  /** Ends a request whose deadline passed: its running statements are cancelled (PostgreSQL). */
  expire(scope: RequestScope): void;
}

const guards = new WeakMap<Core.Strapi, PoolGuard>();
/** Connections whose statement is being cancelled: released once the cancel is delivered. */
const cancelling = new WeakMap<Connection, Promise<boolean>>();
const PATCHED = Symbol.for('newsroom.poolGuardQuery');

/**
 * The statement wrapper, on the dialect client's prototype (a transaction's client is made from
 * the prototype, not from the app's client): tracks which connections run a request's statement
 * and refuses new statements of a request past its deadline.
 */
function guardStatements(proto: KnexClient, track: boolean): void {
  const marked = proto as KnexClient & { [PATCHED]?: true };
  if (marked[PATCHED]) return;
  marked[PATCHED] = true;
  const original = proto._query;
  proto._query = function guardedQuery(this: KnexClient, connection: Connection, obj: unknown) {
    const scope = currentScope();
    if (!scope) return original.call(this, connection, obj);
    if (scope.expired && !ENDS_TRANSACTION.test(sqlOf(obj))) return Promise.reject(deadlinePassed(scope.deadlineMs));
    if (!track) return original.call(this, connection, obj);
    const { running } = scope;
    running.set(connection, (running.get(connection) ?? 0) + 1);
    const done = () => {
      const left = (running.get(connection) ?? 1) - 1;
      if (left > 0) running.set(connection, left);
      else running.delete(connection);
    };
    let result: Promise<unknown>;
    try {
      result = original.call(this, connection, obj);
    } catch (error) {
      done();
      throw error;
    }
    return result.finally(done);
  };
}

/** Rejects with a 503 after `ms`; a connection that arrives later goes straight back. */
function acquireWithin(acquire: () => Promise<Connection>, release: (c: Connection) => unknown, ms: number): Promise<Connection> {
  return new Promise((resolve, reject) => {
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      reject(poolBusy(ms));
    }, ms);
    acquire().then(
      (connection) => {
        clearTimeout(timer);
        if (late) release(connection);
        else resolve(connection);
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (!late) reject(error);
      },
    );
  });
}

export function installPoolGuard(strapi: Core.Strapi, env: Env): PoolGuard {
  const client = (strapi.db.connection as unknown as { client: KnexClient }).client;
  const postgres = env.DATABASE_CLIENT === 'postgres';
  guardStatements(client.constructor.prototype, postgres);

  const max = postgres ? env.DATABASE_POOL_MAX : 1;
  const reserved = postgres ? env.DATABASE_POOL_RESERVED : 0;
  // On SQLite a statement holds the process, not a connection: there is no share to keep.
  const content = postgres ? new Gate(Math.max(1, max - reserved)) : null;
  const holdsShare = new WeakSet<Connection>();

  const acquire = client.acquireConnection.bind(client);
  const release = client.releaseConnection.bind(client);

  const releaseNow = (connection: Connection) => {
    const done = release(connection);
    if (holdsShare.delete(connection)) content?.release();
    return done;
  };

  client.acquireConnection = async function guardedAcquire() {
    const scope = currentScope();
    if (!scope) return acquire();
    if (scope.expired) throw deadlinePassed(scope.deadlineMs);
    const left = Math.max(0, scope.deadlineAt - Date.now());
    const wait = scope.kind === 'admin' ? left : Math.min(env.DATABASE_QUEUE_TIMEOUT_MS, left);
    const started = Date.now();
    const share = scope.kind === 'content' ? content : null;
    if (share && !(await share.acquire(wait))) throw poolBusy(Date.now() - started);
    try {
      const connection = await acquireWithin(acquire, releaseNow, Math.max(1, wait - (Date.now() - started)));
      if (share) holdsShare.add(connection);
      return connection;
    } catch (error) {
      share?.release();
      throw error;
    }
  };

  client.releaseConnection = function guardedRelease(connection: Connection) {
    const pending = cancelling.get(connection);
    if (!pending) return releaseNow(connection);
    return pending.then(() => {
      cancelling.delete(connection);
      return releaseNow(connection);
    });
  };

  const guard: PoolGuard = {
    max,
    reserved,
    content,
    expire(scope) {
      scope.expired = true;
      if (!postgres) return;
      for (const connection of scope.running.keys()) {
        if (cancelling.has(connection)) continue;
        cancelling.set(connection, cancelStatement(connection as PgBackend));
      }
    },
  };
  guards.set(strapi, guard);
  return guard;
}

export function poolGuardOf(strapi: Core.Strapi): PoolGuard | undefined {
  return guards.get(strapi);
}

/** The pool as /api/health reports it, with the content queue (`queue`: src/middlewares/content-queue.ts). */
export function poolState(strapi: Core.Strapi, queue?: { inUse: number; waiting: number }): Record<string, number> | null {
  const pool = (strapi.db.connection as unknown as { client: KnexClient }).client.pool;
  const guard = guards.get(strapi);
  if (!pool) return null;
  return {
    contentRequests: queue?.inUse ?? 0,
    contentQueued: queue?.waiting ?? 0,
    max: guard?.max ?? 0,
    used: pool.numUsed(),
    free: pool.numFree(),
    waiting: pool.numPendingAcquires(),
    reserved: guard?.reserved ?? 0,
    contentInUse: guard?.content?.inUse ?? 0,
    contentWaiting: guard?.content?.waiting ?? 0,
  };
}
