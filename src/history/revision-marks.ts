/**
 * The public log's link to the trail: each entry of a published article's `updates` names the
 * revision that first carried it, when PUBLIC_REVISIONS is on. Kept apart from public-trail.ts so
 * the article reads can use it without importing the trail's routes.
 */
import type { Core } from '@strapi/strapi';
import { ARTICLE_UID } from '../changes/types';
import { storedTime } from '../content-api/stored-time';
import { loadEnv } from '../env';
import { historyStore } from './store';

/** One entry of the log, whichever way its time was written. */
const noteKey = (n: { kind?: unknown; at?: unknown; note?: unknown }) => JSON.stringify([n.kind, storedTime(n.at) ?? n.at ?? null, n.note]);

/**
 * Marks each entry of a published article's public log with the revision that first carried it,
 * when the trail is public; entries from before history was kept have `revision: null`.
 */
export async function markRevisions(strapi: Core.Strapi, article: Record<string, unknown>): Promise<void> {
  if (!loadEnv().PUBLIC_REVISIONS || !Array.isArray(article.updates) || article.updates.length === 0) return;
  const versions = await historyStore(strapi).publishedVersions({ uid: ARTICLE_UID, documentId: String(article.documentId), locale: String(article.locale) });
  const first = new Map<string, number>();
  versions.forEach((v, i) => {
    for (const n of v.notes ?? []) if (!first.has(noteKey(n))) first.set(noteKey(n), i + 1);
  });
  for (const entry of article.updates as Record<string, unknown>[]) entry.revision = first.get(noteKey(entry)) ?? null;
}
