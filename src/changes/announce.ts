/**
 * A public change made beside the Document Service rather than through it (a revision withheld
 * from the public trail alters what an article's public routes answer): announced to the feed's
 * subscribers as an update of the published document, in the caller's transaction, with the
 * published rows the feed finds for it. Nothing is announced for a document that is not public.
 */
import type { Core } from '@strapi/strapi';
import { articlesAlteredBy, asAffected } from './affected';
import { changeFeed, type ChangeTransaction } from './feed';
import { ARTICLE_UID, type ContentChange, type WatchedUid } from './types';

export async function announcePublicUpdate(strapi: Core.Strapi, uid: WatchedUid, documentId: string, locale: string | null, tx: ChangeTransaction): Promise<ContentChange[]> {
  const where: Record<string, unknown> = { documentId, publishedAt: { $notNull: true } };
  if (locale !== null) where.locale = locale;
  const rows: { documentId: string; locale?: string | null; slug?: string | null }[] = await strapi.db
    .query(uid)
    .findMany({ where, select: ['documentId', ...(uid === ARTICLE_UID ? ['locale'] : []), 'slug'] });
  const changes: ContentChange[] = [];
  for (const row of rows) {
    const affected = uid === ARTICLE_UID ? [asAffected({ documentId: row.documentId, locale: row.locale ?? null, slug: row.slug ?? null })] : await articlesAlteredBy(strapi, uid, documentId);
    changes.push({ action: 'update-published', contentType: uid, documentId, locale: row.locale ?? null, slug: row.slug ?? null, affected });
  }
  if (changes.length > 0) await changeFeed(strapi).emit(changes, tx);
  return changes;
}
