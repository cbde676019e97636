/**
 * Field arguments as this product reads them, on every field of the GraphQL schema that takes
 * any (root queries, `_connection` fields, relations inside a query, `articleBySlug`):
 *   - `null` for an argument means "not given": the argument's default when it has one, else
 *     nothing. GraphQL lets a client send `null` for any optional argument, and Apollo Client and
 *     urql send it for every variable the caller left unset; the plugin's resolvers answered
 *     `pagination: null` with an internal error.
 *   - `pagination` follows the REST read guard's rules (src/content-api/read-query.ts): page and
 *     pageSize at least 1, start at least 0, at most 100 per page, page/pageSize or start/limit.
 *   - `filters` is bounded as REST's query parser bounds it: at most MAX_FILTER_DEPTH levels and
 *     MAX_FILTER_NODES conditions (a variable can otherwise carry a megabyte of nested filters).
 * What breaks a rule is a `BAD_USER_INPUT` error whose message names the argument, and the field
 * resolves nothing.
 */
import { errors } from '@strapi/utils';
import { paginationProblem } from '../content-api/read-query';

export const MAX_FILTER_DEPTH = 20;
export const MAX_FILTER_NODES = 1_000;

interface ArgumentDefinition {
  name: string;
  defaultValue?: unknown;
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

/** Throws the ValidationError (BAD_USER_INPUT) for a filter tree over the bounds, else nothing. */
function assertFilterSize(filters: unknown): void {
  let nodes = 0;
  const walk = (value: unknown, depth: number): void => {
    if (!value || typeof value !== 'object') return;
    if (depth > MAX_FILTER_DEPTH) throw new errors.ValidationError(`filters may nest at most ${MAX_FILTER_DEPTH} levels`, { argument: 'filters' });
    for (const inner of Array.isArray(value) ? value : Object.values(value)) {
      nodes += 1;
      if (nodes > MAX_FILTER_NODES) throw new errors.ValidationError(`filters may hold at most ${MAX_FILTER_NODES} conditions`, { argument: 'filters' });
      walk(inner, depth + 1);
    }
  };
  walk(filters, 1);
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
export function givenArguments(definitions: ReadonlyArray<ArgumentDefinition>, args: Args): Args {
  let given = args;
  for (const definition of definitions) {
    if (args[definition.name] !== null) continue;
    if (given === args) given = { ...args };
    if (definition.defaultValue === undefined || definition.defaultValue === null) delete given[definition.name];
    else given[definition.name] = definition.defaultValue;
  }
  if (given.pagination !== undefined) assertPagination(given.pagination);
  if (given.filters !== undefined) assertFilterSize(given.filters);
  return given;
}

/** Wraps the resolver of every field that takes arguments in `givenArguments`; outermost, so every later step sees them. */
export function readArgumentsAsGiven(types: Record<string, TypeLike>): void {
  for (const [typeName, type] of Object.entries(types)) {
    if (typeName.startsWith('__') || typeof type.getFields !== 'function') continue;
    for (const field of Object.values(type.getFields())) {
      const definitions = field.args;
      const resolve = field.resolve as Resolve | undefined;
      if (!definitions?.length || typeof resolve !== 'function') continue;
      field.resolve = ((source, args, context, info) => resolve(source, givenArguments(definitions, args), context, info)) satisfies Resolve;
    }
  }
}
