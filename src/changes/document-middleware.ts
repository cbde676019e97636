/**
 * Turns every successful Document Service write on a watched type into ContentChange records and
 * hands them to the feed inside the write's own transaction (Strapi's repository joins an outer
 * transaction), so a subscriber's records commit or roll back with the content.
 *
 * Articles (draft & publish) are compared by their published rows before and after the write: a
 * draft save leaves them as they were and produces no public change; a publish creates a new
 * published row per locale. Entities and images have no drafts: every write is public. Every write,
 * draft saves included, is also handed whole (who, which locales, its public changes) to the
 * subscribers that ask for all writes.
 */
import type { Core, Modules } from '@strapi/strapi';
import { defaultLocale } from '../content-api/default-locale';
import { isLocalized } from '../content-api/model-attribute';
import { currentIntent } from './actor';
import { articlesAlteredBy, asAffected } from './affected';
import { changeFeed } from './feed';
import { ARTICLE_UID, isWatched, type ContentChange, type DocumentWrite, type WatchedUid } from './types';

const WRITES = new Set(['create', 'update', 'delete', 'publish', 'unpublish', 'discardDraft']);

interface PublishedRow {
  id: number;
  documentId: string;
  locale: string | null;
  slug: string | null;
  firstPublishedAt?: Date | string | number | null;
}

/** The published rows of a document (every locale). */
export async function publishedRows(strapi: Core.Strapi, uid: WatchedUid, documentId: string | undefined): Promise<PublishedRow[]> {
  if (!documentId) return [];
  const attributes = strapi.contentType(uid).attributes as Record<string, unknown>;
  const select = ['id', 'documentId', ...['locale', 'slug', 'firstPublishedAt'].filter((name) => name in attributes)];
  return strapi.db.query(uid).findMany({ where: { documentId, publishedAt: { $notNull: true } }, select });
}

const resultDocumentId = (result: unknown): string | undefined =>
  (result as { documentId?: string } | null)?.documentId ?? undefined;

/** Article changes: the published rows that appeared, were replaced or went away. */
function articleChanges(action: string, before: PublishedRow[], after: PublishedRow[]): ContentChange[] {
  const changes: ContentChange[] = [];
  const key = (r: PublishedRow) => r.locale ?? '';
  const was = new Map(before.map((r) => [key(r), r]));
  const now = new Map(after.map((r) => [key(r), r]));
  for (const row of after) {
    const old = was.get(key(row));
    if (old?.id === row.id) continue;
    const c = withPreviousSlug(change(old ? 'update-published' : 'publish', ARTICLE_UID, row, [asAffected(row)]), old);
    // A publish copies the draft, which keeps the locale's first publication (also after an unpublish).
    changes.push({ ...c, firstPublishedAt: iso(old?.firstPublishedAt) ?? iso(row.firstPublishedAt) });
  }
  for (const row of before) {
    if (now.has(key(row))) continue;
    changes.push({ ...change(action === 'delete' ? 'delete' : 'unpublish', ARTICLE_UID, row, [asAffected(row)]), firstPublishedAt: iso(row.firstPublishedAt) });
  }
  return changes;
}

const iso = (v: PublishedRow['firstPublishedAt']): string | null => {
  if (v === null || v === undefined || v === '') return null;
  const at = new Date(v);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
};

/** Notes the slug the document had before, when the write changed it (old URLs must redirect). */
function withPreviousSlug(c: ContentChange, before: PublishedRow | undefined): ContentChange {
  if (before?.slug && c.slug && before.slug !== c.slug) c.previousSlug = before.slug;
  return c;
}

export function change(action: ContentChange['action'], contentType: WatchedUid, row: PublishedRow, affected: ContentChange['affected']): ContentChange {
  return { action, contentType, documentId: row.documentId, locale: row.locale ?? null, slug: row.slug ?? null, affected };
}

/** The locales a write touched: the one it named (or its result's), every one for `*`. */
async function writtenLocales(strapi: Core.Strapi, uid: WatchedUid, asked: string | undefined, documentId: string, result: unknown): Promise<(string | null)[]> {
  if (!isLocalized(strapi, uid)) return [null];
  if (asked && asked !== '*') return [asked];
  const own = (result as { locale?: string } | null)?.locale;
  if (!asked && own) return [own];
  if (!asked) return [await defaultLocale(strapi)];
  const rows: { locale: string }[] = await strapi.db.query(uid).findMany({ where: { documentId }, select: ['locale'] });
  return [...new Set(rows.map((r) => r.locale))].sort();
}

export function changeFeedMiddleware(strapi: Core.Strapi): Modules.Documents.Middleware.Middleware {
  const feed = changeFeed(strapi);
  return async (ctx, next) => {
    const uid = ctx.uid;
    if (!isWatched(uid) || !WRITES.has(ctx.action)) return next();
    const params = ctx.params as { documentId?: string; locale?: string };

    return strapi.db.transaction(async ({ trx, onCommit }) => {
      const before = await publishedRows(strapi, uid, params.documentId);
      // An entity or image about to be deleted no longer links to its articles afterwards.
      const affectedBefore = ctx.action === 'delete' && params.documentId ? await articlesAlteredBy(strapi, uid, params.documentId) : [];

      const result = await next();

      const documentId = params.documentId ?? resultDocumentId(result);
      const after = await publishedRows(strapi, uid, documentId);
      let changes: ContentChange[];
      if (uid === ARTICLE_UID) {
        changes = articleChanges(ctx.action, before, after);
      } else if (ctx.action === 'delete') {
        changes = before.map((row) => change('delete', uid, row, affectedBefore));
      } else {
        const action = ctx.action === 'create' ? 'publish' : 'update-published';
        const affected = documentId ? await articlesAlteredBy(strapi, uid, documentId) : [];
        const was = new Map(before.map((r) => [r.id, r]));
        changes = after.map((row) => withPreviousSlug(change(action, uid, row, affected), was.get(row.id)));
      }
      if (documentId) {
        const { actor, note } = currentIntent(strapi);
        const write: DocumentWrite = {
          action: ctx.action as DocumentWrite['action'],
          contentType: uid,
          documentId,
          locales: await writtenLocales(strapi, uid, params.locale, documentId, result),
          live: after.map((row) => row.locale ?? null),
          by: actor,
          ...(note ? { note } : {}),
          changes,
        };
        await feed.emitWrite(write, { trx, onCommit });
      } else if (changes.length > 0) {
        await feed.emit(changes, { trx, onCommit });
      }
      return result;
    });
  };
}
