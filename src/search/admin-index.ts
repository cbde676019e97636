/**
 * The admin's list search: the content-manager's `_q` on articles and entities (and any `_q` the
 * query engine runs on them) matched against an index of every row, drafts included, with the
 * readers' analysers and query language (analyse.ts, query.ts), instead of Strapi's
 * `ILIKE '%q%'` OR'ed over every string column, a scan of the table for each page and each count.
 *
 *   newsroom_admin_search             one row per indexed content row: its kind, row id, document,
 *                                     locale and last update (the boot's reconcile compares it) and,
 *                                     on PostgreSQL, its tsvector (a GIN index)
 *   newsroom_admin_search_<kind>_fts  SQLite: FTS5, contentless, its rowid the content row's id
 *
 * What is held: an article's title, slug, standfirst and body (every section's heading and
 * blocks); an entity's name, aliases, slug, label and description.
 *
 * Kept by a write subscriber of the change feed (every Document Service write, draft saves
 * included), in the write's transaction; writes past the feed (the seed, seed:synthetic) are
 * caught at boot by `reconcileAdminIndex`. The query engine's `_q` is taken over in its
 * beforeFindMany and beforeCount lifecycles: the query keeps its own filters, sort and
 * pagination, with `id in (the matches)` in place of the ILIKEs. A `_q` with nothing left to
 * find once analysed (only stop words, only exclusions) is left to Strapi.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Knex } from 'knex';
import { ARTICLE_UID, changeFeed, type WriteSubscriber } from '../changes';
import { LOCK_KEYS } from '../pg/lock-keys';
import { articleLoader } from '../reads/article-reads';
import { searchLocale, tokenize, type SearchLocale } from './analyse';
import { epochMs, sectionsText, type ArticleForIndex } from './document';
import { dialectOf } from './indexer';
import { parseQuery, toFts5, toTsquery } from './query';
import { createIndex, tsvectorLiteral, type Dialect } from './store';

export const ADMIN_ROWS = 'newsroom_admin_search';
const ENTITY_UID = 'api::entity.entity';

type Kind = 'article' | 'entity';
/** Each kind's fields, in the order termsOf gives them (SQLite: the FTS5 table's columns, so a phrase never runs from one into the next). */
const KINDS: Record<Kind, { uid: string; localized: boolean; fields: string[] }> = {
  article: { uid: ARTICLE_UID, localized: true, fields: ['title', 'slug', 'standfirst', 'body'] },
  entity: { uid: ENTITY_UID, localized: false, fields: ['name', 'aliases', 'slug', 'label', 'description'] },
};
const kindOf = (uid: string): Kind | null => (uid === ARTICLE_UID ? 'article' : uid === ENTITY_UID ? 'entity' : null);
export const adminFts = (kind: Kind): string => `newsroom_admin_search_${kind}_fts`;

/** The same bounds as the readers' `q` (GET /api/search). */
const MAX_Q = 256;
const MAX_WORDS = 32;

export async function ensureAdminSearchTables(knex: Knex, dialect: Dialect): Promise<void> {
  const pg = dialect === 'postgres';
  await knex.raw(`create table if not exists ${ADMIN_ROWS} (
    id ${pg ? 'bigserial primary key' : 'integer primary key'},
    kind varchar(16) not null,
    row_id bigint not null,
    document_id varchar(255) not null,
    locale varchar(35),
    updated_ms bigint not null${pg ? ',\n    tsv tsvector not null' : ''}
  )`);
  await createIndex(knex, dialect, `${ADMIN_ROWS}_row_idx`, `create unique index if not exists ${ADMIN_ROWS}_row_idx on ${ADMIN_ROWS} (kind, row_id)`);
  await createIndex(knex, dialect, `${ADMIN_ROWS}_doc_idx`, `create index if not exists ${ADMIN_ROWS}_doc_idx on ${ADMIN_ROWS} (kind, document_id)`);
  if (pg) await createIndex(knex, dialect, `${ADMIN_ROWS}_tsv_idx`, `create index if not exists ${ADMIN_ROWS}_tsv_idx on ${ADMIN_ROWS} using gin (tsv)`);
  else
    for (const kind of Object.keys(KINDS) as Kind[])
      await knex.raw(`create virtual table if not exists ${adminFts(kind)} using fts5(${KINDS[kind].fields.join(', ')}, content='', contentless_delete=1, tokenize="unicode61 remove_diacritics 0", prefix='2 3')`);
}

