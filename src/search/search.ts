/**
 * Runs a reader's search on the index (store.ts): the page of results ranked, the total and the
 * facets, highlights for the page only, and a corrected query when a word matches nothing.
 *
 * Ranking, on both databases: text relevance × recency × entity boost, where
 *   relevance  FTS5's BM25 with column weights title 10, standfirst 5, entity names 4, body 2,
 *              captions 1; PostgreSQL's ts_rank_cd with weights A (title) 1.0, B (standfirst and
 *              entity names) 0.5, C (body) 0.2, D (captions) 0.05
 *   recency    0.3 + 0.7 × 30 / (30 + age in days): a day-old story keeps 98 %, a month-old 65 %, a year-old 35 %
 *   boost      2 when the article names an entity whose name or alias is (part of) the query
 * `sort=newest` orders by first publication alone.
 */
import type { Knex } from 'knex';
import distance from 'damerau-levenshtein';
import { searchLocale, termOf, type SearchLocale } from './analyse';
import { fragments, highlightAll, type Wanted } from './highlight';
import { parseQuery, positiveTerms, toFts5, toTsquery, type ParsedQuery } from './query';
import { DOCUMENTS, ENTITIES, FTS, GRAMS, keyFloor, RANK_INDEX, trigrams, VOCAB, WORDS, type Dialect } from './store';

export interface SearchRequest {
  q: string;
  locale: string;
  page: number;
  pageSize: number;
  sort: 'relevance' | 'newest';
  /** entity documentIds every result must name; null when a slug asked for is unknown (no results) */
  entities: string[] | null;
  fromMs?: number;
  toMs?: number;
  /** entity documentIds the query names (the boost) */
  named: string[];
  /**
   * The most matches ranked, counted and faceted (SEARCH_WINDOW): the newest (ids follow
   * publication, store.ts). A query matching more (a word in most articles) costs the same at
   * 10,000 articles as at 1,000,000, and says so (`window`): its total is the window's (at least
   * that many matched) and so are its facets.
   */
  window: number;
}

export interface Hit {
  id: number;
  articleId: number;
  documentId: string;
  locale: string;
  slug: string | null;
  title: string;
  standfirst: string | null;
  publishedMs: number;
  score: number;
  highlights: { title: string | null; standfirst: string | null; body: string[] };
}

export interface SearchOutcome {
  hits: Hit[];
  total: number;
  months: Array<{ month: string; count: number }>;
  entities: Array<{ documentId: string; count: number }>;
  /** null when every match was ranked, counted and faceted; else the newest `size` were (first published from `sinceMs`), and `total` is that many: more matched */
  window: { size: number; sinceMs: number } | null;
  query: { words: string[]; phrases: string[]; excluded: string[]; corrected?: string; didYouMean?: string };
}

const DAY_MS = 86_400_000;
/** Fewer results than this and a corrected query is offered (didYouMean). */
const FEW = 3;

interface Compiled {
  sql: string;
  bindings: unknown[];
}


/** FROM … WHERE … of the matches (both databases), with the filters. */
function matches(dialect: Dialect, query: ParsedQuery, request: SearchRequest): Compiled | null {
  const expression = dialect === 'postgres' ? toTsquery(query) : toFts5(query);
  if (expression === null || request.entities === null) return null;
  const bindings: unknown[] = [];
  let sql: string;
  if (dialect === 'postgres') {
    sql = `from ${DOCUMENTS} d where d.tsv @@ ?::tsquery and d.locale = ?`;
  } else {
    sql = `from ${FTS} f join ${DOCUMENTS} d indexed by ${RANK_INDEX} on d.id = f.rowid where ${FTS} match ? and d.locale = ?`;
  }
  bindings.push(expression, request.locale);
  const id = dialect === 'postgres' ? 'd.id' : 'f.rowid';
  if (request.fromMs !== undefined) {
    // The id bound lets FTS5 (and the primary key) skip what was published before.
    sql += ` and d.published_ms >= ? and ${id} >= ?`;
    bindings.push(request.fromMs, keyFloor(request.fromMs));
  }
  if (request.toMs !== undefined) {
    sql += ` and d.published_ms < ? and ${id} < ?`;
    bindings.push(request.toMs, keyFloor(request.toMs + 999));
  }
  for (const entity of request.entities) {
    sql += ` and exists (select 1 from ${ENTITIES} x where x.search_id = d.id and x.entity_document_id = ?)`;
    bindings.push(entity);
  }
  return { sql, bindings };
}

