/** The dispatcher's settings, derived once from the parsed environment. */
import type { Env } from '../env';

export interface RebuildSettings {
  /** trailing debounce per target: changes within it go out as one delivery */
  debounceMs: number;
  /** a delivery collecting changes goes out at the latest this long after its first change */
  maxWaitMs: number;
  timeoutMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  pollMs: number;
  retentionMs: number;
  pathPatterns: Env['SITE_PATH_PATTERNS'];
  /** loopback, private, link-local and metadata addresses may be targets (tests, on-premise) */
  allowPrivateTargets: boolean;
  envTargets: { urls: string[]; secrets: string[] };
}

export function rebuildSettings(env: Env): RebuildSettings {
  return {
    debounceMs: env.REBUILD_DEBOUNCE_MS,
    maxWaitMs: env.REBUILD_MAX_WAIT_MS ?? 10 * env.REBUILD_DEBOUNCE_MS,
    timeoutMs: env.REBUILD_TIMEOUT_MS,
    maxAttempts: env.REBUILD_MAX_ATTEMPTS,
    retryBaseMs: env.REBUILD_RETRY_BASE_MS,
    retryMaxMs: env.REBUILD_RETRY_MAX_MS,
    pollMs: env.REBUILD_POLL_MS,
    retentionMs: env.REBUILD_LOG_RETENTION_DAYS * 24 * 60 * 60 * 1000,
    pathPatterns: env.SITE_PATH_PATTERNS,
    allowPrivateTargets: env.WEBHOOK_ALLOW_PRIVATE_TARGETS ?? env.NODE_ENV !== 'production',
    envTargets: { urls: env.REBUILD_WEBHOOK_URLS, secrets: env.REBUILD_WEBHOOK_SECRET },
  };
}
