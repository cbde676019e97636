/**
 * News distribution: what sits around the article JSON for search engines, aggregators and the
 * site's router. Consumers of the change feed keep the data the outputs need, in each write's
 * transaction:
 *   first-publication.ts  firstPublishedAt per locale, set by the first publish only
 *   sitemap-months.ts     per month of first publication: URL count and newest dateModified
 *   slug-history.ts       every published slug, for redirects and 410s
 * and the outputs read it (each cached by the read cache, tagged in src/changes/tags.ts' words):
 *   site.ts               SITE_URL, SITE_NAME, the logo, the site's URL patterns
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { changeFeed, type ChangeSubscriber } from '../changes';
import { stampFirstPublication } from './first-publication';
import { monthsTouched, refreshMonths, SITEMAP_MONTH_UID } from './sitemap-months';
import { LEGACY_PATH_UID } from './resolve';
import { SLUG_HISTORY_UID, slugHistorySubscriber } from './slug-history';

/** Internal types: kept by the consumers above, never read or written through an API. */
export const DISTRIBUTION_UIDS = [SLUG_HISTORY_UID, SITEMAP_MONTH_UID, LEGACY_PATH_UID] as const;

/** First publications, then the months they fall in (a first publish counts in its own month). */
function archiveSubscriber(strapi: Core.Strapi): ChangeSubscriber {
  return async (changes, { trx }) => {
    const now = new Date();
    await stampFirstPublication(strapi, changes, trx as Knex.Transaction, now);
    await refreshMonths(strapi, trx as Knex.Transaction, monthsTouched(changes, now));
  };
}

export function registerDistribution(strapi: Core.Strapi): void {
  const feed = changeFeed(strapi);
  feed.subscribe(archiveSubscriber(strapi));
  feed.subscribe(slugHistorySubscriber(strapi));
  const graphql = strapi.plugin('graphql').service('extension');
  for (const uid of DISTRIBUTION_UIDS) graphql.shadowCRUD(uid).disable();
}
