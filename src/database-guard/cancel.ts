/**
 * Cancels the statement a PostgreSQL connection is running, with the protocol's own cancel
 * request (a separate short connection carrying the backend's process id and secret key, as
 * `psql`'s Ctrl+C does). It needs no connection from the pool, which may be the very thing that
 * is exhausted, and it reaches the server through PgBouncer, which forwards cancel requests to
 * the right backend (`pg_cancel_backend(pid)` would name PgBouncer's process id there).
 * The backend aborts the statement with 57014 ("canceling statement due to user request"); the
 * connection stays usable and goes back to the pool. A cancel that arrives when the connection is
 * idle is ignored by the server.
 */
import { Connection } from 'pg';

/** What a pg Client exposes after it connected (pg 8). */
export interface PgBackend {
  processID?: number | null;
  secretKey?: number | null;
  host?: string;
  port?: number;
}

const CANCEL_TIMEOUT_MS = 2_000;

/**
 * Resolves once the cancel request was sent and the server closed its side: true. On failure or
 * after at most 2 s: false, and the connection is marked disposed — the cancel may still reach its
 * backend later and would then abort whatever statement the connection runs next, so the pool
 * drops it (knex's pool validates `__knex__disposed` on every acquire) instead of reusing it.
 */
export function cancelStatement(backend: PgBackend): Promise<boolean> {
  const { processID, secretKey, host, port } = backend;
  if (typeof processID !== 'number' || typeof secretKey !== 'number' || !host) return Promise.resolve(true);
  return new Promise((resolve) => {
    // pg's Connection speaks the protocol; its typings leave out connect and cancel.
    const con = new Connection() as Connection & { connect(port: number | string, host?: string): void; cancel(processID: number, secretKey: number): void };
    let settled = false;
    const done = (confirmed: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      con.stream.destroy();
      if (!confirmed) (backend as { __knex__disposed?: string }).__knex__disposed = 'its statement was cancelled without confirmation';
      resolve(confirmed);
    };
    const timer = setTimeout(() => done(false), CANCEL_TIMEOUT_MS);
    con.on('connect', () => con.cancel(processID, secretKey));
    con.on('end', () => done(true));
    con.on('error', () => done(false));
    // A host that starts with / is the folder of a Unix socket (pg's own rule).
    if (host.startsWith('/')) con.connect(`${host}/.s.PGSQL.${port ?? 5432}`);
    else con.connect(port ?? 5432, host);
  });
}
