/**
 * The first publication time of each article locale, a consumer of the change feed: the first
 * publish of a locale stamps `firstPublishedAt` on that locale's rows (draft and published, so a
 * republish copies it on), in the publish's own transaction. A republish, a scheduled publish of
 * an article already out, an unpublish and publish again: none moves it. Writes never set it
 * (article-input.ts drops it); the seed sets the story's from its dateline.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { ARTICLE_UID, type ChangeSubscriber } from '../changes';

export function firstPublicationSubscriber(strapi: Core.Strapi): ChangeSubscriber {
  return async (changes, { trx }) => {
    // The database's metadata exists from bootstrap on, after register.
    const table = strapi.db.metadata.get(ARTICLE_UID).tableName;
    const now = new Date();
    for (const c of changes) {
      if (c.contentType !== ARTICLE_UID || (c.action !== 'publish' && c.action !== 'update-published') || !c.locale) continue;
      await (trx as Knex.Transaction)(table)
        .update({ first_published_at: now })
        .where({ document_id: c.documentId, locale: c.locale })
        .whereNull('first_published_at');
    }
  };
}
