/**
 * A public change made beside the Document Service rather than through it (a revision withheld
 * from the public trail alters what an article's public routes answer): announced to the feed's
 * subscribers as an update of the published document, in the caller's transaction, with the
 * published rows the feed finds for it. Nothing is announced for a document that is not public.
 */
import type { Core } from '@strapi/strapi';
import { articlesAlteredBy, asAffected } from './affected';
import { change, publishedRows } from './document-middleware';
import { changeFeed, type ChangeTransaction } from './feed';
import { ARTICLE_UID, type ContentChange, type WatchedUid } from './types';

export async function announcePublicUpdate(strapi: Core.Strapi, uid: WatchedUid, documentId: string, locale: string | null, tx: ChangeTransaction): Promise<ContentChange[]> {
  const rows = (await publishedRows(strapi, uid, documentId)).filter((row) => locale === null || row.locale === locale);
  const alters = uid === ARTICLE_UID || rows.length === 0 ? [] : await articlesAlteredBy(strapi, uid, documentId);
  const changes = rows.map((row) => change('update-published', uid, row, uid === ARTICLE_UID ? [asAffected(row)] : alters));
  if (changes.length > 0) await changeFeed(strapi).emit(changes, tx);
  return changes;
}
