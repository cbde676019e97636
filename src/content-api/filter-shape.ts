/**
 * The shape of a `filters` tree, checked against the models it walks through, where Strapi 5.54's
 * query builder (@strapi/database `query/helpers/where.js`) would throw a plain Error (a 500) or
 * build SQL from a value that is no value. The same rules at every depth: at the root, under a
 * relation, under `$not`, inside `$and`/`$or` lists, and in a populate's own `filters`.
 *
 *   conditions   an object of field names and `$and`/`$or`/`$not`
 *     $and, $or  a list of condition objects
 *     $not       a condition object
 *   a relation   an id (or a list of ids), an object of the target's conditions, or exactly one
 *                operator: `$and`/`$or` over the target's conditions, or `$eq`, `$in`, `$not`, …
 *                holding ids
 *   a field      a value, a list of values, or an object of attribute operators (`$eq`, `$in`,
 *                `$not`, …) each holding a value or a list of values (`$not` may hold operators;
 *                `$between` holds exactly two values)
 *
 * Unknown field names are left to Strapi's own validation (`rest.strictParams`), which names them.
 * The first problem found is returned with the parameter path (`filters[$not][localizations][$and]`).
 */

/** Strapi's operators (@strapi/utils `operators`): where a field's value belongs, and the groups. */
const ATTRIBUTE_OPERATORS = new Set([
  '$not', '$in', '$notIn', '$eq', '$eqi', '$ne', '$nei', '$gt', '$gte', '$lt', '$lte', '$null', '$notNull', '$between',
  '$startsWith', '$startsWithi', '$endsWith', '$endsWithi', '$contains', '$notContains', '$containsi', '$notContainsi',
]);
const GROUPS = new Set(['$and', '$or']);

export interface ModelAttribute {
  type: string;
  target?: string;
}
/** The database's view of a model (`strapi.db.metadata.get(uid)`): components are relations there, as the query builder sees them. */
export type ModelOf = (uid: string) => { attributes: Record<string, ModelAttribute> } | undefined;

export interface FilterProblem {
  message: string;
  path: string[];
}

type Path = ReadonlyArray<string>;
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isValue = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
/** Two values, neither null: what a `between` takes (knex fails on any other count). REST's `$between` and GraphQL's `between`. */
export const isPair = (value: unknown): boolean => Array.isArray(value) && value.length === 2 && value.every((v) => v !== null && isValue(v));
const name = (path: Path) => path[0] + path.slice(1).map((p) => `[${p}]`).join('');
const problem = (path: Path, message: string): FilterProblem => ({ message: `${name(path)} ${message}`, path: [...path] });

const valuesOnly = (value: unknown, path: Path, what: string): FilterProblem | null => {
  if (isValue(value)) return null;
  if (Array.isArray(value)) {
    const index = value.findIndex((v) => !isValue(v));
    return index < 0 ? null : problem([...path, String(index)], `must be ${what}, not conditions`);
  }
  return problem(path, `must hold ${what}, not conditions`);
};

function fieldCondition(value: unknown, path: Path): FilterProblem | null {
  if (isValue(value)) return null;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = fieldCondition(v, [...path, String(i)]);
      if (found) return found;
    }
    return null;
  }
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    const at = [...path, key];
    if (!ATTRIBUTE_OPERATORS.has(key)) {
      return problem(at, key.startsWith('$') ? 'is not an operator a field takes' : 'is a field name where a field takes operators ($eq, $in, …)');
    }
    if (key === '$between' && !isPair(inner)) {
      return problem(at, 'takes two values (the lower and the upper bound)');
    }
    const found = key === '$not' ? fieldCondition(inner, at) : valuesOnly(inner, at, 'a value or a list of values');
    if (found) return found;
  }
  return null;
}

