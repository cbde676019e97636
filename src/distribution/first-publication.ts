/**
 * The first publication time of each article locale, a consumer of the change feed: the first
 * publish of a locale stamps `firstPublishedAt` on that locale's rows (draft and published, so a
 * republish copies it on), in the publish's own transaction. A republish, a scheduled publish of
 * an article already out, an unpublish and publish again: none moves it. Writes never set it
 * (article-input.ts drops it); the seed sets the story's from its dateline.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { ARTICLE_UID, type ContentChange } from '../changes';

/** Stamps `now` as the first publication of each locale a change publishes for the first time. */
export async function stampFirstPublication(strapi: Core.Strapi, changes: ContentChange[], trx: Knex.Transaction, now: Date): Promise<void> {
  // The database's metadata exists from bootstrap on, after register.
  const table = strapi.db.metadata.get(ARTICLE_UID).tableName;
  for (const c of changes) {
    if (c.contentType !== ARTICLE_UID || (c.action !== 'publish' && c.action !== 'update-published') || !c.locale || c.firstPublishedAt) continue;
    await trx(table).update({ first_published_at: now }).where({ document_id: c.documentId, locale: c.locale }).whereNull('first_published_at');
  }
}

/**
 * Articles published before firstPublishedAt was kept: each locale's is its current publication
 * time (the best there is), on the published row and its draft. Two statements at boot; nothing
 * to do once every published row has one. Returns how many published rows it stamped.
 */
export async function backfillFirstPublication(strapi: Core.Strapi): Promise<number> {
  const knex = strapi.db.connection as unknown as Knex;
  const table = strapi.db.metadata.get(ARTICLE_UID).tableName;
  const stamped = Number(await knex(table).whereNotNull('published_at').whereNull('first_published_at').update({ first_published_at: knex.ref('published_at') }));
  await knex(table)
    .whereNull('published_at')
    .whereNull('first_published_at')
    .whereExists((q) =>
      q.select(knex.raw('1')).from({ p: table }).whereRaw(`p.document_id = ${table}.document_id`).whereRaw(`p.locale = ${table}.locale`).whereNotNull('p.first_published_at').whereNotNull('p.published_at'),
    )
    .update({
      first_published_at: knex({ p: table }).select('p.first_published_at').whereRaw(`p.document_id = ${table}.document_id`).whereRaw(`p.locale = ${table}.locale`).whereNotNull('p.published_at').limit(1),
    });
  return stamped;
}