type Row = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The fields of a row the admin's search finds it by (one list of terms each). */
function termsOf(kind: Kind, row: Row): string[][] {
  const locale: SearchLocale = kind === 'article' ? searchLocale(str(row.locale)) : 'en';
  const terms = (text: string) => tokenize(text, locale).map((t) => t.term);
  if (kind === 'entity') {
    const aliases = Array.isArray(row.aliases) ? row.aliases.map(str) : [];
    return [terms(str(row.name)), terms(aliases.join('\n')), terms(str(row.slug)), terms(str(row.label)), terms(str(row.description))];
  }
  const body = sectionsText(Array.isArray(row.sections) ? (row.sections as ArticleForIndex['sections']) : null);
  return [terms(str(row.title)), terms(str(row.slug)), terms(str(row.standfirst)), terms(body)];
}

/** Puts rows of one kind in the index, replacing what it held of them. */
async function putRows(trx: Knex | Knex.Transaction, dialect: Dialect, kind: Kind, rows: Row[]): Promise<void> {
  for (const row of rows) {
    const fields = termsOf(kind, row);
    const record = {
      kind,
      row_id: Number(row.id),
      document_id: str(row.documentId ?? row.document_id),
      locale: KINDS[kind].localized ? str(row.locale) : null,
      updated_ms: epochMs(row.updatedAt ?? row.updated_at) ?? 0,
    };
    if (dialect === 'postgres') {
      const tsv = tsvectorLiteral(fields.map((terms) => [terms, ''] as const));
      await trx.raw(
        `insert into ${ADMIN_ROWS} (kind, row_id, document_id, locale, updated_ms, tsv) values (?, ?, ?, ?, ?, ?::tsvector)
         on conflict (kind, row_id) do update set document_id = excluded.document_id, locale = excluded.locale, updated_ms = excluded.updated_ms, tsv = excluded.tsv`,
        [record.kind, record.row_id, record.document_id, record.locale, record.updated_ms, tsv],
      );
      continue;
    }
    await trx.raw(`delete from ${adminFts(kind)} where rowid = ?`, [record.row_id]);
    await trx.raw(`insert or replace into ${ADMIN_ROWS} (kind, row_id, document_id, locale, updated_ms) values (?, ?, ?, ?, ?)`, [
      record.kind,
      record.row_id,
      record.document_id,
      record.locale,
      record.updated_ms,
    ]);
    const columns = KINDS[kind].fields;
    await trx.raw(`insert into ${adminFts(kind)} (rowid, ${columns.join(', ')}) values (?${', ?'.repeat(columns.length)})`, [record.row_id, ...fields.map((f) => f.join(' '))]);
  }
}

async function dropRows(trx: Knex | Knex.Transaction, dialect: Dialect, kind: Kind, rowIds: number[]): Promise<void> {
  if (rowIds.length === 0) return;
  if (dialect === 'sqlite') for (const id of rowIds) await trx.raw(`delete from ${adminFts(kind)} where rowid = ?`, [id]);
  await trx(ADMIN_ROWS).delete().where({ kind }).whereIn('row_id', rowIds);
}

/** PostgreSQL: this document's admin rows are ours until the transaction ends (documents in a fixed order). */
async function lockDocuments(trx: Knex | Knex.Transaction, dialect: Dialect, kind: Kind, documentIds: Iterable<string>): Promise<void> {
  if (dialect !== 'postgres') return;
  for (const documentId of [...new Set(documentIds)].sort()) await trx.raw('select pg_advisory_xact_lock(?, hashtext(?))', [LOCK_KEYS.ADMIN_SEARCH, `${kind}:${documentId}`]);
}

const ARTICLE_FIELDS = ['id', 'documentId', 'locale', 'title', 'slug', 'standfirst', 'updatedAt'];
const ENTITY_FIELDS = ['id', 'documentId', 'name', 'aliases', 'slug', 'label', 'description', 'updatedAt'];

