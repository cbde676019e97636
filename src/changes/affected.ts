/**
 * Which published articles a write alters: the article itself, every article that names an
 * entity or shows it in its hero image, every article whose hero image is an image.
 */
import type { Core } from '@strapi/strapi';
import { ARTICLE_UID, type AffectedArticle, type WatchedUid } from './types';

interface ArticleRow {
  documentId: string;
  locale: string | null;
  slug: string | null;
}

const PUBLISHED = { publishedAt: { $notNull: true } };

function whereAlteredBy(uid: WatchedUid, documentId: string): Record<string, unknown> | null {
  switch (uid) {
    case 'api::entity.entity':
      return { $or: [{ entities: { documentId } }, { heroImage: { depicts: { documentId } } }] };
    case 'api::image.image':
      return { heroImage: { documentId } };
    default:
      return null;
  }
}

export const asAffected = (row: ArticleRow): AffectedArticle => ({
  contentType: ARTICLE_UID,
  documentId: row.documentId,
  locale: row.locale ?? null,
  slug: row.slug ?? null,
});

/** The published articles (one entry per locale) that show the given entity or image. */
export async function articlesAlteredBy(strapi: Core.Strapi, uid: WatchedUid, documentId: string): Promise<AffectedArticle[]> {
  const where = whereAlteredBy(uid, documentId);
  if (!where) return [];
  const rows: ArticleRow[] = await strapi.db.query(ARTICLE_UID).findMany({
    where: { ...PUBLISHED, ...where },
    select: ['documentId', 'locale', 'slug'],
    orderBy: [{ documentId: 'asc' }, { locale: 'asc' }],
  });
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(`${r.documentId}/${r.locale}`) && seen.add(`${r.documentId}/${r.locale}`)).map(asAffected);
}
