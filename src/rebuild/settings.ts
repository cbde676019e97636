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
  /** purge targets (varnish, fastly, cloudflare): their own short coalescing window */
  purge: { debounceMs: number; maxWaitMs: number };
  /** purge targets from the environment */
  envPurges: Array<{ kind: 'varnish' | 'fastly' | 'cloudflare'; url: string; token?: string; softPurge?: boolean }>;
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
    purge: { debounceMs: env.PURGE_DEBOUNCE_MS, maxWaitMs: Math.max(env.PURGE_DEBOUNCE_MS, 1_000) },
    envPurges: [
      ...env.PURGE_VARNISH_URLS.map((url) => ({ kind: 'varnish' as const, url })),
      ...(env.PURGE_FASTLY_SERVICE_ID && env.PURGE_FASTLY_TOKEN
        ? [{ kind: 'fastly' as const, url: `${env.PURGE_FASTLY_API_URL}/service/${env.PURGE_FASTLY_SERVICE_ID}/purge`, token: env.PURGE_FASTLY_TOKEN, softPurge: env.PURGE_FASTLY_SOFT }]
        : []),
      ...(env.PURGE_CLOUDFLARE_ZONE_ID && env.PURGE_CLOUDFLARE_TOKEN
        ? [{ kind: 'cloudflare' as const, url: `${env.PURGE_CLOUDFLARE_API_URL}/client/v4/zones/${env.PURGE_CLOUDFLARE_ZONE_ID}/purge_cache`, token: env.PURGE_CLOUDFLARE_TOKEN }]
        : []),
    ],
  };
}
