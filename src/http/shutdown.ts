/**
 * Graceful shutdown, for rolling restarts behind a proxy that probes /api/health:
 *
 *   SIGTERM (or SIGINT)
 *   1. /api/health answers 503 (draining) at once; every other request is still served, for
 *      SHUTDOWN_GRACE_MS, long enough for the proxy's probe to take this process out of rotation
 *      (deploy/varnish/backends.vcl's probe needs 2 failures a second apart);
 *   2. then it stops accepting connections; requests in flight finish (each answer closes its
 *      keep-alive connection), idle connections are closed;
 *   3. the rebuild dispatcher finishes the sends it holds and releases the deliveries it claimed
 *      but did not send (so another process sends them once, without waiting out a lease);
 *   4. Strapi is destroyed (LISTEN and Redis connections, the database pool) and the process exits 0.
 *
 * All of it within SHUTDOWN_TIMEOUT_MS: past it, or on a second signal, the process exits 1 at once.
 * Strapi's own signal handler (which cuts every connection at once) is replaced.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Core } from '@strapi/strapi';
import type { Env } from '../env';
import { stopRebuild } from '../rebuild';

interface DrainState {
  draining: boolean;
  inFlight: number;
}

const states = new WeakMap<Core.Strapi, DrainState>();

/** Whether this process is shutting down (health answers 503 from the first signal on). */
export const isDraining = (strapi: Core.Strapi): boolean => states.get(strapi)?.draining ?? false;

/** Counts requests in flight on Strapi's HTTP server; once draining, each answer closes its connection. */
function trackRequests(strapi: Core.Strapi, state: DrainState): void {
  // Before Strapi's own listener, which may answer at once.
  strapi.server.httpServer.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    state.inFlight += 1;
    if (state.draining && !res.headersSent) res.setHeader('Connection', 'close');
    res.once('close', () => (state.inFlight -= 1));
  });
}

/** Drains; false when SHUTDOWN_TIMEOUT_MS passed while requests were still in flight (then nothing more is done). */
async function drain(strapi: Core.Strapi, env: Env, state: DrainState, signal: string): Promise<boolean> {
  const started = Date.now();
  const left = () => Math.max(0, env.SHUTDOWN_TIMEOUT_MS - (Date.now() - started));
  state.draining = true;
  strapi.log.info(`[shutdown] ${signal}: draining; /api/health answers 503 for ${env.SHUTDOWN_GRACE_MS} ms before this process stops accepting`);
  await sleep(Math.min(env.SHUTDOWN_GRACE_MS, left()));

  const server = strapi.server.httpServer;
  const closed = new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  // Keep-alive connections between requests would hold the server open: closed now, and again
  // as in-flight requests end (each answer says Connection: close).
  server.closeIdleConnections();
  const idle = setInterval(() => server.closeIdleConnections(), 50);
  const allClosed = await Promise.race([closed.then(() => true), sleep(left()).then(() => false)]);
  clearInterval(idle);
  strapi.log.info(`[shutdown] stopped accepting; ${state.inFlight} request(s) still in flight after ${Date.now() - started} ms`);
  // The wait ended by the timeout, which can come before the timeout's own timer runs.
  if (!allClosed) return false;

  // The dispatcher before the rest: its sends need the database.
  await stopRebuild(strapi, left());
  await strapi.destroy();
  return true;
}

export function installGracefulShutdown(strapi: Core.Strapi, env: Env): void {
  const state: DrainState = { draining: false, inFlight: 0 };
  states.set(strapi, state);
  trackRequests(strapi, state);
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      strapi.log.warn(`[shutdown] second ${signal}: exiting now`);
      process.exit(1);
    }
    stopping = true;
    const giveUp = () => {
      strapi.log.error(`[shutdown] not done within SHUTDOWN_TIMEOUT_MS (${env.SHUTDOWN_TIMEOUT_MS} ms): exiting now`);
      process.exit(1);
    };
    const timeout = setTimeout(giveUp, env.SHUTDOWN_TIMEOUT_MS);
    drain(strapi, env, state, signal).then(
      (drained) => {
        if (!drained) return giveUp();
        clearTimeout(timeout);
        process.stdout.write(`[shutdown] drained, exiting 0\n`);
        process.exit(0);
      },
      (error: unknown) => {
        strapi.log.error(`[shutdown] ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  // Strapi's handler destroys at once, cutting requests in flight: this one replaces it.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, onSignal);
  }
}