/** After each Document Service write of an article or entity: its rows in the locales written, as they now stand. */
export function adminIndexWriter(strapi: Core.Strapi): WriteSubscriber {
  return async (write, { trx }) => {
    const kind = kindOf(write.contentType);
    if (!kind) return;
    const dialect = dialectOf(strapi);
    await lockDocuments(trx, dialect, kind, [write.documentId]);
    const locales = KINDS[kind].localized ? write.locales.filter((l): l is string => typeof l === 'string') : [];
    const held = trx(ADMIN_ROWS).select('row_id').where({ kind, document_id: write.documentId });
    if (locales.length) held.whereIn('locale', locales);
    const before = ((await held) as { row_id: number | string }[]).map((r) => Number(r.row_id));
    // Read in the write's transaction (the query engine joins it).
    const now = (await strapi.db.query(KINDS[kind].uid).findMany({
      where: { documentId: write.documentId, ...(locales.length ? { locale: { $in: locales } } : {}) },
      select: kind === 'article' ? ARTICLE_FIELDS : ENTITY_FIELDS,
      ...(kind === 'article' ? { populate: { sections: true } } : {}),
    })) as Row[];
    const kept = new Set(now.map((r) => Number(r.id)));
    await dropRows(trx, dialect, kind, before.filter((id) => !kept.has(id)));
    await putRows(trx, dialect, kind, now);
  };
}

const BATCH = 500;

/**
 * Makes the admin index hold every row as it stands: indexes rows it lacks or holds an older
 * update of, drops rows that are gone. Two statements per kind when all is well.
 */
export async function reconcileAdminIndex(strapi: Core.Strapi, progress?: (done: number, total: number) => void): Promise<{ indexed: number; removed: number }> {
  const knex = strapi.db.connection as unknown as Knex;
  const dialect = dialectOf(strapi);
  const updatedMs = (column: string) => (dialect === 'postgres' ? `coalesce(round(extract(epoch from ${column}) * 1000), 0)` : `coalesce(${column}, 0)`);
  const work: Array<{ kind: Kind; redo: number[] }> = [];
  let removed = 0;
  for (const kind of Object.keys(KINDS) as Kind[]) {
    const table = strapi.db.metadata.get(KINDS[kind].uid).tableName;
    const redo = ((await knex({ a: table })
      .leftJoin({ r: ADMIN_ROWS }, (on) => on.on('r.row_id', '=', 'a.id').andOnVal('r.kind', '=', kind))
      .select('a.id')
      .where((w) => w.whereNull('r.id').orWhereRaw(`r.updated_ms <> ${updatedMs('a.updated_at')}`))
      .orderBy('a.id')) as { id: number }[]).map((r) => Number(r.id));
    const gone = ((await knex({ r: ADMIN_ROWS })
      .select('r.row_id')
      .where('r.kind', kind)
      .whereNotExists((q) => q.select(knex.raw('1')).from({ a: table }).whereRaw('a.id = r.row_id'))) as { row_id: number | string }[]).map((r) => Number(r.row_id));
    if (gone.length) {
      await knex.transaction(async (trx) => {
        await dropRows(trx, dialect, kind, gone);
      });
      removed += gone.length;
    }
    work.push({ kind, redo });
  }
  const total = work.reduce((n, w) => n + w.redo.length, 0);
  let indexed = 0;
  if (total) progress?.(0, total);
  for (const { kind, redo } of work) {
    for (let i = 0; i < redo.length; i += BATCH) {
      const rows = await rowsById(strapi, kind, redo.slice(i, i + BATCH));
      await knex.transaction(async (trx) => {
        await lockDocuments(trx, dialect, kind, rows.map((r) => str(r.documentId)));
        await putRows(trx, dialect, kind, rows);
      });
      indexed += rows.length;
      progress?.(indexed, total);
    }
  }
  return { indexed, removed };
}

