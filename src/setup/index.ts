/**
 * What every boot makes sure of, in order: locales, the Public role's rights, the editors' views
 * and roles (Editor, Author; no rights on the admin-only rebuild types), accounts and rebuild targets from the
 * environment, the first story, and first publication times the archive lacks. Each step is idempotent, and all
 * run under one lock (see boot-lock.ts), so any number of processes may boot at once.
 */
import type { Core } from '@strapi/strapi';
import { seedStory } from '../../database/seed';
import { appRoot, type Env } from '../env';
import { backfillFirstPublication } from '../distribution/first-publication';
import { reconcileSitemapMonths } from '../distribution/sitemap-months';
import { setupRebuildTargets } from '../rebuild';
import { ensureAccounts } from './accounts';
import { revokeAdminOnlyTypes } from './admin-only-types';
import { withBootLock } from './boot-lock';
import { applyEditorLayouts } from './editor-layouts';
import { ensureNewsroomRoles } from './newsroom-roles';
import { ensureEntityLabels } from './entity-labels';
import { ensureLocales } from './locales';
import { dialectOf } from '../search/indexer';
import { ensureSearchTables } from '../search/store';
import { ensureAdminSearchTables } from '../search/admin-index';
import { reconcilePublicAccess } from './public-access';

export async function runSetup(strapi: Core.Strapi, env: Env): Promise<void> {
  let seeded = false;
  await withBootLock(strapi, async (trx) => {
    // First: the seed's publish is indexed by the change feed's search consumer.
    await ensureSearchTables(trx, dialectOf(strapi));
    await ensureAdminSearchTables(trx, dialectOf(strapi));
    await ensureLocales(strapi);
    await reconcilePublicAccess(strapi);
    await applyEditorLayouts(strapi);
    await ensureNewsroomRoles(strapi);
    await revokeAdminOnlyTypes(strapi);
    await ensureAccounts(strapi, env);
    await setupRebuildTargets(strapi);
    if (env.SEED_STORY) {
      const result = await seedStory(strapi, appRoot);
      if (result.created.article) strapi.log.info(`[seed] seeded the story (${result.articleDocumentId})`);
      seeded = result.created.article;
    }
    await ensureEntityLabels(strapi);
  });
  // Outside the lock's transaction (raw statements); idempotent, so processes may run them together.
  const stamped = await backfillFirstPublication(strapi);
  // The seed and the backfill set first publications past the change feed: count the months again.
  if (await reconcileSitemapMonths(strapi, seeded || stamped > 0)) strapi.log.info('[sitemaps] counted the archive\'s months again');
}
