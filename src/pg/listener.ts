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
    } catch (error) {
      client.end().catch(() => undefined);
      if (!stopped) strapi.log.warn(`[listen ${channel}] failed (${error instanceof Error ? error.message : String(error)}); retrying`);
      retry();
    }
  };
  void connect();

  return {
    async stop() {
      stopped = true;
      const client = current;
      current = undefined;
      await client?.end().catch(() => undefined);
    },
  };
}
