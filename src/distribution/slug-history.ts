/**
 * Slug history, a consumer of the change feed: every slug an article locale or an entity is
 * published under is kept with the document it belongs to now (one row per kind, locale and slug,
 * in the write's transaction). The resolver answers an old slug with the document's current one,
 * so chains collapse (a → b → c: a points at c), a slug another document takes stops redirecting
 * (its row now names that document, and a current slug is always served as itself), and a loop
 * cannot form. A slug whose document is no longer published is gone (410), not unknown (404).
 */
import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { ARTICLE_UID, type ChangeSubscriber, type ContentChange } from '../changes';

export const SLUG_HISTORY_UID = 'api::slug-history.slug-history';
const ENTITY_UID = 'api::entity.entity';

export type SlugKind = 'article' | 'entity';

/** Entities are not localized: their rows carry the empty locale. */
export const historyLocale = (kind: SlugKind, locale: string | null | undefined) => (kind === 'article' ? (locale ?? '') : '');

const kindOf = (c: ContentChange): SlugKind | null => (c.contentType === ARTICLE_UID ? 'article' : c.contentType === ENTITY_UID ? 'entity' : null);

export function slugHistorySubscriber(strapi: Core.Strapi): ChangeSubscriber {
  return async (changes, { trx }) => {
    // The database's metadata exists from bootstrap on, after register.
    const table = strapi.db.metadata.get(SLUG_HISTORY_UID).tableName;
    const rows = new Map<string, Record<string, unknown>>();
    const now = new Date();
    for (const c of changes) {
      const kind = kindOf(c);
      if (!kind || (c.action !== 'publish' && c.action !== 'update-published')) continue;
      for (const slug of [c.previousSlug, c.slug]) {
        if (!slug) continue;
        const pathLocale = historyLocale(kind, c.locale);
        rows.set(`${kind}/${pathLocale}/${slug}`, {
          document_id: randomBytes(12).toString('hex'),
          kind,
          path_locale: pathLocale,
          slug,
          target: c.documentId,
          created_at: now,
          updated_at: now,
          published_at: now,
        });
      }
    }
    if (rows.size === 0) return;
    // One statement; a slug another document had is handed to this one.
    await (trx as Knex.Transaction)(table)
      .insert([...rows.values()])
      .onConflict(['kind', 'path_locale', 'slug'])
      .merge(['target', 'updated_at']);
  };
}
