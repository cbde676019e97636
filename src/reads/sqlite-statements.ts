/**
 * knex's better-sqlite3 client prepares every statement anew on every query; preparing (parsing
 * and planning the SQL) costs as much as running a small read. This keeps the last 500 prepared
 * statements of each connection and reuses them for the same SQL text, which better-sqlite3
 * allows (a statement is re-prepared by SQLite itself if the schema changed). Everything else
 * about the query (bindings, results, knex's events) is knex's own code path. SQLite only: the
 * PostgreSQL client is left alone.
 */
import path from 'node:path';

interface Statement {
  reader: boolean;
}
interface Connection {
  prepare(sql: string): Statement;
}
interface ClientPrototype {
  _query(connection: Connection, obj: { sql: string }): Promise<unknown>;
  __newsroomStatementCache?: true;
}

const MAX_PER_CONNECTION = 500;

export function cacheSqliteStatements(): void {
  const knexDir = path.dirname(require.resolve('knex/package.json'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Client = require(path.join(knexDir, 'lib', 'dialects', 'better-sqlite3', 'index.js')) as { prototype: ClientPrototype };
  const proto = Client.prototype;
  if (proto.__newsroomStatementCache) return;
  const original = proto._query;
  const caches = new WeakMap<Connection, Map<string, Statement>>();
  proto._query = function cachedQuery(this: ClientPrototype, connection: Connection, obj: { sql: string }) {
    if (!connection || !obj?.sql) return original.call(this, connection, obj);
    let cache = caches.get(connection);
    if (!cache) caches.set(connection, (cache = new Map()));
    const known = cache.get(obj.sql);
    const prepare = connection.prepare.bind(connection);
    // Hand knex's own _query a connection whose prepare answers from the cache.
    const proxy = Object.create(connection) as Connection;
    proxy.prepare = (sql: string) => {
      if (known && sql === obj.sql) {
        cache.delete(sql);
        cache.set(sql, known); // most recently used last
        return known;
      }
      const statement = prepare(sql);
      cache.set(sql, statement);
      if (cache.size > MAX_PER_CONNECTION) cache.delete(cache.keys().next().value as string);
      return statement;
    };
    return original.call(this, proxy, obj);
  };
  proto.__newsroomStatementCache = true;
}
