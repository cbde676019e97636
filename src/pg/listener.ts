/**
 * A PostgreSQL LISTEN connection that survives: it reconnects after errors (every `retryMs`) and,
 * once (re)connected, calls `onConnected` so the caller can catch up on what it may have missed.
 * Used by every process-wide wake-up (rebuild dispatcher, read-cache invalidation).
 */
import type { Core } from '@strapi/strapi';
import { Client } from 'pg';
import { loadEnv } from '../env';
import { postgresSsl } from './ssl';

export interface Listener {
  /** Settles at the first successful LISTEN (never rejects; a caller bounds its wait). */
  connected: Promise<void>;
  stop(): Promise<void>;
}

export function listen(
  strapi: Core.Strapi,
  channel: string,
  onNotify: (payload: string | undefined) => void,
  { retryMs, onConnected }: { retryMs: number; onConnected?: () => void },
): Listener {
  const env = loadEnv();
  let stopped = false;
  let current: Client | undefined;
  let markConnected: () => void = () => undefined;
  const connected = new Promise<void>((resolve) => (markConnected = resolve));

  const connect = async () => {
    if (stopped) return;
    const client = new Client({
      connectionString: env.DATABASE_URL,
      ssl: postgresSsl(env),
    });
    const retry = () => {
      if (!stopped) setTimeout(() => void connect(), retryMs).unref();
    };
    client.on('notification', (message) => onNotify(message.payload));
    client.on('error', (error) => {
      strapi.log.warn(`[listen ${channel}] connection lost (${error.message}); retrying`);
      if (current === client) current = undefined;
      client.end().catch(() => undefined);
      retry();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
      if (stopped) {
        await client.end();
        return;
      }
      current = client;
      onConnected?.();
      markConnected();
    } catch (error) {
      client.end().catch(() => undefined);
      if (!stopped) strapi.log.warn(`[listen ${channel}] failed (${error instanceof Error ? error.message : String(error)}); retrying`);
      retry();
    }
  };
  void connect();

  return {
    connected,
    async stop() {
      stopped = true;
      const client = current;
      current = undefined;
      await client?.end().catch(() => undefined);
    },
  };
}

/** How long a boot waits for a LISTEN before serving anyway (the listener keeps retrying). */
export const LISTEN_WAIT_MS = 5_000;

/** Waits until `listener` has connected once, or `ms` passed; whether it connected. */
export async function connectedWithin(listener: Listener, ms = LISTEN_WAIT_MS): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const connected = await Promise.race([listener.connected.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)))]);
  clearTimeout(timer);
  return connected;
}
