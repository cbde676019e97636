/**
 * SQLite reads without knex's per-query machinery.
 *
 * knex's better-sqlite3 client prepares every statement anew on every query; preparing (parsing
 * and planning the SQL) costs as much as running a small read. `cacheSqliteStatements` keeps the
 * last 500 prepared statements of each connection and reuses them for the same SQL text, which
 * better-sqlite3 allows (SQLite re-prepares a statement itself if the schema changed). Everything
 * else about such a query (bindings, results, knex's events) is knex's own code path.
 *
 * `sqliteReader` is for the article reads (reads/article-loader.ts), whose statements are fixed
 * SELECTs: the statements one request starts together run on one pooled connection, acquired
 * once, with the same prepared-statement cache, and each is still announced on knex's `query`
 * event (what counts and logs statements sees them). On the knex path each statement paid for a
 * pool acquisition, a runner and its promise chain, which cost more than SQLite's own work.
 */
import path from 'node:path';
import type { Knex } from 'knex';

interface Statement {
  reader: boolean;
  all(bindings: unknown[]): unknown[];
}
interface Connection {
  prepare(sql: string): Statement;
  __knexUid?: string;
}
interface ClientPrototype {
  _query(connection: Connection, obj: { sql: string }): Promise<unknown>;
  __newsroomStatementCache?: true;
}

const MAX_PER_CONNECTION = 500;
const caches = new WeakMap<Connection, Map<string, Statement>>();

/** The connection's prepared statement for `sql`, from the cache (most recently used last) or new. */
function prepared(connection: Connection, sql: string, prepare: (sql: string) => Statement = (s) => connection.prepare(s)): Statement {
  let cache = caches.get(connection);
  if (!cache) caches.set(connection, (cache = new Map()));
  const known = cache.get(sql);
  if (known) {
    cache.delete(sql);
    cache.set(sql, known);
    return known;
  }
  const statement = prepare(sql);
  cache.set(sql, statement);
  if (cache.size > MAX_PER_CONNECTION) cache.delete(cache.keys().next().value as string);
  return statement;
}

export function cacheSqliteStatements(): void {
  const knexDir = path.dirname(require.resolve('knex/package.json'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Client = require(path.join(knexDir, 'lib', 'dialects', 'better-sqlite3', 'index.js')) as { prototype: ClientPrototype };
  const proto = Client.prototype;
  if (proto.__newsroomStatementCache) return;
  const original = proto._query;
  proto._query = function cachedQuery(this: ClientPrototype, connection: Connection, obj: { sql: string }) {
    if (!connection || !obj?.sql) return original.call(this, connection, obj);
    const prepare = connection.prepare.bind(connection);
    // Hand knex's own _query a connection whose prepare answers from the cache.
    const proxy = Object.create(connection) as Connection;
    proxy.prepare = (sql: string) => prepared(connection, sql, prepare);
    return original.call(this, proxy, obj);
  };
  proto.__newsroomStatementCache = true;
}

interface KnexClient {
  acquireConnection(): Promise<Connection>;
  releaseConnection(connection: Connection): Promise<unknown>;
  emit(event: string, ...args: unknown[]): boolean;
  /** How knex's better-sqlite3 client turns bindings into values SQLite takes (dates, booleans). */
  _formatBindings(bindings: unknown[]): unknown[];
}

interface Pending {
  sql: string;
  bindings: unknown[];
  resolve(rows: Record<string, unknown>[]): void;
  reject(error: unknown): void;
}

/** Runs SELECTs; those asked for before the pool hands over a connection share it. */
export function sqliteReader(knex: Knex): (sql: string, bindings: readonly unknown[]) => Promise<Record<string, unknown>[]> {
  const client = knex.client as unknown as KnexClient;
  let waiting: Pending[] | null = null;
  let queries = 0;

  const runAll = async (batch: Pending[]) => {
    let connection: Connection;
    try {
      connection = await client.acquireConnection();
    } catch (error) {
      // Later reads queue anew (and try the pool again) rather than join a batch that ended.
      if (waiting === batch) waiting = null;
      for (const p of batch) p.reject(error);
      return;
    }
    // Later reads queue anew: this batch is closed once it has its connection.
    if (waiting === batch) waiting = null;
    try {
      for (const p of batch) {
        const query = { method: 'raw', sql: p.sql, bindings: p.bindings, __knexUid: connection.__knexUid, __knexQueryUid: `newsroom-read-${(queries += 1)}` };
        client.emit('query', query);
        try {
          const statement = prepared(connection, p.sql);
          if (!statement.reader) throw new Error('sqliteReader runs SELECT statements only');
          const rows = statement.all(client._formatBindings(p.bindings)) as Record<string, unknown>[];
          client.emit('query-response', rows, query);
          p.resolve(rows);
        } catch (error) {
          client.emit('query-error', error, query);
          p.reject(error);
        }
      }
    } finally {
      await client.releaseConnection(connection);
    }
  };

  return (sql, bindings) =>
    new Promise((resolve, reject) => {
      const pending = { sql, bindings: [...bindings], resolve, reject };
      if (waiting) return void waiting.push(pending);
      const batch = (waiting = [pending]);
      void runAll(batch);
    });
}
