/**
 * The search index's tables, in the database the newsroom already runs, written only by the
 * change feed's consumer (indexer.ts) and the rebuild, read by search.ts:
 *
 *   newsroom_search_documents  one row per published article locale: what the results show and
 *                              highlights are cut from (the raw text), its first publication
 *                              (ms) and month, the entities it names (facets and the boost count
 *                              them from the matches' rows), the folded words it holds (JSON)
 *                              and, on PostgreSQL, its weighted `tsv` (a GIN index)
 *   newsroom_search_entities   which entities each names, by entity (the `entities` filter, a rename)
 *   newsroom_search_words      the index's own vocabulary per locale: typo correction draws on
 *                              it; on PostgreSQL with how many documents hold each word (on
 *                              SQLite that is FTS5's count of the word's term, newsroom_search_vocab)
 *   Each document's id follows its first publication (documentKey), so the newest matches come first.
 *   SQLite only: newsroom_search_fts (FTS5, contentless, its rowid the document's id: five
 *                columns of analysed terms) and newsroom_search_grams (the words' padded
 *                trigrams, as pg_trgm makes them; PostgreSQL has a GIN trigram index instead)
 *
 * On PostgreSQL every write of a locale's index holds that locale's advisory lock for the rest of
 * its transaction, so two processes publishing at once count the vocabulary one after the other
 * and never insert one document twice.
 */
import type { Knex } from 'knex';
import { LOCK_KEYS } from '../pg/lock-keys';
import { SEARCH_LOCALES, type SearchLocale } from './analyse';
import type { IndexDocument } from './document';

export const DOCUMENTS = 'newsroom_search_documents';
export const ENTITIES = 'newsroom_search_entities';
export const WORDS = 'newsroom_search_words';
export const FTS = 'newsroom_search_fts';
export const GRAMS = 'newsroom_search_grams';
export const VOCAB = 'newsroom_search_vocab';

export type Dialect = 'sqlite' | 'postgres';

/** SQLite: the covering index a match's document is read through (a row read costs 7x: it holds the text). */
export const RANK_INDEX = `${DOCUMENTS}_rank_idx`;

const KEY_SHIFT = 2 ** 20;

/**
 * A document's id: the second of its first publication, then the article row's id in the low 20
 * bits. Ids follow publication, so the newest matches are the highest ids: FTS5 reads them first
 * (ORDER BY rowid DESC), and PostgreSQL walks the primary key backwards. Under 2^53 until 2242.
 */
export function documentKey(publishedMs: number, articleId: number): number {
  return Math.floor(publishedMs / 1000) * KEY_SHIFT + (articleId % KEY_SHIFT);
}

/** The lowest id a document first published at or after `ms` can have. */
export const keyFloor = (ms: number): number => Math.floor(ms / 1000) * KEY_SHIFT;

/**
 * `create [unique] index if not exists`, run only when the index is missing. PostgreSQL takes its
 * SHARE lock on the table before it sees the index is there, and the boot holds it to the end of
 * its setup transaction: a server already running, writing the same table, then deadlocked with a
 * process booting beside it (seen in a rolling restart).
 */
export async function createIndex(knex: Knex, dialect: Dialect, name: string, statement: string): Promise<void> {
  if (dialect === 'postgres') {
    const found = (await knex.raw('select to_regclass(?) as oid', [name])) as { rows: Array<{ oid: unknown }> };
    if (found.rows[0]?.oid) return;
  }
  await knex.raw(statement);
}

