/**
 * Valid GraphQL queries generated from an introspected schema (fast-check): for one root query
 * field, its arguments (each left out, `null`, or a value of its type: enums, odd numbers, odd
 * strings, nested input objects such as filters with and/or/not, lists), given as literals or as
 * variables, and a selection of its type's fields down to MAX_DEPTH levels, with relations and
 * their own arguments, `_connection` page info, aliases and `__typename`. A few values are of the
 * wrong type on purpose (GraphQL answers those with a 400).
 */
import fc from 'fast-check';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';

export const MAX_DEPTH = 4;
const VARIABLE = '$__variable__';
const MAX_INPUT_DEPTH = 3;

/** A generated value: the JS value (for variables) and how its literal is printed. */
interface Value {
  json: unknown;
  literal: string;
}
interface GeneratedArgument {
  name: string;
  type: string;
  value: Value | null;
  asVariable: boolean;
}
export interface GeneratedQuery {
  field: string;
  query: string;
  variables: Record<string, unknown>;
}

const jsonValue = (json: unknown): Value => ({ json, literal: printJsonLiteral(json) });
function printJsonLiteral(json: unknown): string {
  if (json === null) return 'null';
  if (Array.isArray(json)) return `[${json.map(printJsonLiteral).join(', ')}]`;
  if (typeof json === 'object') return `{ ${Object.entries(json as object).map(([k, v]) => `${k}: ${printJsonLiteral(v)}`).join(', ')} }`;
  return JSON.stringify(json);
}

export interface ValueHints {
  /** strings worth trying in String and ID arguments (a real slug, a real documentId) */
  strings: string[];
}

