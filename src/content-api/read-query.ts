/**
 * The parts of a content-API read query that Strapi accepts silently when they are wrong
 * (`status=bogus` reads drafts, `pagination[pageSize]=abc` is ignored, `pageSize=1000` is cut to
 * the maximum, `locale=xx` answers an empty list). This product answers a 400 naming the
 * parameter instead. The shape of `filters` (and of a populate's filters) is checked against the
 * models in filter-shape.ts; field names, unknown keys, populate and fields are checked by Strapi
 * itself with `rest.strictParams`.
 */
import { errors } from '@strapi/utils';
import { z } from 'zod';
import { PAGE_SIZE } from '../../config/api';
import { filterProblem, populateFilterProblem, type ModelOf } from './filter-shape';

export const PUBLICATION_STATUSES = ['published', 'draft'] as const;

export const wholeNumber = (name: string, min: number, max?: number) => {
  let schema = z.coerce
    .number({ error: `${name} must be a whole number` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be at least ${min}`);
  if (max !== undefined) schema = schema.max(max, `${name} must be at most ${max}`);
  return schema;
};

const paginationSchema = z
  .strictObject(
    {
      page: wholeNumber('pagination.page', 1).optional(),
      pageSize: wholeNumber('pagination.pageSize', 1, PAGE_SIZE.max).optional(),
      start: wholeNumber('pagination.start', 0).optional(),
      limit: wholeNumber('pagination.limit', 1, PAGE_SIZE.max).optional(),
      withCount: z.enum(['true', 'false'], { error: 'pagination.withCount must be true or false' }).optional(),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? `pagination has unknown keys: ${issue.keys.join(', ')}` : 'pagination must be an object') },
  )
  .refine((p) => !((p.page ?? p.pageSize) !== undefined && (p.start ?? p.limit) !== undefined), {
    message: 'pagination takes page/pageSize or start/limit, not both',
  });

/** What is wrong with a pagination (REST's rules; GraphQL's `pagination` argument follows them): null when nothing is. */
export function paginationProblem(value: Record<string, unknown>): { message: string; path: string[] } | null {
  const result = paginationSchema.safeParse(value);
  if (result.success) return null;
  const issue = result.error.issues[0];
  return { message: issue.message, path: ['pagination', ...issue.path.map(String)] };
}

// `field`, `relation.field`, each with an optional `:asc`/`:desc`; comma-separated, a list, or
// `{ field: 'asc' }`. Strapi fails with a 500 on some other shapes (`sort=../x`).
const SORT_FIELD = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*(:(asc|desc))?$/i;
const sortMessage = 'sort must be field names with an optional :asc or :desc (e.g. dateline:desc)';
const sortString = z.string().refine((v) => v.split(',').every((part) => SORT_FIELD.test(part.trim())), sortMessage);
/** What is wrong with a sort (REST's rules; GraphQL's `sort` argument follows them): null when nothing is. */
export function sortProblem(value: unknown): string | null {
  return sortSchema.safeParse(value).success ? null : sortMessage;
}

/** The field paths a sort names (it is valid: sortProblem passed). */
function sortPaths(value: unknown): string[] {
  const strings = typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  const fromStrings = strings.flatMap((v) => v.split(',').map((part) => part.trim().split(':')[0]));
  const fromObject = value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
  return [...fromStrings, ...fromObject];
}

/**
 * What is wrong with the sort of a populated relation (REST's `populate[x][sort]`, GraphQL's `sort`
 * on a relation field) beyond sortProblem: through another relation (`authors.kind`) Strapi 5.54
 * builds SQL that names a column of the outer query (`t3.t0.document_id`) and fails with a 500.
 * Sorting a list by the relation's own fields works, as does a dotted sort of a root list.
 */
export function relationSortProblem(value: unknown): string | null {
  const through = sortPaths(value).find((path) => path.includes('.'));
  return through ? `a populated relation is sorted by its own fields only (${through} goes through another relation)` : null;
}

const sortSchema = z.union([sortString, z.array(sortString), z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_.]*$/), z.enum(['asc', 'desc', 'ASC', 'DESC']))], { error: sortMessage });

const PROTOTYPE_WORDS = new Set(['__proto__', 'constructor', 'prototype']);

/** A prototype word used as a key anywhere in the query, or as a field name in fields/populate/sort. */
export function prototypeWord(query: Record<string, unknown>): string | null {
  const walk = (value: unknown, namesField: boolean): string | null => {
    if (typeof value === 'string') {
      return namesField ? (value.split(/[,.:]/).find((part) => PROTOTYPE_WORDS.has(part.trim())) ?? null) : null;
    }
    if (!value || typeof value !== 'object') return null;
    for (const [key, inner] of Object.entries(value)) {
      if (PROTOTYPE_WORDS.has(key)) return key;
      const found = walk(inner, namesField);
      if (found) return found;
    }
    return null;
  };
  for (const [key, value] of Object.entries(query)) {
    if (PROTOTYPE_WORDS.has(key)) return key;
    const found = walk(value, key === 'fields' || key === 'populate' || key === 'sort');
    if (found) return found;
  }
  return null;
}

/** One locale code in a query. */
export const localeSchema = z.string({ error: 'locale must be a single locale code' }).min(1, 'locale must not be empty');

export const readQuerySchema = z.object({
  status: z.enum(PUBLICATION_STATUSES, { error: `status must be one of ${PUBLICATION_STATUSES.join(', ')}` }).optional(),
  // Strapi expects these shapes and fails with a 500 on others (`_q[0]=x`, `filters[]=*`).
  _q: z.string({ error: '_q must be a single search string' }).max(200, '_q must be at most 200 characters').optional(),
  // Its shape inside is checked against the models it names (filter-shape.ts, assertFilterShape).
  filters: z.record(z.string(), z.unknown(), { error: 'filters must be an object of field conditions' }).optional(),
  sort: sortSchema.optional(),
  // Strapi names the field in its own 400 for unknown fields, but fails with a 500 on `fields=`.
  fields: z.union([z.string().min(1, 'fields must name at least one field'), z.array(z.unknown())], { error: 'fields must be a field name or a list of them' }).optional(),
  locale: localeSchema.optional(),
  pagination: paginationSchema.optional(),
});

export type ReadQuery = z.infer<typeof readQuerySchema>;

/** Validates a REST read query; throws Strapi's ValidationError (400) naming the parameter. */
export function parseReadQuery(query: Record<string, unknown>): ReadQuery {
  const word = prototypeWord(query);
  if (word) throw new errors.ValidationError(`${word} is not accepted in a query (prototype key)`, { source: 'query', param: word });
  const result = readQuerySchema.safeParse(query);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = String(issue.path[0] ?? 'query');
  throw new errors.ValidationError(issue.message, { source: 'query', param, path: issue.path.map(String) });
}

/**
 * Throws a 400 naming the parameter path for `filters` (or a populate's filters or sort) that
 * Strapi's query builder would fail on, on model `uid`.
 */
export function assertFilterShape(query: ReadQuery & { populate?: unknown }, uid: string, modelOf: ModelOf): void {
  const populatedSort = (sort: unknown) => sortProblem(sort) ?? relationSortProblem(sort);
  const found = filterProblem(query.filters ?? {}, uid, modelOf) ?? populateFilterProblem(query.populate, uid, modelOf, populatedSort);
  if (found) throw new errors.ValidationError(found.message, { source: 'query', param: found.path[0], path: found.path });
}

interface AuthState {
  auth?: { strategy?: { name?: string } };
}

/** Name of the auth strategy of admin-issued API tokens on the content API (Strapi 5.54). */
export const API_TOKEN_STRATEGY = 'content-api-token';

/**
 * Strapi 5 returns drafts to anyone holding `find`/`findOne` who asks for `status=draft`
 * (GraphQL `status: DRAFT`). Here only API tokens, issued by admins for previews and builds,
 * may read drafts; the Public role and end-user JWTs never can.
 */
export function canReadDrafts(state: AuthState | undefined): boolean {
  return state?.auth?.strategy?.name === API_TOKEN_STRATEGY;
}

export function assertDraftsReadable(status: string | undefined, state: AuthState | undefined): void {
  if (status === 'draft' && !canReadDrafts(state)) {
    // PolicyError is the 403 whose message Strapi passes through to the client.
    throw new errors.PolicyError('Reading drafts requires an API token', { param: 'status' });
  }
}
