/**
 * Every PostgreSQL advisory lock the app takes, in one place, so two jobs never share a key by
 * accident (a shared key makes unrelated work wait on each other). Single bigint keys; the
 * sitemap months also lock (SITEMAP_MONTHS as int4, yyyymm) in the two-key space.
 */
export const LOCK_KEYS = {
  /** boot-time setup, one process after another (src/setup/boot-lock.ts) */
  BOOT: 727_240_410,
  /** routing the rebuild outbox into deliveries (src/rebuild/dispatcher.ts) */
  REBUILD_ROUTE: 727_240_411,
  /** the scheduler's scan for due publishes (src/schedule/scheduler.ts) */
  SCHEDULE: 727_240_412,
  /** the sitemap index's month counts: shared by a write's recount, exclusive for a rebuild (src/distribution/sitemap-months.ts) */
  SITEMAP_MONTHS: 727_240_413,
  /** version history's retention, one process at a time (src/history/prune.ts) */
  HISTORY_PRUNE: 727_240_414,
  /** the search index of one locale: a write's index update, a rebuild (src/search/store.ts), as (SEARCH as int4, locale number) */
  SEARCH: 727_240_415,
  /** the admin's list-search rows of one document (src/search/admin-index.ts), as (ADMIN_SEARCH as int4, hashtext of the document) */
  ADMIN_SEARCH: 727_240_416,
} as const;
