/**
 * Reader search: ranked full-text search of published articles in every locale, in the database
 * the newsroom already runs (SQLite FTS5, PostgreSQL full-text with pg_trgm).
 *   analyse.ts    the analyser of each locale (one for both databases)
 *   query.ts      what a reader's q means; its FTS5 and tsquery renderings
 *   document.ts   what the index holds of an article
 *   store.ts      the index's tables and their writes
 *   indexer.ts    the change feed's consumer; rebuild and boot reconcile
 *   search.ts     ranking, facets, highlights, typo correction
 *   http.ts       GET /api/search, GET /api/search/suggest (and the answers GraphQL gives)
 *   graphql.ts    Query.search, Query.searchSuggest
 *   admin-index.ts the admin's list search (`_q` on articles and entities, drafts included)
 */
import type { Core } from '@strapi/strapi';
import { changeFeed } from '../changes';
import type { Env } from '../env';
import { reconcileAdminIndex, registerAdminSearch } from './admin-index';
import { registerSearchGraphql } from './graphql';
import { reconcileIndex, searchIndexer } from './indexer';

/** After the distribution consumers: a first publish's firstPublishedAt is stamped before the article is indexed. */
export function registerSearch(strapi: Core.Strapi): void {
  changeFeed(strapi).subscribe(searchIndexer(strapi));
  registerSearchGraphql(strapi);
  registerAdminSearch(strapi);
}

/** Indexes what was published past the change feed (the seed, seed:synthetic, SQL by hand), drops what is no longer published. */
export async function startSearch(strapi: Core.Strapi, env: Env): Promise<void> {
  if (!env.SEARCH_BOOT_RECONCILE) return;
  const { indexed, removed } = await reconcileIndex(strapi);
  if (indexed || removed) strapi.log.info(`[search] indexed ${indexed} published article(s) the index lacked, removed ${removed}`);
  const admin = await reconcileAdminIndex(strapi);
  if (admin.indexed || admin.removed) strapi.log.info(`[search] admin list search: indexed ${admin.indexed} row(s), removed ${admin.removed}`);
}
