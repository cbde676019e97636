/**
 * What an attempt's result means for its delivery: delivered, retried later (network errors,
 * timeouts, 408, 429, 5xx; exponential backoff with jitter, or the receiver's Retry-After), failed
 * for good (any other status; 410 also disables the target), or dead after the last attempt.
 */
import type { RebuildSettings } from './settings';

export interface AttemptResult {
  statusCode?: number;
  error?: string;
  retryAfterMs?: number;
}

export type Outcome =
  | { status: 'delivered' }
  | { status: 'retrying'; delayMs: number }
  | { status: 'failed'; disableTarget: boolean }
  | { status: 'dead' };

type RetryPolicy = Pick<RebuildSettings, 'maxAttempts' | 'retryBaseMs' | 'retryMaxMs'>;

const isRetryable = (r: AttemptResult) =>
  r.statusCode === undefined || r.statusCode === 408 || r.statusCode === 429 || r.statusCode >= 500;

/** Delay before attempt `attempt + 1`: base·2^(attempt-1), capped, ±25% jitter. */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponential = Math.min(policy.retryBaseMs * 2 ** Math.max(0, attempt - 1), policy.retryMaxMs);
  return Math.round(exponential * (0.75 + random() * 0.5));
}

export function outcomeOf(result: AttemptResult, attempt: number, policy: RetryPolicy, random: () => number = Math.random): Outcome {
  const code = result.statusCode;
  if (code !== undefined && code >= 200 && code < 300) return { status: 'delivered' };
  if (code === 410) return { status: 'failed', disableTarget: true };
  if (!isRetryable(result)) return { status: 'failed', disableTarget: false };
  if (attempt >= policy.maxAttempts) return { status: 'dead' };
  const delayMs = result.retryAfterMs !== undefined ? Math.min(result.retryAfterMs, policy.retryMaxMs) : backoffMs(attempt, policy, random);
  return { status: 'retrying', delayMs };
}

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