/** Creates what is missing (every boot; idempotent). PostgreSQL needs the pg_trgm extension. */
export async function ensureSearchTables(knex: Knex, dialect: Dialect): Promise<void> {
  const pg = dialect === 'postgres';
  // An index of an earlier format (ids not following publication, no entity list): derived data,
  // dropped here and made again by the boot's reconcile (or npm run search:reindex).
  if ((await knex.schema.hasTable(DOCUMENTS)) && !(await knex.schema.hasColumn(DOCUMENTS, 'entity_list'))) {
    for (const table of [DOCUMENTS, ENTITIES, WORDS, ...(pg ? [] : [VOCAB, FTS, GRAMS])]) await knex.raw(`drop table if exists ${table}`);
  }
  if (pg) await knex.raw('create extension if not exists pg_trgm');
  const id = pg ? 'bigserial primary key' : 'integer primary key';
  await knex.raw(`create table if not exists ${DOCUMENTS} (
    id ${id},
    document_id varchar(255) not null,
    locale varchar(35) not null,
    article_id bigint not null,
    slug varchar(255),
    title text not null,
    standfirst text,
    body text,
    captions text,
    published_ms bigint not null,
    month char(7) not null,
    entity_list text not null,
    words text not null${pg ? ',\n    tsv tsvector not null' : ''}
  )`);
  await createIndex(knex, dialect, `${DOCUMENTS}_doc_idx`, `create unique index if not exists ${DOCUMENTS}_doc_idx on ${DOCUMENTS} (document_id, locale)`);
  await createIndex(knex, dialect, `${DOCUMENTS}_newest_idx`, `create index if not exists ${DOCUMENTS}_newest_idx on ${DOCUMENTS} (locale, published_ms, id)`);
  await createIndex(knex, dialect, `${DOCUMENTS}_article_idx`, `create index if not exists ${DOCUMENTS}_article_idx on ${DOCUMENTS} (article_id)`);
  // What a match needs of its document, without reading the row (its text): SQLite's matches join it by id.
  if (!pg) await createIndex(knex, dialect, `${RANK_INDEX}`, `create index if not exists ${RANK_INDEX} on ${DOCUMENTS} (id, locale, published_ms, month, entity_list)`);
  await knex.raw(`create table if not exists ${ENTITIES} (search_id bigint not null, entity_document_id varchar(255) not null, primary key (search_id, entity_document_id))`);
  await createIndex(knex, dialect, `${ENTITIES}_entity_idx`, `create index if not exists ${ENTITIES}_entity_idx on ${ENTITIES} (entity_document_id, search_id)`);
  await knex.raw(`create table if not exists ${WORDS} (id ${id}, locale varchar(35) not null, word varchar(64) not null, docs integer not null)`);
  await createIndex(knex, dialect, `${WORDS}_word_idx`, `create unique index if not exists ${WORDS}_word_idx on ${WORDS} (locale, word)`);
  if (pg) {
    await createIndex(knex, dialect, `${DOCUMENTS}_tsv_idx`, `create index if not exists ${DOCUMENTS}_tsv_idx on ${DOCUMENTS} using gin (tsv)`);
    // GIN, for `%` (similarity above a threshold): a GiST nearest-neighbour scan took 460 ms over 130,000 words.
    await knex.raw(`drop index if exists ${WORDS}_trgm_idx`);
    await createIndex(knex, dialect, `${WORDS}_trgm_gin_idx`, `create index if not exists ${WORDS}_trgm_gin_idx on ${WORDS} using gin (word gin_trgm_ops)`);
  } else {
    await knex.raw(
      `create virtual table if not exists ${FTS} using fts5(title, standfirst, entities, body, captions, content='', contentless_delete=1, tokenize="unicode61 remove_diacritics 0", prefix='2 3')`,
    );
    await knex.raw(`create virtual table if not exists ${VOCAB} using fts5vocab(${FTS}, 'row')`);
    await knex.raw(`create table if not exists ${GRAMS} (gram varchar(16) not null, word_id integer not null, primary key (gram, word_id)) without rowid`);
  }
}

const STATISTICS_TABLES = [DOCUMENTS, ENTITIES, WORDS];

/**
 * The planner's statistics of the index's tables. Before bulk indexing (SQLite): forgets what it
 * had, so statistics taken while the tables were nearly empty (an ANALYZE after seeding) cannot
 * make each write scan a table it should look up (seen: the entities' delete by document scanned
 * 20k rows, indexing slowing from 200 to 100 articles a second). After: takes them afresh.
 */
export async function refreshStatistics(knex: Knex, dialect: Dialect, when: 'before' | 'after'): Promise<void> {
  if (dialect === 'postgres') {
    if (when === 'after') await knex.raw(`analyze ${STATISTICS_TABLES.join(', ')}`);
    return;
  }
  if (when === 'after') {
    for (const table of [...STATISTICS_TABLES, GRAMS]) await knex.raw(`analyze ${table}`);
    return;
  }
  const stat = await knex.raw("select 1 from sqlite_master where name = 'sqlite_stat1'");
  if ((stat as unknown[]).length === 0) return;
  await knex.raw("delete from sqlite_stat1 where tbl like 'newsroom_search_%'");
  // Makes the planner read its statistics again.
  await knex.raw('analyze sqlite_schema');
}

