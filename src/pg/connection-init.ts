/**
 * Strapi (5.54) prepares every new pooled PostgreSQL connection in the pool's `afterCreate` hook
 * (`SET search_path`) with a promise it never catches: when the connection dies during that
 * statement (PostgreSQL restarting, a failover, an operator's pg_terminate_backend) the rejection
 * is unhandled and Node ends the process. Found by tests/integration/database-faults.test.ts.
 * Here the dialect's per-connection `initialize` is wrapped so such a failure marks the connection
 * dead instead (knex's pool validates connections and replaces a dead one); the requests that
 * needed it are 503s like any other during an outage.
 */
import type { Core } from '@strapi/strapi';

type NativeConnection = { __knex__disposed?: unknown };
interface Dialect {
  initialize(connection: NativeConnection): Promise<void>;
}

export function guardConnectionInit(strapi: Core.Strapi): void {
  const dialect = (strapi.db as unknown as { dialect: Dialect }).dialect;
  const initialize = dialect.initialize.bind(dialect);
  dialect.initialize = async (connection) => {
    try {
      await initialize(connection);
    } catch (error) {
      // knex's own mark for a connection its pool must not hand out (pg's 'error' event sets it too).
      connection.__knex__disposed = error;
      strapi.log.warn(`[database] a new connection failed while being prepared (${error instanceof Error ? error.message : String(error)}); it is dropped`);
    }
  };
}