function relationCondition(value: unknown, target: string, path: Path, modelOf: ModelOf): FilterProblem | null {
  if (!isPlainObject(value)) return valuesOnly(value, path, 'an id, a list of ids');
  const keys = Object.keys(value);
  const operators = keys.filter((k) => k.startsWith('$'));
  if (operators.length === 0) return conditions(value, target, path, modelOf);
  if (operators.length !== keys.length) return problem(path, 'mixes operators and field names (a relation takes one or the other)');
  if (operators.length > 1) return problem(path, `holds ${operators.join(', ')}: a relation takes one operator`);
  const [operator] = operators;
  if (GROUPS.has(operator)) return conditions(value, target, path, modelOf);
  if (!ATTRIBUTE_OPERATORS.has(operator)) return problem([...path, operator], 'is not an operator');
  // On a relation (a component is one to the database) an operator compares ids: `$between` takes two.
  if (operator === '$between' && !isPair(value[operator])) return problem([...path, operator], 'takes two values (the lower and the upper bound)');
  const found = valuesOnly(value[operator], [...path, operator], 'ids');
  if (found && operator === '$not') return { ...found, message: `${found.message} (to negate a relation's conditions, put $not above the relation)` };
  return found;
}

function conditions(where: unknown, uid: string, path: Path, modelOf: ModelOf): FilterProblem | null {
  if (!isPlainObject(where)) return problem(path, 'must be an object of conditions');
  const attributes = modelOf(uid)?.attributes ?? {};
  for (const [key, value] of Object.entries(where)) {
    const at = [...path, key];
    if (GROUPS.has(key)) {
      if (!Array.isArray(value)) return problem(at, 'must be a list of conditions');
      for (const [i, part] of value.entries()) {
        const found = isPlainObject(part) ? conditions(part, uid, [...at, String(i)], modelOf) : problem([...at, String(i)], 'must be an object of conditions');
        if (found) return found;
      }
      continue;
    }
    if (key === '$not') {
      const found = isPlainObject(value) ? conditions(value, uid, at, modelOf) : problem(at, 'must hold conditions, not a single value');
      if (found) return found;
      continue;
    }
    if (key.startsWith('$')) return problem(at, "must be inside a field's condition (only $and, $or and $not combine conditions)");
    const attribute = Object.prototype.hasOwnProperty.call(attributes, key) ? attributes[key] : undefined;
    let found: FilterProblem | null;
    if (attribute?.type === 'relation' && attribute.target) found = relationCondition(value, attribute.target, at, modelOf);
    else if (attribute && ['relation', 'component', 'dynamiczone', 'media'].includes(attribute.type)) found = problem(at, 'cannot be filtered on');
    else found = fieldCondition(value, at);
    if (found) return found;
  }
  return null;
}

/** The first problem of `filters` on model `uid`, or null. */
export function filterProblem(filters: unknown, uid: string, modelOf: ModelOf, path: Path = ['filters']): FilterProblem | null {
  return conditions(filters, uid, path, modelOf);
}

/**
 * The first problem of the `filters` inside a `populate` (`populate[entities][filters][…]`, at any
 * depth), or of its `sort` when `sortProblem` says so (the same rules as the top-level sort), or null.
 */
export function populateFilterProblem(
  populate: unknown,
  uid: string,
  modelOf: ModelOf,
  sortProblem: (sort: unknown) => string | null = () => null,
  path: Path = ['populate'],
): FilterProblem | null {
  if (!isPlainObject(populate)) return null;
  const attributes = modelOf(uid)?.attributes ?? {};
  for (const [key, inner] of Object.entries(populate)) {
    const attribute = Object.prototype.hasOwnProperty.call(attributes, key) ? attributes[key] : undefined;
    if (!attribute?.target || !isPlainObject(inner)) continue;
    if (inner.filters !== undefined) {
      const found = filterProblem(inner.filters, attribute.target, modelOf, [...path, key, 'filters']);
      if (found) return found;
    }
    if (inner.sort !== undefined) {
      const message = sortProblem(inner.sort);
      if (message) return { message: `${name([...path, key, 'sort'])}: ${message}`, path: [...path, key, 'sort'] };
    }
    const found = populateFilterProblem(inner.populate, attribute.target, modelOf, sortProblem, [...path, key, 'populate']);
    if (found) return found;
  }
  return null;
}