/** pg_trgm's trigrams of a word: padded with two spaces before and one after. */
export function trigrams(word: string): string[] {
  const chars = [' ', ' ', ...word, ' '];
  const grams = new Set<string>();
  for (let i = 0; i + 2 < chars.length; i++) grams.add(chars[i] + chars[i + 1] + chars[i + 2]);
  return [...grams];
}

const localeNumber = (locale: string) => Math.max(0, SEARCH_LOCALES.indexOf(locale as SearchLocale)) + 1;

/** PostgreSQL: this locale's index is ours until the transaction ends (locales in a fixed order, no deadlock). */
export async function lockLocales(trx: Knex | Knex.Transaction, dialect: Dialect, locales: Iterable<string>): Promise<void> {
  if (dialect !== 'postgres') return;
  for (const n of [...new Set([...locales].map(localeNumber))].sort((a, b) => a - b)) await trx.raw('select pg_advisory_xact_lock(?, ?)', [LOCK_KEYS.SEARCH, n]);
}

/**
 * A tsvector literal of fields of terms, each with its weight; two positions between fields, so a
 * phrase never runs from one into the next.
 */
export function tsvectorLiteral(fields: ReadonlyArray<readonly [readonly string[], string]>): string {
  const positions = new Map<string, string[]>();
  let at = 1;
  for (const [terms, weight] of fields) {
    for (const term of terms) {
      const list = positions.get(term) ?? [];
      if (list.length < 256) list.push(`${Math.min(at, 16383)}${weight}`);
      positions.set(term, list);
      at++;
    }
    at += 2;
  }
  return [...positions].map(([term, list]) => `'${term}':${list.join(',')}`).join(' ');
}

/** The tsvector literal of a document: A title, B standfirst and entity names, C body, D captions. */
export const tsvectorOf = (doc: IndexDocument): string =>
  tsvectorLiteral([
    [doc.terms.title, 'A'],
    [doc.terms.standfirst, 'B'],
    [doc.terms.entities, 'B'],
    [doc.terms.body, 'C'],
    [doc.terms.captions, 'D'],
  ]);

interface Existing {
  id: number;
  words: string[];
}

async function existing(trx: Knex.Transaction | Knex, documentId: string, locale: string): Promise<Existing | null> {
  const row = (await trx(DOCUMENTS).select('id', 'words').where({ document_id: documentId, locale }).first()) as { id: number | string; words: string } | undefined;
  return row ? { id: Number(row.id), words: JSON.parse(row.words) as string[] } : null;
}

/** The vocabulary's counts: +1 for each word now held, −1 for each no longer held. */
async function countWords(trx: Knex.Transaction | Knex, dialect: Dialect, locale: string, added: string[], removed: string[]): Promise<void> {
  if (dialect === 'postgres') {
    if (added.length) {
      await trx.raw(
        `insert into ${WORDS} (locale, word, docs) select ?, w, 1 from unnest(?::text[]) as w on conflict (locale, word) do update set docs = ${WORDS}.docs + 1`,
        [locale, added.sort()],
      );
    }
    if (removed.length) await trx.raw(`update ${WORDS} set docs = docs - 1 where locale = ? and word = any(?::text[])`, [locale, removed]);
    return;
  }
  // SQLite keeps the words without counts (counting them cost more than the rest of an article's
  // indexing): how many documents hold a word is FTS5's own count of its term (VOCAB).
  if (added.length) {
    const fresh = (await trx.raw(`insert or ignore into ${WORDS} (locale, word, docs) select ?, value, 0 from json_each(?) returning id, word`, [locale, JSON.stringify(added)])) as {
      id: number;
      word: string;
    }[];
    if (fresh.length) {
      const grams = fresh.flatMap((w) => trigrams(w.word).map((g) => [g, w.id]));
      await trx.raw(`insert or ignore into ${GRAMS} (gram, word_id) select value ->> 0, value ->> 1 from json_each(?)`, [JSON.stringify(grams)]);
    }
  }
}

