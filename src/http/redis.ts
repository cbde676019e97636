/**
 * The one Redis connection per app that the per-client limits share (the rate limits,
 * src/middlewares/rate-limit.ts; the concurrency limit, src/middlewares/client-concurrency.ts),
 * when REDIS_URL is set. No offline queue: while Redis is away a call fails at once and each
 * limit counts in this process instead; a warning at most once a minute.
 */
import type { Core } from '@strapi/strapi';
import Redis from 'ioredis';
import type { Env } from '../env';

const clients = new WeakMap<Core.Strapi, Redis>();

export function sharedRedis(strapi: Core.Strapi, env: Env): Redis | null {
  if (!env.REDIS_URL) return null;
  let redis = clients.get(strapi);
  if (!redis) {
    redis = new Redis(env.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000 });
    let warned = 0;
    redis.on('error', (error: Error) => {
      if (Date.now() - warned < 60_000) return;
      warned = Date.now();
      strapi.log.warn(`[limits] Redis: ${error.message}; counting in this process until it answers`);
    });
    clients.set(strapi, redis);
  }
  return redis;
}

/** Closes the app's Redis connection, if it opened one. */
export async function closeSharedRedis(strapi: Core.Strapi): Promise<void> {
  const redis = clients.get(strapi);
  clients.delete(strapi);
  await redis?.quit().catch(() => redis.disconnect());
}