/** Empties the admin index (`npm run search:reindex` fills it again with reconcileAdminIndex). */
export async function clearAdminIndex(strapi: Core.Strapi): Promise<void> {
  const knex = strapi.db.connection as unknown as Knex;
  const dialect = dialectOf(strapi);
  await knex.transaction(async (trx) => {
    if (dialect === 'sqlite') for (const kind of Object.keys(KINDS) as Kind[]) await trx.raw(`insert into ${adminFts(kind)} (${adminFts(kind)}) values ('delete-all')`);
    await trx(ADMIN_ROWS).delete();
  });
}

async function rowsById(strapi: Core.Strapi, kind: Kind, ids: number[]): Promise<Row[]> {
  if (kind === 'entity') return (await strapi.db.query(ENTITY_UID).findMany({ where: { id: { $in: ids } }, select: ENTITY_FIELDS })) as Row[];
  // The article reads' loader: one statement for the rows, one for every section of the batch.
  const loader = articleLoader(strapi);
  const rows = await loader.articles(`admin-index:${ids.length}`, ids, (q, p) => q.whereIn('id', p as number[]));
  const parts = await loader.components(rows.map((r) => Number(r.id)));
  for (const row of rows) Object.assign(row, parts.get(Number(row.id)));
  return rows;
}

/** The locale a query engine `where` asks for, if one (the content-manager's list adds it). */
function localeIn(where: unknown): string | null {
  if (!where || typeof where !== 'object') return null;
  if (Array.isArray(where)) {
    for (const w of where) {
      const l = localeIn(w);
      if (l) return l;
    }
    return null;
  }
  const w = where as Record<string, unknown>;
  if (typeof w.locale === 'string') return w.locale;
  if (w.locale && typeof w.locale === 'object' && typeof (w.locale as { $eq?: unknown }).$eq === 'string') return (w.locale as { $eq: string }).$eq;
  return localeIn(w.$and);
}

interface QueryEvent {
  model: { uid: string };
  params?: Record<string, unknown>;
}

/** The query engine's rows of `kind` that the admin's `q` finds, as a subquery of their ids; null to leave `q` to Strapi. */
export function adminMatches(knex: Knex, dialect: Dialect, kind: Kind, q: string, locale: string | null): Knex.QueryBuilder | null {
  if (q.length > MAX_Q) throw new errors.ValidationError(`_q is longer than ${MAX_Q} characters`, { errors: [{ path: ['_q'], message: `at most ${MAX_Q} characters` }] });
  const parsed = parseQuery(q, KINDS[kind].localized ? searchLocale(locale) : 'en');
  const count = parsed.clauses.reduce((n, c) => n + c.length, 0) + parsed.excluded.length;
  if (count > MAX_WORDS) throw new errors.ValidationError(`_q has more than ${MAX_WORDS} words`, { errors: [{ path: ['_q'], message: `at most ${MAX_WORDS} words` }] });
  if (dialect === 'postgres') {
    const ts = toTsquery(parsed);
    return ts ? knex(ADMIN_ROWS).select('row_id').where('kind', kind).whereRaw('tsv @@ ?::tsquery', [ts]) : null;
  }
  const match = toFts5(parsed);
  return match ? knex.select('rowid').from(adminFts(kind)).whereRaw('?? match ?', [adminFts(kind), match]) : null;
}

/** Takes over the query engine's `_q` on articles and entities (see the top of this file). */
export function takeOverListSearch(strapi: Core.Strapi): void {
  const take = (event: QueryEvent) => {
    const params = event.params;
    const kind = kindOf(event.model.uid);
    if (!kind || !params || typeof params._q !== 'string' || params._q.trim() === '') return;
    const matches = adminMatches(strapi.db.connection as unknown as Knex, dialectOf(strapi), kind, params._q, localeIn(params.where) ?? localeIn(params.filters));
    if (!matches) return;
    delete params._q;
    const ours = { id: { $in: matches } };
    params.where = params.where ? { $and: [params.where, ours] } : ours;
  };
  strapi.db.lifecycles.subscribe({ models: [ARTICLE_UID, ENTITY_UID], beforeFindMany: take, beforeCount: take } as never);
}

/** In register: keep the index and take over `_q`. */
export function registerAdminSearch(strapi: Core.Strapi): void {
  changeFeed(strapi).subscribeWrites(adminIndexWriter(strapi));
  takeOverListSearch(strapi);
}
