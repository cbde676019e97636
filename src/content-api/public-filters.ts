/**
 * What an anonymous reader (no API token) may ask the database for in a list: filters and sorts
 * that an index serves, so that no public request can start a statement that reads the whole
 * archive. At 100,000 articles Strapi's `$containsi` is `ILIKE '%…%'` (`LIKE` on SQLite) over
 * every row: 1.5–3.8 s a request, and on SQLite the whole process waits for it (better-sqlite3 runs
 * a statement on the event loop and nothing can interrupt it). The rule, checked before any SQL:
 *
 *   fields     a field an index leads with (the model's own `indexes`, Strapi's documents index,
 *              the primary key; on a localized type the column after `locale`, which every
 *              query binds): on articles id, documentId, locale, slug, dateline, firstPublishedAt
 *   operators  the ones an index answers: $eq, $in, $lt, $lte, $gt, $gte, $between, $null,
 *              $notNull. Never the text patterns ($contains, $containsi, $notContains(i),
 *              $startsWith(i), $endsWith(i)), the case-folded $eqi/$nei (LOWER(column) has no
 *              index), nor a negation ($ne, $notIn, $not: no index narrows them)
 *   relations  none: `filters[entities][slug][$eq]=…` is a join of the link table, and for an
 *              entity named in most of the archive Strapi's DISTINCT, sort and count read most of
 *              it (PostgreSQL 0.6-1.1 s, SQLite 0.15-0.2 s at 100k; two ids with $in 0.36-0.86 s
 *              on SQLite); inside $or two equalities took 0.9 s. The articles naming an entity
 *              are the topic route, /api/entities/:slug/articles, which is planned for it
 *   components refused (their tables have no index on their fields)
 *   sort       the root model's indexed fields, not through a relation
 *   _q         refused (it is `LIKE '%q%'` over every text column)
 *
 * A populate's own filters and sort are not limited: they only narrow the relations of the rows
 * on the page (at most 100), which Strapi loads by the page's ids. API tokens (the newsroom's own
 * services) are not limited by this: on PostgreSQL their statements are cancelled at the request
 * deadline (src/database-guard); on SQLite a token's substring filter still holds the process for
 * as long as it runs (docs/api.md says so).
 *
 * Each refusal is a 400 naming the parameter path and what to do instead. The same rules hold
 * for GraphQL, whose filters name operators without the `$` (`containsi`, `and`).
 */
import type { ModelAttribute } from './filter-shape';

export interface IndexedModel {
  attributes: Record<string, ModelAttribute & { private?: boolean }>;
  indexes?: ReadonlyArray<{ columns: ReadonlyArray<string>; type?: string }>;
  columnToAttribute?: Record<string, string>;
}
export type IndexedModelOf = (uid: string) => IndexedModel | undefined;

export interface PublicQueryProblem {
  message: string;
  path: string[];
}

/** The operators an index answers. */
export const INDEXED_OPERATORS: ReadonlySet<string> = new Set(['$eq', '$in', '$lt', '$lte', '$gt', '$gte', '$between', '$null', '$notNull']);
/** Negations: no index narrows `<>` or `NOT IN`; they select most of the archive and test every row (`documentId $notIn` 222 ms p99 on SQLite at 100k). */
export const NEGATIONS: ReadonlySet<string> = new Set(['$ne', '$notIn', '$not']);
/** The operators that scan text: refused for anonymous readers on every field. */
export const TEXT_SCAN_OPERATORS: ReadonlySet<string> = new Set([
  '$contains', '$containsi', '$notContains', '$notContainsi', '$startsWith', '$startsWithi', '$endsWith', '$endsWithi', '$eqi', '$nei',
]);
const GROUPS = new Set(['$and', '$or']);
const RELATION_HINT =
  'anonymous readers may not filter through a relation (for an entity named in most of the archive the join reads most of it); the articles naming an entity are at /api/entities/{slug}/articles';
