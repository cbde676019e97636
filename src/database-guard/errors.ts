/**
 * The answers of the pool guard, in the API's error shape (Strapi formats http-errors with
 * `expose`; src/errors/boundary.ts keeps their messages and sets `Retry-After` from
 * `details.retryAfter`).
 */
import { errors } from '@strapi/utils';
import createError from 'http-errors';

/** A request whose deadline passed: 504 (the same answer the deadline middleware gives). */
export const deadlinePassed = (deadlineMs: number) =>
  createError(504, `The request did not finish within ${deadlineMs} ms; retry shortly`, { expose: true, details: { deadlineMs } });

/** Seconds a client is told to wait after the pool was busy. */
export const POOL_BUSY_RETRY_AFTER_SECONDS = 1;

/** No connection (or no share of the pool) came free in time: 503, retry in a second. */
export const poolBusy = (waitedMs: number) =>
  createError(503, 'The database is busy with other requests; retry shortly', {
    expose: true,
    details: { pool: 'busy', waitedMs, retryAfter: POOL_BUSY_RETRY_AFTER_SECONDS },
  });

/** One client address already runs its share of expensive requests: 429. */
export const clientBusy = (limit: number, retryAfter: number) =>
  new errors.RateLimitError(`Too many requests at once from this address (at most ${limit}); retry shortly`, { concurrent: limit, retryAfter });

/** Whether an error is the pool guard's 503 (a resolver that met it fails the GraphQL request as a whole). */
export function isPoolBusy(error: unknown): boolean {
  const e = error as { status?: unknown; details?: { pool?: unknown } } | undefined;
  return e?.status === 503 && e.details?.pool === 'busy';
}
