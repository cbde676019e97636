/**
 * News distribution: what sits around the article JSON for search engines, aggregators and the
 * site's router. Consumers of the change feed keep the data the outputs need:
 *   first-publication.ts  firstPublishedAt per locale, set by the first publish only
 *   slug-history.ts       every published slug, for redirects and 410s
 * and the outputs read it (each cached by the read cache, tagged in src/changes/tags.ts' words):
 *   site.ts               SITE_URL, SITE_NAME, the logo, the site's URL patterns
 */
import type { Core } from '@strapi/strapi';
import { changeFeed } from '../changes';
import { firstPublicationSubscriber } from './first-publication';
import { SLUG_HISTORY_UID, slugHistorySubscriber } from './slug-history';

export function registerDistribution(strapi: Core.Strapi): void {
  const feed = changeFeed(strapi);
  feed.subscribe(firstPublicationSubscriber(strapi));
  feed.subscribe(slugHistorySubscriber(strapi));
  // Internal: no GraphQL type for the slug history.
  strapi.plugin('graphql').service('extension').shadowCRUD(SLUG_HISTORY_UID).disable();
}
