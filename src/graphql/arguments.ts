/**
 * Field arguments as this product reads them, on every field of the GraphQL schema that takes
 * any (root queries, `_connection` fields, relations inside a query, `articleBySlug`):
 *   - `null` for an argument means "not given": the argument's default when it has one, else
 *     nothing. GraphQL lets a client send `null` for any optional argument, and Apollo Client and
 *     urql send it for every variable the caller left unset; the plugin's resolvers answered
 *     `pagination: null` with an internal error.
 *   - `pagination` follows the REST read guard's rules (src/content-api/read-query.ts): page and
 *     pageSize at least 1, start at least 0, at most 100 per page, page/pageSize or start/limit.
 *   - `locale` is a string (the I18NLocaleCode scalar lets a variable hold an object).
 *   - `sort` is field names with an optional `:asc`/`:desc`, as in REST (Strapi failed on `../x`).
 *   - `filters` is bounded as REST's query parser bounds it: at most MAX_FILTER_DEPTH levels
 *     (counted as qs counts brackets: a list and its element are two) and
 *     MAX_FILTER_NODES conditions (a variable can otherwise carry a megabyte of nested filters);
 *     a `between` takes exactly two values.
 * What breaks a rule is a `BAD_USER_INPUT` error whose message names the argument, and the field
 * resolves nothing. So is a value the query builder or the database refuses once the resolver
 * runs (an operator Strapi's builder does not take inside a field's condition, such as the
 * schema's own `title: { and: [...] }`; text or numbers a column cannot hold, on PostgreSQL):
 * the same errors the HTTP boundary answers as 400s (src/errors/boundary.ts `asInputError`),
 * which the GraphQL plugin would otherwise report as internal errors.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { isPair } from '../content-api/filter-shape';
import { PAGE_SIZE } from '../../config/api';
import { publicFilterProblem, publicPaginationProblem, publicSortProblem, withDollarOperators, type IndexedModelOf } from '../content-api/public-filters';
import { asScan } from '../database-guard/scan-queue';
import { canReadDrafts, paginationProblem, relationSortProblem, sortProblem } from '../content-api/read-query';
import { asInputError } from '../errors/boundary';
import { DEADLINE_PASSED } from '../middlewares/request-deadline';

/** The root operation types; the fields of every other object type are a type's own fields and relations. */
export const ROOT_TYPES: ReadonlySet<string> = new Set(['Query', 'Mutation', 'Subscription']);

export const MAX_FILTER_DEPTH = 20;
export const MAX_FILTER_NODES = 1_000;

interface ArgumentDefinition {
  name: string;
  defaultValue?: unknown;
  /** graphql-js's GraphQLInputType; its toString() is the SDL spelling (`[String]`, `String!`). */
  type?: { toString(): string };
}
type Args = Record<string, unknown>;
type Resolve = (source: unknown, args: Args, context: unknown, info: unknown) => unknown;
interface FieldLike {
  args?: ReadonlyArray<ArgumentDefinition>;
  resolve?: unknown;
}
interface TypeLike {
  getFields?: () => Record<string, FieldLike>;
}

/**
 * Throws the ValidationError (BAD_USER_INPUT) for a filter tree over the bounds, or with a
 * `between` that is not two values (knex fails on any other count), else nothing.
 */
function assertFilterBounds(filters: unknown): void {
  let nodes = 0;
  const walk = (value: unknown, depth: number, path: string): void => {
    if (!value || typeof value !== 'object') return;
    if (depth > MAX_FILTER_DEPTH) throw new errors.ValidationError(`filters may nest at most ${MAX_FILTER_DEPTH} levels`, { argument: 'filters' });
    for (const [key, inner] of Object.entries(value)) {
      nodes += 1;
      if (nodes > MAX_FILTER_NODES) throw new errors.ValidationError(`filters may hold at most ${MAX_FILTER_NODES} conditions`, { argument: 'filters' });
      const at = `${path}.${key}`;
      if (key === 'between' && !Array.isArray(value) && !isPair(inner)) {
        throw new errors.ValidationError(`${at} takes two values (the lower and the upper bound)`, { argument: 'filters', path: at.split('.') });
      }
      walk(inner, depth + 1, at);
    }
  };
  walk(filters, 1, 'filters');
}

function assertPagination(value: unknown): void {
  if (!value || typeof value !== 'object') return;
  // GraphQL passes `pagination: {}` to every list field that was not given one.
  for (const _ in value) {
    const problem = paginationProblem(value as Args);
    if (problem) throw new errors.ValidationError(problem.message, { argument: 'pagination', path: problem.path });
    return;
  }
}