const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []));

interface Candidate {
  id: number;
  relevance: number;
  publishedMs: number;
  month: string;
  entities: string[];
}

/** The newest `limit` matches with their text relevance (BM25 / ts_rank_cd), newest first. */
async function candidates(knex: Knex, dialect: Dialect, where: Compiled, limit: number): Promise<Candidate[]> {
  let result: unknown;
  if (dialect === 'postgres') {
    // Ranked after the newest are chosen: ts_rank_cd reads each document's tsvector.
    result = await knex.raw(
      `select w.id, ts_rank_cd('{0.05,0.2,0.5,1.0}', w.tsv, ?::tsquery) as relevance, w.published_ms, w.month, w.entity_list from (select d.id, d.tsv, d.published_ms, d.month, d.entity_list ${where.sql} order by d.id desc limit ?) w order by w.id desc`,
      [where.bindings[0], ...where.bindings, limit] as Knex.RawBinding[],
    );
  } else {
    result = await knex.raw(`select d.id, -bm25(${FTS}, 10.0, 5.0, 4.0, 2.0, 1.0) as relevance, d.published_ms, d.month, d.entity_list ${where.sql} order by f.rowid desc limit ?`, [
      ...where.bindings,
      limit,
    ] as Knex.RawBinding[]);
  }
  return rowsOf<{ id: number | string; relevance: number | string; published_ms: number | string; month: string; entity_list: string }>(result).map((r) => ({
    id: Number(r.id),
    relevance: Number(r.relevance),
    publishedMs: Number(r.published_ms),
    month: String(r.month).trim(),
    entities: r.entity_list ? r.entity_list.split(' ') : [],
  }));
}

/** 0.3 + 0.7 × 30 / (30 + age in days) */
const recency = (publishedMs: number, now: number) => 0.3 + (0.7 * 30) / (30 + (now > publishedMs ? (now - publishedMs) / DAY_MS : 0));

/** How many of `found` fall in each group `of` gives (unordered). */
function counted(found: Candidate[], of: (c: Candidate) => string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of found) for (const key of of(c)) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

interface Ran {
  ids: Array<{ id: number; score: number }>;
  total: number;
  months: Array<{ month: string; count: number }>;
  entities: Array<{ documentId: string; count: number }>;
  window: { size: number; sinceMs: number } | null;
}

async function run(knex: Knex, dialect: Dialect, query: ParsedQuery, request: SearchRequest, now: number): Promise<Ran> {
  const where = matches(dialect, query, request);
  if (!where) return { ids: [], total: 0, months: [], entities: [], window: null };
  const offset = (request.page - 1) * request.pageSize;
  // Deep pages widen the window to reach them (page ≤ 100, pageSize ≤ 50: at most 5,000).
  const size = Math.max(request.window, offset + request.pageSize);
  const found = await candidates(knex, dialect, where, size + 1);
  const whole = found.length <= size;
  if (!whole) found.length = size;
  const named = new Set(request.named);
  const scored = found.map((c) => ({
    id: c.id,
    publishedMs: c.publishedMs,
    score: request.sort === 'newest' ? 0 : c.relevance * recency(c.publishedMs, now) * (named.size && c.entities.some((e) => named.has(e)) ? 2 : 1),
  }));
  scored.sort(request.sort === 'newest' ? (a, b) => b.publishedMs - a.publishedMs || b.id - a.id : (a, b) => b.score - a.score || b.id - a.id);
  const months = [...counted(found, (c) => [c.month])].sort((a, b) => (a[0] < b[0] ? 1 : -1)).map(([month, count]) => ({ month, count }));
  const entities = [...counted(found, (c) => c.entities)]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, 10)
    .map(([documentId, count]) => ({ documentId, count }));
  return {
    ids: scored.slice(offset, offset + request.pageSize).map(({ id, score }) => ({ id, score })),
    // Past the window, the total is what is known: at least the window.
    total: found.length,
    months,
    entities,
    window: whole ? null : { size, sinceMs: found[found.length - 1].publishedMs },
  };
}