/** Puts one article locale in the index, or replaces what it held. Call under lockLocales. */
export async function putDocument(trx: Knex.Transaction | Knex, dialect: Dialect, doc: IndexDocument): Promise<void> {
  const before = await existing(trx, doc.documentId, doc.locale);
  const row = {
    article_id: doc.articleId,
    slug: doc.slug,
    title: doc.title,
    standfirst: doc.standfirst,
    body: doc.body,
    captions: doc.captions,
    published_ms: doc.publishedMs,
    month: doc.month,
    // The entities it names, space-separated: facets and the boost count them from the matches' rows.
    entity_list: doc.entityIds.join(' '),
    words: JSON.stringify(doc.words),
  };
  const pg = dialect === 'postgres';
  const key = documentKey(doc.publishedMs, doc.articleId);
  let id: number;
  if (before && before.id === key) {
    id = before.id;
    await trx(DOCUMENTS).update(pg ? { ...row, tsv: trx.raw('?::tsvector', [tsvectorOf(doc)]) } : row).where({ id });
    await dropTerms(trx, dialect, id);
  } else {
    // New, or its first publication moved (its id with it).
    if (before) await dropRows(trx, dialect, before.id);
    id = key;
    // Two article rows with the same low bits first published in the same second: the next id free.
    while (await trx(DOCUMENTS).where({ id }).first('id')) id++;
    await trx(DOCUMENTS).insert({ id, document_id: doc.documentId, locale: doc.locale, ...row, ...(pg ? { tsv: trx.raw('?::tsvector', [tsvectorOf(doc)]) } : {}) });
  }
  if (!pg) {
    const t = doc.terms;
    await trx.raw(`insert into ${FTS} (rowid, title, standfirst, entities, body, captions) values (?, ?, ?, ?, ?, ?)`, [
      id,
      t.title.join(' '),
      t.standfirst.join(' '),
      t.entities.join(' '),
      t.body.join(' '),
      t.captions.join(' '),
    ]);
  }
  // One statement of the list (knex's multi-row insert on SQLite took 7 ms here).
  if (doc.entityIds.length) {
    await trx.raw(
      pg ? `insert into ${ENTITIES} (search_id, entity_document_id) select ?, e from unnest(?::text[]) as e` : `insert into ${ENTITIES} (search_id, entity_document_id) select ?, value from json_each(?)`,
      [id, pg ? doc.entityIds : JSON.stringify(doc.entityIds)],
    );
  }
  const had = new Set(before?.words ?? []);
  const has = new Set(doc.words);
  await countWords(
    trx,
    dialect,
    doc.locale,
    doc.words.filter((w) => !had.has(w)),
    [...had].filter((w) => !has.has(w)),
  );
}

/** A document's FTS5 terms and entity rows (written again by putDocument). */
async function dropTerms(trx: Knex.Transaction | Knex, dialect: Dialect, id: number): Promise<void> {
  if (dialect === 'sqlite') await trx.raw(`delete from ${FTS} where rowid = ?`, [id]);
  await trx(ENTITIES).delete().where({ search_id: id });
}

/** A document's rows (its terms, entities and row); the vocabulary's counts are the caller's. */
async function dropRows(trx: Knex.Transaction | Knex, dialect: Dialect, id: number): Promise<void> {
  await dropTerms(trx, dialect, id);
  await trx(DOCUMENTS).delete().where({ id });
}

/** Takes an article locale out of the index; false when it was not in it. Call under lockLocales. */
export async function removeDocument(trx: Knex.Transaction | Knex, dialect: Dialect, documentId: string, locale: string): Promise<boolean> {
  const before = await existing(trx, documentId, locale);
  if (!before) return false;
  await dropRows(trx, dialect, before.id);
  await countWords(trx, dialect, locale, [], before.words);
  return true;
}

/** Empties the index (a rebuild from scratch). */
export async function clearIndex(trx: Knex.Transaction | Knex, dialect: Dialect): Promise<void> {
  if (dialect === 'sqlite') {
    await trx.raw(`insert into ${FTS} (${FTS}) values ('delete-all')`);
    await trx.raw(`delete from ${GRAMS}`);
  }
  await trx(ENTITIES).delete();
  await trx(DOCUMENTS).delete();
  await trx(WORDS).delete();
}
