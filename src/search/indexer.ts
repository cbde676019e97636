/**
 * Keeps the index equal to what is published, as a consumer of the change feed: in each write's
 * transaction, every published article locale the feed says the write altered (the article
 * itself; every article naming a renamed entity; every article showing an edited image) is put
 * in the index again as it now stands, and one unpublished or deleted is taken out. It decides
 * nothing about what changed: the feed's `affected` list says it.
 *
 * Writes past the feed (the seed, `seed:synthetic`, SQL by hand) are caught at boot: `reconcile`
 * indexes what is published and missing and drops what is indexed and no longer published.
 * `rebuild` starts from nothing (`npm run search:reindex`).
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { ARTICLE_UID, type ChangeSubscriber, type ContentChange } from '../changes';
import { populateArticles, articleLoader } from '../reads/article-reads';
import { indexDocument, type ArticleForIndex } from './document';
import { clearIndex, DOCUMENTS, lockLocales, putDocument, refreshStatistics, removeDocument, type Dialect } from './store';

export const dialectOf = (strapi: Core.Strapi): Dialect => (strapi.db.dialect.client === 'postgres' ? 'postgres' : 'sqlite');

interface Target {
  documentId: string;
  locale: string;
  /** taken out (unpublished or deleted) rather than put in again */
  gone: boolean;
}

/** The article locales a batch of changes alters, each once; a withdrawal wins over an alteration in the same batch. */
export function targetsOf(changes: readonly ContentChange[]): Target[] {
  const targets = new Map<string, Target>();
  const add = (documentId: string, locale: string | null, gone: boolean) => {
    if (!locale) return;
    const key = `${documentId}\u0000${locale}`;
    const had = targets.get(key);
    targets.set(key, { documentId, locale, gone: gone || (had?.gone ?? false) });
  };
  for (const c of changes) {
    const withdrawn = c.contentType === ARTICLE_UID && (c.action === 'unpublish' || c.action === 'delete');
    if (c.contentType === ARTICLE_UID) add(c.documentId, c.locale, withdrawn);
    for (const a of c.affected) add(a.documentId, a.locale, withdrawn && a.documentId === c.documentId && a.locale === c.locale);
  }
  return [...targets.values()];
}

const ENTITY_FIELDS = ['documentId', 'name', 'aliases'];

/** A published article locale as the index needs it, read in the current transaction (the query engine joins it). */
async function publishedForIndex(strapi: Core.Strapi, documentId: string, locale: string): Promise<ArticleForIndex | null> {
  const row = (await strapi.db.query(ARTICLE_UID).findOne({
    where: { documentId, locale, publishedAt: { $notNull: true } },
    select: ['id', 'documentId', 'locale', 'slug', 'title', 'standfirst', 'firstPublishedAt', 'publishedAt'],
    populate: {
      sections: true,
      entities: { select: ENTITY_FIELDS },
      authors: { select: ENTITY_FIELDS },
      heroImage: { select: ['caption', 'rightsExpireAt'] },
    },
  })) as ArticleForIndex | null;
  return row;
}

export function searchIndexer(strapi: Core.Strapi): ChangeSubscriber {
  return async (changes, { trx }) => {
    const targets = targetsOf(changes);
    if (targets.length === 0) return;
    const dialect = dialectOf(strapi);
    const t = trx as Knex.Transaction;
    await lockLocales(t, dialect, targets.map((x) => x.locale));
    for (const target of targets) {
      const article = target.gone ? null : await publishedForIndex(strapi, target.documentId, target.locale);
      if (article) await putDocument(t, dialect, indexDocument(article));
      else await removeDocument(t, dialect, target.documentId, target.locale);
    }
  };
}

const BATCH = 250;

