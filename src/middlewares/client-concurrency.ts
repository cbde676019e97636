/**
 * One client address runs at most CLIENT_CONCURRENCY_LIMIT expensive requests at once: every
 * content-API and GraphQL request that reaches the stack (the `content` class of
 * src/middlewares/request-deadline.ts: lists, filters, GraphQL, feeds, sitemaps; not the
 * article view, not health, not answers the read cache gives before the stack). One more is a
 * 429 with `Retry-After` at once, before it touches the database, so a single client looping over
 * filter URLs holds at most its share of the pool whatever the rate limit still allows.
 *
 * Counted across processes in Redis when REDIS_URL is set: a sorted set per address holding one
 * member per request in flight, scored by when it started; a member older than the admin
 * deadline (a process that died mid-request) no longer counts. If Redis does not answer, each
 * process counts its own until it does. The client address is Koa's `ctx.ip`, as for the rate
 * limits (TRUST_PROXY). CLIENT_CONCURRENCY_LIMIT=0 turns it off.
 */
import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type Redis from 'ioredis';
import { clientBusy } from '../database-guard/errors';
import { loadEnv } from '../env';
import { sharedRedis } from '../http/redis';
import { requestClass } from './request-deadline';

/** Drops stale members, counts, and adds ours when under the limit: the count after, or -1 when full. Redis's clock, so every process agrees. */
const ENTER = `
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ms - tonumber(ARGV[1]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return -1 end
redis.call('ZADD', KEYS[1], ms, ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return redis.call('ZCARD', KEYS[1])
`;

type Counted = Redis & { newsroomEnter?(key: string, staleMs: number, limit: number, member: string): Promise<number> };

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }): Core.MiddlewareHandler => {
  const env = loadEnv();
  const limit = env.CLIENT_CONCURRENCY_LIMIT;
  if (limit === 0) return async (_ctx, next) => next();
  const staleMs = Math.max(env.ADMIN_REQUEST_DEADLINE_MS, env.REQUEST_DEADLINE_MS) + 5_000;
  const redis = sharedRedis(strapi, env) as Counted | null;
  if (redis && !redis.newsroomEnter) redis.defineCommand('newsroomEnter', { numberOfKeys: 1, lua: ENTER });
  const local = new Map<string, number>();

  /** Enters the address's count; resolves with how to leave it, or null when it is full. */
  const enter = async (address: string): Promise<(() => void) | null> => {
    if (redis?.newsroomEnter && redis.status === 'ready') {
      const key = `${env.REDIS_KEY_PREFIX}:busy:${address}`;
      const member = randomUUID();
      try {
        const count = await redis.newsroomEnter(key, staleMs, limit, member);
        if (count < 0) return null;
        return () => void redis.zrem(key, member).catch(() => undefined);
      } catch {
        // Redis did not answer: this process counts on its own.
      }
    }
    const count = local.get(address) ?? 0;
    if (count >= limit) return null;
    local.set(address, count + 1);
    return () => {
      const left = (local.get(address) ?? 1) - 1;
      if (left <= 0) local.delete(address);
      else local.set(address, left);
    };
  };

  return async (ctx, next) => {
    if (requestClass(ctx.method, ctx.path) !== 'content') return next();
    const leave = await enter(ctx.ip || 'unknown');
    if (!leave) {
      ctx.set('Retry-After', '1');
      throw clientBusy(limit, 1);
    }
    try {
      await next();
    } finally {
      leave();
    }
  };
};
