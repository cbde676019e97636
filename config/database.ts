import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { appRoot, loadEnv } from '../src/env';
import { postgresSsl } from '../src/pg/ssl';

interface SqliteConnection {
  pragma(source: string): unknown;
}

/**
 * Every SQLite connection in write-ahead-log mode with `synchronous = NORMAL`: readers never wait for
 * a writer, and a commit appends to the log without an fsync (the log is synced at checkpoints). An
 * application or process crash loses nothing committed; a power cut may lose the last commits, never
 * half of one (a publish and its webhook outbox row go together). A default journal's fsyncs per
 * commit were a tenth of an ingested item's time (docs/benchmarks.md, Ingest). A page cache of
 * 64 MB (better-sqlite3 builds SQLite with 16 MB): a search at 100k articles reads a few thousand
 * index pages across three structures, which a smaller cache re-reads from the OS on every request.
 */
export function sqliteAfterCreate(raw: unknown, done: (error?: Error, connection?: unknown) => void): void {
  const connection = raw as SqliteConnection;
  try {
    connection.pragma('journal_mode = WAL');
    connection.pragma('synchronous = NORMAL');
    connection.pragma('cache_size = -65536');
    done(undefined, connection);
  } catch (error) {
    done(error as Error, connection);
  }
}

export default (): Core.Config.Database => {
  const env = loadEnv();
  const settings = { useTypescriptMigrations: true };

  if (env.DATABASE_CLIENT === 'postgres') {
    const ssl = postgresSsl(env);
    return {
      connection: {
        client: 'postgres',
        // knex/pg read every part from the URL; the typed fields are required by Strapi's type only.
        connection: { connectionString: env.DATABASE_URL, ssl, schema: env.DATABASE_SCHEMA } as never,
        pool: { min: env.DATABASE_POOL_MIN, max: env.DATABASE_POOL_MAX },
        acquireConnectionTimeout: env.DATABASE_CONNECTION_TIMEOUT_MS,
      },
      settings,
    };
  }

  return {
    connection: {
      client: 'sqlite',
      connection: { filename: path.resolve(appRoot, env.DATABASE_FILENAME) },
      useNullAsDefault: true,
      acquireConnectionTimeout: env.DATABASE_CONNECTION_TIMEOUT_MS,
      pool: { afterCreate: sqliteAfterCreate },
    },
    settings,
  };
};