/** The arguments a resolver is given: nulls replaced by defaults or left out, then checked. */
export function givenArguments(definitions: ReadonlyArray<ArgumentDefinition>, args: Args, relation = false): Args {
  let given = args;
  for (const definition of definitions) {
    if (args[definition.name] !== null) continue;
    if (given === args) given = { ...args };
    if (definition.defaultValue === undefined || definition.defaultValue === null) delete given[definition.name];
    else given[definition.name] = definition.defaultValue;
  }
  // The i18n plugin's I18NLocaleCode scalar takes any JSON value through a variable.
  if (given.locale !== undefined && typeof given.locale !== 'string') throw new errors.ValidationError('locale must be a single locale code', { argument: 'locale' });
  if (given.pagination !== undefined) assertPagination(given.pagination);
  if (given.filters !== undefined) assertFilterBounds(given.filters);
  // Strapi's sort (`[String]`, field names); a sort of another shape (search's relevance|newest) is its resolver's to check.
  const strapiSort = definitions.some((d) => d.name === 'sort' && String(d.type ?? '').startsWith('['));
  if (strapiSort && given.sort !== undefined && !(Array.isArray(given.sort) && given.sort.length === 0)) {
    // A field of an object type (not Query or Mutation) is a relation: sorted by its own fields only.
    const problem = sortProblem(given.sort) ?? (relation ? relationSortProblem(given.sort) : null);
    if (problem) throw new errors.ValidationError(problem, { argument: 'sort' });
  }
  return given;
}

/**
 * The lists an anonymous reader's filters and sort are held to (src/content-api/public-filters.ts):
 * each root list field (`articles`, `articles_connection`, …) and the content type it reads.
 */
export interface PublicListGuard {
  rootModels: ReadonlyMap<string, string>;
  modelOf: IndexedModelOf;
  /** Runs a token's scan on a turn of the scan queue (src/database-guard/scan-queue.ts). */
  asScan: <T>(work: () => Promise<T> | T) => Promise<T>;
}

/** Each content type's root list fields (the plugin's own names) and the content type they read. */
export function publicListGuard(strapi: Core.Strapi): PublicListGuard {
  const naming = strapi.plugin('graphql').service('utils').naming as { getFindQueryName(ct: unknown): string; getFindConnectionQueryName(ct: unknown): string };
  const rootModels = new Map<string, string>();
  for (const [uid, contentType] of Object.entries(strapi.contentTypes)) {
    if ((contentType as { kind?: string }).kind !== 'collectionType' || !strapi.db.metadata.has(uid)) continue;
    rootModels.set(naming.getFindQueryName(contentType), uid);
    rootModels.set(naming.getFindConnectionQueryName(contentType), uid);
  }
  const modelOf: IndexedModelOf = (uid) => (strapi.db.metadata.has(uid) ? (strapi.db.metadata.get(uid) as unknown as ReturnType<IndexedModelOf>) : undefined);
  return { rootModels, modelOf, asScan: (work) => asScan(strapi, work) };
}

/** What of the arguments to root list `uid` the public may not run (public-filters.ts), or null. */
function scanOf(args: Args, uid: string, guard: PublicListGuard) {
  return (
    (args.filters !== undefined ? publicFilterProblem(withDollarOperators(args.filters), uid, guard.modelOf) : null) ??
    (args.sort !== undefined ? publicSortProblem(args.sort, uid, guard.modelOf) : null) ??
    (args.pagination !== undefined ? publicPaginationProblem(args.pagination, PAGE_SIZE.default) : null)
  );
}

/**
 * Wraps every field resolver: arguments through `givenArguments` (outermost, so every later step
 * sees them), the query builder's and the database's input errors as BAD_USER_INPUT, and no
 * field resolved once the request's deadline has passed. Also fields
 * without arguments that query (a collection's `pageInfo` counts). Fields without a resolver (a
 * plain property) stay as they are.
 */
export function readArgumentsAsGiven(types: Record<string, TypeLike>, guard?: PublicListGuard): void {
  for (const [typeName, type] of Object.entries(types)) {
    if (typeName.startsWith('__') || typeof type.getFields !== 'function') continue;
    const relation = !ROOT_TYPES.has(typeName);
    for (const [fieldName, field] of Object.entries(type.getFields())) {
      const definitions = field.args ?? [];
      const listOf = !relation ? guard?.rootModels.get(fieldName) : undefined;
      const resolve = field.resolve as Resolve | undefined;
      if (typeof resolve !== 'function') continue;
      field.resolve = ((source, args, context, info) => {
        // The request's deadline has passed (src/middlewares/request-deadline.ts): nobody waits for this field.
        if ((context as { state?: Record<symbol, unknown> } | undefined)?.state?.[DEADLINE_PASSED]) throw new Error('The request deadline passed');
        let result: unknown;
        try {
          const given = definitions.length ? givenArguments(definitions, args, relation) : args;
          // Root lists: an anonymous reader's scan is refused, a token's runs on a turn of the scan queue.
          const scan = listOf && guard ? scanOf(given, listOf, guard) : null;
          if (scan && !canReadDrafts((context as { state?: Parameters<typeof canReadDrafts>[0] } | undefined)?.state)) {
            throw new errors.ValidationError(scan.message.replace(/\[\$/g, '['), { argument: scan.path[0], path: scan.path });
          }
          result = scan ? guard!.asScan(() => resolve(source, given, context, info)) : resolve(source, given, context, info);
        } catch (error) {
          throw asInputError(error) ?? error;
        }
        // Only a promise is chained: a plain value stays plain (graphql-js resolves those faster).
        if (result instanceof Promise) return result.catch((error: unknown) => Promise.reject(asInputError(error) ?? error));
        return result;
      }) satisfies Resolve;
    }
  }
}