const NEGATION_HINT = 'anonymous readers may not negate a filter (no index narrows it: it tests most of the archive); ask for what you want with $eq, $in or a range';
const SEARCH_HINT = 'anonymous readers may not scan text at this size; ask for an indexed field (see docs/api.md#filters-the-public-may-run) or use an API token';

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const name = (path: ReadonlyArray<string>) => path[0] + path.slice(1).map((p) => `[${p}]`).join('');

const indexedCache = new WeakMap<IndexedModel, ReadonlySet<string>>();

/**
 * The fields of a model an index leads with: the first column of each index, or its second when
 * the first is `locale` (bound in every query of a localized type); and `id`, the primary key.
 */
export function indexedFields(model: IndexedModel): ReadonlySet<string> {
  const known = indexedCache.get(model);
  if (known) return known;
  const byColumn = model.columnToAttribute ?? {};
  const attributeOf = (column: string) => byColumn[column] ?? (Object.prototype.hasOwnProperty.call(model.attributes, column) ? column : undefined);
  const fields = new Set<string>(['id']);
  for (const index of model.indexes ?? []) {
    const [first, second] = index.columns;
    for (const column of first === 'locale' && second ? [first, second] : [first]) {
      const attribute = column ? attributeOf(column) : undefined;
      if (attribute) fields.add(attribute);
    }
  }
  indexedCache.set(model, fields);
  return fields;
}

/** GraphQL's filter keys (`eq`, `and`, `not`) as REST's (`$eq`, `$and`, `$not`); field names stay. */
export function withDollarOperators(filters: unknown): unknown {
  if (Array.isArray(filters)) return filters.map(withDollarOperators);
  if (!isPlainObject(filters)) return filters;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filters)) {
    const dollar = `$${key}`;
    const operator = INDEXED_OPERATORS.has(dollar) || TEXT_SCAN_OPERATORS.has(dollar) || NEGATIONS.has(dollar) || GROUPS.has(dollar);
    out[operator ? dollar : key] = withDollarOperators(value);
  }
  return out;
}

interface Walk {
  modelOf: IndexedModelOf;
}

function operatorProblem(value: unknown, path: string[]): PublicQueryProblem | null {
  if (!isPlainObject(value)) return null; // a value or a list of values: $eq / $in
  for (const operator of Object.keys(value)) {
    const at = [...path, operator];
    if (TEXT_SCAN_OPERATORS.has(operator)) return { message: `${name(at)}: ${SEARCH_HINT}`, path: at };
    if (NEGATIONS.has(operator)) return { message: `${name(at)}: ${NEGATION_HINT}`, path: at };
  }
  return null;
}

function conditionsProblem(where: unknown, uid: string, path: string[], walk: Walk): PublicQueryProblem | null {
  if (!isPlainObject(where)) return null; // the shape check (filter-shape.ts) names a bad shape
  const model = walk.modelOf(uid);
  if (!model) return null;
  const indexed = indexedFields(model);
  for (const [key, value] of Object.entries(where)) {
    const at = [...path, key];
    if (key === '$not') return { message: `${name(at)}: ${NEGATION_HINT}`, path: at };
    if (GROUPS.has(key)) {
      const parts = Array.isArray(value) ? value : [value];
      for (const [i, part] of parts.entries()) {
        const found = conditionsProblem(part, uid, Array.isArray(value) ? [...at, String(i)] : at, walk);
        if (found) return found;
      }
      continue;
    }
    const attribute = Object.prototype.hasOwnProperty.call(model.attributes, key) ? model.attributes[key] : undefined;
    if (!attribute) continue; // Strapi's own validation names an unknown field
    // To the database a component is a relation to its table; its uid has no `::` (`story.section`).
    const component = attribute.type === 'component' || (attribute.type === 'relation' && Boolean(attribute.target) && !attribute.target!.includes('::'));
    if (component) return { message: `${name(at)}: anonymous readers may not filter on a component (it has no index); ${SEARCH_HINT}`, path: at };
    if (attribute.type === 'relation' && attribute.target && !attribute.target.startsWith('admin::')) {
      return { message: `${name(at)}: ${RELATION_HINT}`, path: at };
    }
    if (['dynamiczone', 'media', 'relation'].includes(attribute.type)) {
      return { message: `${name(at)}: anonymous readers may not filter on a ${attribute.type} field (it has no index); ${SEARCH_HINT}`, path: at };
    }
    const found = operatorProblem(value, at);
    if (found) return found;
    if (!indexed.has(key)) {
      return { message: `${name(at)}: anonymous readers may filter only on indexed fields (${[...indexed].join(', ')}); ${key} has no index`, path: at };
    }
  }
  return null;
}