/** How many edits a word may be corrected by: none under 5 letters, 1 up to 8, 2 from 9 (as Meilisearch). */
export const allowedEdits = (word: string): number => {
  const n = [...word].length;
  return n < 5 ? 0 : n <= 8 ? 1 : 2;
};

/** The vocabulary's closest word to `word` within its allowed edits (the most used among the closest), or null. */
export async function correctionOf(knex: Knex, dialect: Dialect, locale: string, word: string): Promise<string | null> {
  const edits = allowedEdits(word);
  if (edits === 0) return null;
  const length = [...word].length;
  let candidates: Array<{ word: string; docs: number | string }>;
  if (dialect === 'postgres') {
    // The words sharing enough trigrams to be within `edits` (an edit changes at most four of them,
    // as SQLite's grams below), through the GIN index: pg_trgm's similarity threshold set to that bound.
    // Shared ≥ g − 4e of the word's g trigrams, and a candidate has at most g + e: similarity
    // (shared over the union) is then at least (g − 4e) / (g + 5e), rounded down.
    const grams = trigrams(word).length;
    const threshold = Math.max(0.05, Math.floor((1000 * (grams - 4 * edits)) / (grams + 5 * edits)) / 1000);
    candidates = await knex.transaction(async (trx) => {
      await trx.raw("select set_config('pg_trgm.similarity_threshold', ?, true)", [String(threshold)]);
      return rowsOf<{ word: string; docs: number | string }>(
        await trx.raw(`select word, docs from ${WORDS} where locale = ? and docs > 0 and length(word) between ? and ? and word % ? order by word <-> ? limit 64`, [
          locale,
          length - edits,
          length + edits,
          word,
          word,
        ]),
      );
    });
  } else {
    const grams = trigrams(word);
    const near = rowsOf<{ word: string }>(
      await knex.raw(
        `select w.word from ${GRAMS} g join ${WORDS} w on w.id = g.word_id where g.gram in (${grams.map(() => '?').join(', ')}) and w.locale = ? and length(w.word) between ? and ? group by w.id having count(*) >= ? order by count(*) desc limit 64`,
        [...grams, locale, length - edits, length + edits, Math.max(1, grams.length - 4 * edits)],
      ),
    );
    const counts = await termDocs(knex, locale, near.map((n) => n.word));
    candidates = near.map((n) => ({ word: n.word, docs: counts.get(n.word) ?? 0 })).filter((c) => c.docs > 0);
  }
  let best: { word: string; steps: number; docs: number } | null = null;
  for (const c of candidates) {
    if (c.word === word) return null;
    const steps = distance(word, c.word).steps;
    if (steps > edits) continue;
    const docs = Number(c.docs);
    if (!best || steps < best.steps || (steps === best.steps && docs > best.docs)) best = { word: c.word, steps, docs };
  }
  return best?.word ?? null;
}

/** SQLite: how many documents hold each word's term (FTS5's vocabulary; every locale's together). */
async function termDocs(knex: Knex, locale: string, words: string[]): Promise<Map<string, number>> {
  const analyser = searchLocale(locale);
  const termOfWord = new Map(words.map((w) => [w, termOf(w, analyser)?.term]).filter((e): e is [string, string] => Boolean(e[1])));
  const terms = [...new Set(termOfWord.values())];
  if (terms.length === 0) return new Map();
  const rows = rowsOf<{ term: string; doc: number }>(await knex.raw(`select term, doc from ${VOCAB} where term in (${terms.map(() => '?').join(', ')})`, terms));
  const docs = new Map(rows.map((r) => [r.term, Number(r.doc)]));
  return new Map([...termOfWord].map(([w, t]) => [w, docs.get(t) ?? 0]));
}

