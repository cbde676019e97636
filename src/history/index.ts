/**
 * Version history for articles (each locale), entities and images, on the Community Edition: a
 * consumer of the change feed that asks for every write, draft saves included.
 *   recorder.ts       stores each write's document as a version, in the write's transaction
 *   snapshot.ts       what a version holds, and the schema it was saved under
 *   diff.ts, text.ts  word-level comparison of two versions (the `diff` package)
 *   restore.ts        a whole version or some fields back as a new draft save
 *   blame.ts          who last changed each field
 *   prune.ts          retention (HISTORY_DRAFT_RETENTION_DAYS, HISTORY_MAX_VERSIONS), once across processes
 *   admin-routes.ts   /newsroom/history/... for the admin panel's History panel
 *   public-trail.ts   /api/articles/slug/:slug/revisions (PUBLIC_REVISIONS)
 */
import type { Core } from '@strapi/strapi';
import { changeFeed } from '../changes';
import type { Env } from '../env';
import { registerHistoryAdminRoutes } from './admin-routes';
import { pruneHistory } from './prune';
import { historyRecorder } from './recorder';
import { HISTORY_UIDS, historyStore } from './store';

/**
 * In register: the recorder (unless HISTORY_ENABLED=false: what is kept stays readable) and the
 * admin routes; no GraphQL types for the internal tables.
 */
export function registerHistory(strapi: Core.Strapi, env: Env): void {
  const store = historyStore(strapi);
  if (env.HISTORY_ENABLED) changeFeed(strapi).subscribeWrites(historyRecorder(strapi, store));
  registerHistoryAdminRoutes(strapi, store);
  const graphql = strapi.plugin('graphql').service('extension');
  for (const uid of HISTORY_UIDS) graphql.shadowCRUD(uid).disable();
}

/** In bootstrap: retention every HISTORY_PRUNE_INTERVAL_MINUTES. */
export function startHistory(strapi: Core.Strapi, env: Env): void {
  const minutes = env.HISTORY_PRUNE_INTERVAL_MINUTES;
  strapi.cron.add({
    newsroomHistoryPrune: {
      task: async () => {
        try {
          const run = await pruneHistory(strapi, { retentionDays: env.HISTORY_DRAFT_RETENTION_DAYS, maxVersions: env.HISTORY_MAX_VERSIONS });
          if (run.byAge + run.byCount > 0) strapi.log.info(`[history] pruned ${run.byAge} draft versions past retention, ${run.byCount} past the per-document bound`);
        } catch (error) {
          strapi.log.warn(`[history] prune failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      },
      options: { rule: minutes === 60 ? '0 17 * * * *' : `0 */${minutes} * * * *` },
    },
  });
}

export { HISTORY_UIDS, VERSION_UID } from './store';
export { pruneHistory } from './prune';
export { revision, revisions } from './public-trail';
export { markRevisions } from './revision-marks';
export { historyStore } from './store';