/** Indexes published article rows by id, a batch at a time, through the fast loader. */
async function indexRows(strapi: Core.Strapi, ids: number[], onBatch?: (done: number) => void, again = new Set<number>()): Promise<number> {
  const knex = strapi.db.connection as unknown as Knex;
  const dialect = dialectOf(strapi);
  const loader = articleLoader(strapi);
  let done = 0;
  await refreshStatistics(knex, dialect, 'before');
  for (let i = 0; i < ids.length; i += BATCH) {
    const slice = ids.slice(i, i + BATCH);
    const rows = await loader.articles(`search-index:${slice.length}`, slice, (q, p) => q.whereIn('id', p as number[]));
    await populateArticles(strapi, rows);
    const docs = rows.map((r) => indexDocument(r as unknown as ArticleForIndex));
    await knex.transaction(async (trx) => {
      await lockLocales(trx, dialect, docs.map((d) => d.locale));
      for (const doc of docs) {
        // Still published now that the lock is held (a withdrawal since the read is left alone).
        const still = await trx(strapi.db.metadata.get(ARTICLE_UID).tableName).where({ id: doc.articleId }).whereNotNull('published_at').first('id');
        // Another process reconciling at the same boot may have indexed this very row meanwhile.
        const held = still && !again.has(doc.articleId) && (await trx(DOCUMENTS).where({ article_id: doc.articleId }).first('id'));
        if (still && !held) await putDocument(trx, dialect, doc);
      }
    });
    done += slice.length;
    onBatch?.(done);
  }
  await refreshStatistics(knex, dialect, 'after');
  return done;
}

export interface ReindexProgress {
  (done: number, total: number): void;
}

/** Empties the index and indexes every published article locale again. */
export async function rebuildIndex(strapi: Core.Strapi, progress?: ReindexProgress): Promise<number> {
  const knex = strapi.db.connection as unknown as Knex;
  const dialect = dialectOf(strapi);
  await knex.transaction(async (trx) => {
    await lockLocales(trx, dialect, ['en', 'zh-Hans', 'ru', 'uk']);
    await clearIndex(trx, dialect);
  });
  const table = strapi.db.metadata.get(ARTICLE_UID).tableName;
  const ids = ((await knex(table).select('id').whereNotNull('published_at').orderBy('id')) as { id: number }[]).map((r) => Number(r.id));
  progress?.(0, ids.length);
  return indexRows(strapi, ids, (done) => progress?.(done, ids.length));
}

/**
 * Makes the index hold exactly what is published: indexes each published row it lacks (or holds
 * an older published row of) and removes what is no longer published. Two statements when all is
 * well. Returns how many rows it indexed and removed.
 */
export async function reconcileIndex(strapi: Core.Strapi, progress?: ReindexProgress): Promise<{ indexed: number; removed: number }> {
  const knex = strapi.db.connection as unknown as Knex;
  const dialect = dialectOf(strapi);
  const table = strapi.db.metadata.get(ARTICLE_UID).tableName;
  const missing = ((await knex({ a: table })
    .select('a.id')
    .whereNotNull('a.published_at')
    .whereNotExists((q) => q.select(knex.raw('1')).from({ s: DOCUMENTS }).whereRaw('s.article_id = a.id'))
    .orderBy('a.id')) as { id: number }[]).map((r) => Number(r.id));
  const stale = (await knex({ s: DOCUMENTS })
    .select('s.document_id', 's.locale')
    .whereNotExists((q) => q.select(knex.raw('1')).from({ a: table }).whereRaw('a.id = s.article_id').whereNotNull('a.published_at'))) as { document_id: string; locale: string }[];
  // Indexed, but its first publication was set since, past the feed (the seed stamps the story's from its dateline).
  const firstMs = dialect === 'postgres' ? 'round(extract(epoch from a.first_published_at) * 1000)' : 'a.first_published_at';
  const moved = ((await knex({ a: table })
    .join({ s: DOCUMENTS }, 's.article_id', 'a.id')
    .select('a.id')
    .whereNotNull('a.published_at')
    .whereNotNull('a.first_published_at')
    .whereRaw(`s.published_ms <> ${firstMs}`)) as { id: number }[]).map((r) => Number(r.id));
  let removed = 0;
  if (stale.length) {
    await knex.transaction(async (trx) => {
      await lockLocales(trx, dialect, stale.map((s) => s.locale));
      for (const s of stale) {
        const republished = await trx(table).where({ document_id: s.document_id, locale: s.locale }).whereNotNull('published_at').first('id');
        if (!republished && (await removeDocument(trx, dialect, s.document_id, s.locale))) removed++;
      }
    });
  }
  const redo = [...missing, ...moved];
  progress?.(0, redo.length);
  const indexed = redo.length ? await indexRows(strapi, redo, (done) => progress?.(done, redo.length), new Set(moved)) : 0;
  return { indexed, removed };
}