export function queryGenerator(schema: GraphQLSchema, hints: ValueHints) {
  const ODD_STRINGS = ['', 'x', 'China', 'title', 'title:desc', 'dateline:asc', 'publishedAt:desc', 'name', '../x', 'title:up', '%', '_', '\\', 'é', '😀', 'a'.repeat(300), "'; drop table articles; --", 'null', '*', ...hints.strings];
  const scalars: Record<string, fc.Arbitrary<unknown>> = {
    Int: fc.constantFrom(0, 1, 2, -1, 5, 25, 100, 101, -2147483648, 2147483647),
    Float: fc.constantFrom(0, 1.5, -1, 1e10, -0.5),
    String: fc.constantFrom(...ODD_STRINGS),
    ID: fc.constantFrom('1', '0', 'abc', '', ...hints.strings),
    Boolean: fc.boolean(),
    DateTime: fc.constantFrom('2024-04-10T00:00:00.000Z', '2024-04-10T09:30:00Z', '1970-01-01T00:00:00.000Z', '2999-12-31T23:59:59.999Z'),
    Date: fc.constantFrom('2024-04-10', '1970-01-01', '2999-12-31'),
    Time: fc.constantFrom('00:00:00.000', '23:59:59'),
    Long: fc.constantFrom(0, 1, -1, 9007199254740991),
    JSON: fc.constantFrom({}, { a: 1 }, [], 'x', 1),
    I18NLocaleCode: fc.constantFrom('en', 'ru', 'zh-Hans', 'en', '*'),
  };
  /** Sorts: mostly field names that exist somewhere in the schema, with or without a direction. */
  const sortValue = fc
    .array(fc.constantFrom('title', 'title:desc', 'createdAt:asc', 'name', 'name:desc', 'documentId', 'updatedAt:desc', 'dateline:desc', 'publishedAt', '../x', 'title:up'), { maxLength: 2 })
    .map((items) => listValue(items.map(jsonValue)));
  /** A value of another type where this one belongs. */
  const wrongValue = fc.constantFrom<unknown>('x', 1, true, [1], { a: 1 });

  const inputCache = new Map<string, fc.Arbitrary<Value | null>>();

  /** A value of `type` (null only where the type allows it, and never at the top: the argument decides that). */
  function inputValue(type: GraphQLInputType, depth: number, nullable = !isNonNullType(type)): fc.Arbitrary<Value | null> {
    const key = `${String(type)}@${depth}@${nullable}`;
    const cached = inputCache.get(key);
    if (cached) return cached;
    let arb: fc.Arbitrary<Value | null>;
    if (isNonNullType(type)) {
      arb = inputValue(type.ofType, depth, false);
    } else if (isListType(type)) {
      const item = inputValue(type.ofType as GraphQLInputType, depth + 1);
      arb = fc.oneof(
        { weight: 4, arbitrary: fc.array(item, { maxLength: 3 }).map((items) => listValue(items)) },
        // GraphQL coerces a single value where a list belongs.
        { weight: 1, arbitrary: item.map((v) => v) },
      );
    } else if (isEnumType(type)) {
      arb = fc.constantFrom(...type.getValues().map((v) => v.name)).map((name) => ({ json: name, literal: name }));
    } else if (isScalarType(type)) {
      arb = (scalars[type.name] ?? fc.constantFrom<unknown>('x', 1)).map(jsonValue);
    } else if (isInputObjectType(type)) {
      const fields = Object.values(type.getFields());
      const usable = depth >= MAX_INPUT_DEPTH ? fields.filter((f) => isLeafType(getNamedType(f.type))) : fields;
      const required = usable.filter((f) => isNonNullType(f.type));
      const optional = usable.filter((f) => !isNonNullType(f.type));
      arb = fc
        .tuple(fc.subarray(optional, { maxLength: Math.min(3, optional.length) }), fc.boolean())
        .chain(([chosen]) =>
          fc.tuple(...[...required, ...chosen].map((f) => inputValue(f.type, depth + 1).map((v) => [f.name, v] as const))),
        )
        .map((pairs) => objectValue(pairs as ReadonlyArray<readonly [string, Value | null]>));
    } else {
      arb = fc.constant(jsonValue('x'));
    }
    if (nullable && depth > 0) arb = fc.oneof({ weight: 6, arbitrary: arb }, { weight: 1, arbitrary: fc.constant(null) });
    // Now and then a value of the wrong type (a 400 from GraphQL's validation or variable coercion).
    if (depth > 0) arb = fc.oneof({ weight: 30, arbitrary: arb }, { weight: 1, arbitrary: wrongValue.map(jsonValue) });
    inputCache.set(key, arb);
    return arb;
  }

  function listValue(items: Array<Value | null>): Value {
    return { json: items.map((v) => (v ? v.json : null)), literal: `[${items.map((v) => (v ? v.literal : 'null')).join(', ')}]` };
  }
  function objectValue(pairs: ReadonlyArray<readonly [string, Value | null]>): Value {
    const json: Record<string, unknown> = {};
    for (const [k, v] of pairs) json[k] = v ? v.json : null;
    return { json, literal: `{ ${pairs.map(([k, v]) => `${k}: ${v ? v.literal : 'null'}`).join(', ')} }` };
  }

  /** Each argument: left out, null (only an optional one), or a value; as a literal or a variable. */
  function argumentsOf(args: ReadonlyArray<GraphQLArgument>): fc.Arbitrary<GeneratedArgument[]> {
    if (!args.length) return fc.constant([]);
    return fc
      .tuple(
        ...args.map((arg) => {
          const required = isNonNullType(arg.type);
          // Strapi's sort arguments ([String], `field:dir`); a sort of another shape (search's String) gets values of its type.
          const strapiSort = arg.name === 'sort' && isListType(isNonNullType(arg.type) ? arg.type.ofType : arg.type);
          const generated = strapiSort ? sortValue : inputValue(arg.type, 1, false);
          const value = generated.map((v) => ({ given: true as const, value: v }));
          const choice = required
            ? value
            : fc.oneof(
                { weight: 3, arbitrary: fc.constant({ given: false as const, value: null }) },
                { weight: 2, arbitrary: fc.constant({ given: true as const, value: null }) },
                { weight: 4, arbitrary: value },
              );
          return fc.tuple(choice, fc.boolean()).map(([c, asVariable]) => (c.given ? { name: arg.name, type: String(arg.type), value: c.value, asVariable } : null));
        }),
      )
      .map((all) => all.filter((a): a is GeneratedArgument => a !== null));
  }

  const selectionCache = new Map<string, fc.Arbitrary<Selection>>();
  interface Selection {
    text: string;
    args: GeneratedArgument[];
  }

  /** A selection set for an output type, `depth` levels below the root. */
  function selectionOf(type: GraphQLOutputType, depth: number): fc.Arbitrary<Selection> {
    const named = getNamedType(type);
    if (isLeafType(named)) return fc.constant({ text: '', args: [] });
    const key = `${named.name}@${depth}`;
    const cached = selectionCache.get(key);
    if (cached) return cached;
    let arb: fc.Arbitrary<Selection>;
    if (isUnionType(named)) {
      const members = [...named.getTypes()];
      arb = fc
        .subarray(members, { minLength: 1, maxLength: 2 })
        .chain((chosen) => fc.tuple(...chosen.map((m) => selectionOf(m, depth).map((s) => ({ text: `... on ${m.name} ${s.text}`, args: s.args })))))
        .map((parts) => ({ text: `{ __typename ${parts.map((p) => p.text).join(' ')} }`, args: parts.flatMap((p) => p.args) }));
    } else {
      const fields = Object.values((named as GraphQLObjectType).getFields()).filter(
        (f) => (isLeafType(getNamedType(f.type)) || depth < MAX_DEPTH) && f.args.every((a) => !isNonNullType(a.type) || depth < MAX_DEPTH),
      );
      arb = !fields.length ? fc.constant({ text: '{ __typename }', args: [] }) : fc
        .tuple(fc.subarray(fields, { minLength: 1, maxLength: Math.min(4, fields.length) }), fc.boolean())
        .chain(([chosen, typename]) =>
          fc.tuple(...chosen.map((f) => fieldSelection(f, depth + 1))).map((parts) => ({
            text: `{ ${typename ? '__typename ' : ''}${parts.map((p) => p.text).join(' ')} }`,
            args: parts.flatMap((p) => p.args),
          })),
        );
    }
    selectionCache.set(key, arb);
    return arb;
  }

  let aliasCounter = 0;
  function fieldSelection(field: GraphQLField<unknown, unknown>, depth: number): fc.Arbitrary<Selection> {
    return fc.tuple(argumentsOf(field.args), selectionOf(field.type, depth), fc.integer({ min: 0, max: 9 })).map(([args, sub, aliasDie]) => {
      const alias = aliasDie === 0 ? `a${(aliasCounter = (aliasCounter + 1) % 1000)}: ` : '';
      return { text: `${alias}${field.name}${printArgs(args)}${sub.text ? ` ${sub.text}` : ''}`, args: [...args, ...sub.args] };
    });
  }

  /** Arguments as printed; a variable is a placeholder, numbered once the whole query is known. */
  function printArgs(args: GeneratedArgument[]): string {
    if (!args.length) return '';
    return `(${args.map((a) => `${a.name}: ${a.asVariable ? VARIABLE : a.value ? a.value.literal : 'null'}`).join(', ')})`;
  }

  /** Queries on one root field. */
  return function queriesOf(rootField: string): fc.Arbitrary<GeneratedQuery> {
    const field = schema.getQueryType()!.getFields()[rootField];
    return fieldSelection(field, 0).map((selection) => {
      // Placeholders appear in the text in the order of `selection.args` (a field's own arguments
      // before its selection's), so the n-th is the n-th argument given as a variable.
      const declared = selection.args.filter((a) => a.asVariable);
      let n = 0;
      const text = selection.text.replace(new RegExp(VARIABLE.replace(/\$/g, '\\$'), 'g'), () => `$v${n++}`);
      const variables: Record<string, unknown> = {};
      declared.forEach((a, i) => (variables[`v${i}`] = a.value ? a.value.json : null));
      const header = declared.length ? `query Q(${declared.map((a, i) => `$v${i}: ${a.type}`).join(', ')}) ` : '';
      return { field: rootField, query: `${header}{ ${text} }`, variables };
    });
  };
}
