/**
 * Abuse limits per client IP (rate-limiter-flexible), early in the stack:
 *   api     the content API and GraphQL (`/api/…`, `/graphql`; not `/api/health`):
 *           RATE_LIMIT_API_POINTS requests per RATE_LIMIT_API_WINDOW_SECONDS
 *   login   POSTs that try a password or a reset (`/admin/login`, `/admin/forgot-password`,
 *           `/admin/reset-password`, `/admin/register-admin`, `/api/auth/local`, …):
 *           RATE_LIMIT_LOGIN_POINTS per RATE_LIMIT_LOGIN_WINDOW_SECONDS
 * Over the limit: a 429 JSON error with `Retry-After`; every limited answer carries
 * `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`. Answers the read cache gives
 * before the stack (anonymous cached reads, src/cache/front.ts) are not counted: they cost a
 * lookup, which is what the limit protects.
 *
 * The client IP is Koa's `ctx.ip`: the socket address, or behind TRUST_PROXY=true the
 * X-Forwarded-For entry added by the nearest trusted proxy (TRUST_PROXY_HOPS, config/server.ts),
 * so a client cannot pick its own bucket by sending the header.
 *
 * Counters live in memory (one process), or in Redis when REDIS_URL is set, shared by every
 * process; if Redis stops answering, each process falls back to its own memory counters until it
 * answers again (never a 5xx because of the limiter). RATE_LIMIT_ENABLED=false turns it off.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Env } from '../env';
import { loadEnv } from '../env';
import { closeSharedRedis, sharedRedis } from '../http/redis';

const API_PATH = /^\/(api|graphql)(\/|$)/;
const HEALTH_PATH = /^\/api\/health\/?$/;
const LOGIN_PATH = /^\/(admin\/(login|register-admin|forgot-password|reset-password)|api\/auth\/(local(\/register)?|forgot-password|reset-password|send-email-confirmation))\/?$/;

interface Rule {
  name: 'api' | 'login';
  points: number;
  limiter: RateLimiterAbstract;
}

function limiterFor(strapi: Core.Strapi, env: Env, name: Rule['name'], points: number, duration: number): RateLimiterAbstract {
  const memory = new RateLimiterMemory({ keyPrefix: name, points, duration });
  const redis = sharedRedis(strapi, env);
  if (!redis) return memory;
  return new RateLimiterRedis({ storeClient: redis, keyPrefix: `${env.REDIS_KEY_PREFIX}:rate:${name}`, points, duration, insuranceLimiter: memory });
}

function ruleOf(ctx: { method: string; path: string }, rules: { api: Rule; login: Rule }): Rule | null {
  if (ctx.method === 'POST' && LOGIN_PATH.test(ctx.path)) return rules.login;
  if (API_PATH.test(ctx.path) && !HEALTH_PATH.test(ctx.path)) return rules.api;
  return null;
}

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }): Core.MiddlewareHandler => {
  const env = loadEnv();
  if (!env.RATE_LIMIT_ENABLED) return async (_ctx, next) => next();
  const rules = {
    api: { name: 'api', points: env.RATE_LIMIT_API_POINTS, limiter: limiterFor(strapi, env, 'api', env.RATE_LIMIT_API_POINTS, env.RATE_LIMIT_API_WINDOW_SECONDS) },
    login: { name: 'login', points: env.RATE_LIMIT_LOGIN_POINTS, limiter: limiterFor(strapi, env, 'login', env.RATE_LIMIT_LOGIN_POINTS, env.RATE_LIMIT_LOGIN_WINDOW_SECONDS) },
  } as const;

  return async (ctx, next) => {
    const rule = ruleOf(ctx, rules);
    if (!rule) return next();
    let result: RateLimiterRes;
    try {
      result = await rule.limiter.consume(ctx.ip || 'unknown');
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      ctx.set('Retry-After', String(retryAfter));
      ctx.set('RateLimit-Limit', String(rule.points));
      ctx.set('RateLimit-Remaining', '0');
      ctx.set('RateLimit-Reset', String(retryAfter));
      // Strapi's own error for this: a 429 in the JSON error shape.
      throw new errors.RateLimitError(`Too many requests; retry in ${retryAfter} s`, { retryAfter, limit: rule.name });
    }
    ctx.set('RateLimit-Limit', String(rule.points));
    ctx.set('RateLimit-Remaining', String(result.remainingPoints));
    ctx.set('RateLimit-Reset', String(Math.ceil(result.msBeforeNext / 1000)));
    return next();
  };
};

/** Closes the Redis connection the limits opened, if any. */
export async function stopRateLimit(strapi: Core.Strapi): Promise<void> {
  await closeSharedRedis(strapi);
}