/** The first part of `filters` on `uid` an anonymous reader may not run, or null. */
export function publicFilterProblem(filters: unknown, uid: string, modelOf: IndexedModelOf, path: string[] = ['filters']): PublicQueryProblem | null {
  return conditionsProblem(filters, uid, path, { modelOf });
}

/** The field paths a sort names, in REST's or GraphQL's forms (`a:desc,b`, a list, `{ a: 'desc' }`). */
function sortedPaths(sort: unknown): string[] {
  if (typeof sort === 'string') return sort.split(',').map((part) => part.trim().split(':')[0]).filter(Boolean);
  if (Array.isArray(sort)) return sort.flatMap(sortedPaths);
  if (isPlainObject(sort)) return Object.keys(sort);
  return [];
}

/** The first field of a sort on `uid` an anonymous reader may not sort by, as a problem on `param`, or null. */
export function publicSortProblem(sort: unknown, uid: string, modelOf: IndexedModelOf, param = 'sort'): PublicQueryProblem | null {
  const model = modelOf(uid);
  if (!model || sort === undefined || sort === null) return null;
  const indexed = indexedFields(model);
  for (const field of sortedPaths(sort)) {
    if (field.includes('.')) return { message: `${param}: anonymous readers may not sort through a relation (${field})`, path: [param] };
    if (Object.prototype.hasOwnProperty.call(model.attributes, field) && !indexed.has(field)) {
      return { message: `${param}: anonymous readers may sort only by indexed fields (${[...indexed].join(', ')}); ${field} has no index`, path: [param] };
    }
  }
  return null;
}

/** The deepest row a public page may start at: past it the database walks every row before it (a page 2,000 deep sorted by date: 239 ms p99 on PostgreSQL at 100k). */
export const MAX_PUBLIC_OFFSET = 10_000;

/** A page that starts past MAX_PUBLIC_OFFSET (REST's `pagination` and GraphQL's, page/pageSize or start/limit), as a problem on `param`, or null. */
export function publicPaginationProblem(pagination: unknown, defaultPageSize: number, param = 'pagination'): PublicQueryProblem | null {
  if (!isPlainObject(pagination)) return null;
  const number = (v: unknown, fallback: number) => (v === undefined || v === null || v === '' ? fallback : Number(v));
  const offset = pagination.start !== undefined ? number(pagination.start, 0) : (number(pagination.page, 1) - 1) * number(pagination.pageSize, defaultPageSize);
  if (!Number.isFinite(offset) || offset <= MAX_PUBLIC_OFFSET) return null;
  return {
    message: `${param}: anonymous readers may page at most ${MAX_PUBLIC_OFFSET.toLocaleString('en')} rows deep (this page starts at ${offset}); go further back with a date filter, e.g. filters[firstPublishedAt][$lt]=<the last one's>`,
    path: [param],
  };
}

/** Strapi's `_q` (`LIKE '%q%'` over every text column): refused for anonymous readers. */
export function publicSearchProblem(q: unknown, param = '_q'): PublicQueryProblem | null {
  if (q === undefined || q === null || q === '') return null;
  return { message: `${param}: ${SEARCH_HINT}`, path: [param] };
}