/** The words among `words` some published article of the locale holds. */
async function knownWords(knex: Knex, dialect: Dialect, locale: string, words: string[]): Promise<Set<string>> {
  if (words.length === 0) return new Set();
  if (dialect === 'sqlite') return new Set([...(await termDocs(knex, locale, words))].filter(([, n]) => n > 0).map(([w]) => w));
  const rows = (await knex(WORDS).select('word').where('locale', locale).where('docs', '>', 0).whereIn('word', words)) as { word: string }[];
  return new Set(rows.map((r) => r.word));
}

/** The query with each unknown plain word replaced by its correction; null when nothing was corrected. */
async function corrected(knex: Knex, dialect: Dialect, q: string, locale: string): Promise<string | null> {
  const parts = q.split(/(\s+)/);
  const analyser = searchLocale(locale);
  const candidates = parts.map((p) => {
    if (/^\s*$/.test(p) || p.startsWith('-') || p.includes('"') || p === 'OR') return null;
    const folded = parseQuery(p, analyser).words;
    return folded.length === 1 && !folded[0].includes(' ') ? folded[0] : null;
  });
  const known = await knownWords(knex, dialect, locale, candidates.filter((c): c is string => c !== null));
  let changed = false;
  for (let i = 0; i < parts.length; i++) {
    const word = candidates[i];
    if (!word || known.has(word)) continue;
    const fix = await correctionOf(knex, dialect, locale, word);
    if (fix) {
      parts[i] = fix;
      changed = true;
    }
  }
  return changed ? parts.join('').trim() : null;
}

/** How many searches this process ran (the generated tests count what reached the engine). */
export const searchStats = { runs: 0 };

export async function search(knex: Knex, dialect: Dialect, request: SearchRequest, now = Date.now()): Promise<SearchOutcome> {
  searchStats.runs++;
  const analyser: SearchLocale = searchLocale(request.locale);
  let query = parseQuery(request.q, analyser);
  let outcome = await run(knex, dialect, query, request, now);
  const meta: SearchOutcome['query'] = { words: query.words, phrases: query.phrases, excluded: query.excludedWords };
  if (outcome.total < FEW && query.clauses.length > 0) {
    const fixed = await corrected(knex, dialect, request.q, request.locale);
    if (fixed) {
      const fixedQuery = parseQuery(fixed, analyser);
      const second = await run(knex, dialect, fixedQuery, request, now);
      if (outcome.total === 0 && second.total > 0) {
        outcome = second;
        query = fixedQuery;
        meta.corrected = fixed;
      } else if (second.total > outcome.total) {
        meta.didYouMean = fixed;
      }
    }
  }
  const wanted: Wanted = positiveTerms(query);
  const ids = outcome.ids.map((r) => Number(r.id));
  const rows = ids.length
    ? ((await knex(DOCUMENTS).select('id', 'article_id', 'document_id', 'locale', 'slug', 'title', 'standfirst', 'body', 'published_ms').whereIn('id', ids)) as Array<Record<string, unknown>>)
    : [];
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  const hits: Hit[] = [];
  for (const { id, score } of outcome.ids) {
    const r = byId.get(Number(id));
    if (!r) continue;
    hits.push({
      id: Number(id),
      articleId: Number(r.article_id),
      documentId: String(r.document_id),
      locale: String(r.locale),
      slug: (r.slug as string | null) ?? null,
      title: String(r.title),
      standfirst: (r.standfirst as string | null) ?? null,
      publishedMs: Number(r.published_ms),
      score: Math.round(Number(score) * 1e6) / 1e6,
      highlights: {
        title: highlightAll(String(r.title), analyser, wanted),
        standfirst: highlightAll((r.standfirst as string | null) ?? null, analyser, wanted),
        body: fragments((r.body as string | null) ?? null, analyser, wanted),
      },
    });
  }
  return { hits, total: outcome.total, months: outcome.months, entities: outcome.entities, window: outcome.window, query: meta };
}
