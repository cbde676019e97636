/**
 * GraphQL arguments as the README promises them: `null` for any optional argument means "not
 * given", on every query field the schema has (collections, `_connection`, single types,
 * `articleBySlug`, relations inside a query), as a literal and through a variable; pagination
 * follows REST's rules with a BAD_USER_INPUT error naming the argument; documents GraphQL's own
 * rules refuse are 400s with a validation code before anything walks them.
 */
import { buildClientSchema, getIntrospectionQuery, getNamedType, isNonNullType, isObjectType, type GraphQLSchema, type IntrospectionQuery } from 'graphql';
import request from 'supertest';
import { story } from '../../helpers/story';
import { useStrapi } from '../../helpers/strapi';

const app = useStrapi({ env: { CORS_ORIGINS: '' } });
let schema: GraphQLSchema;

const post = (query: string, variables?: Record<string, unknown>) => request(app.server).post('/graphql').send({ query, variables });

beforeAll(async () => {
  const introspection = await post(getIntrospectionQuery()).expect(200);
  schema = buildClientSchema(introspection.body.data as IntrospectionQuery);
});

/** A selection for a field's type that every type has: `__typename`, or the scalar fields of a collection's nodes. */
function selectionFor(fieldName: string): string {
  const type = getNamedType(schema.getQueryType()!.getFields()[fieldName].type);
  if (!isObjectType(type)) return '';
  return type.name.endsWith('EntityResponseCollection') ? '{ __typename pageInfo { total pageSize } }' : '{ __typename }';
}

describe('null for an optional argument is the argument not given', () => {
  it('on every root query field and every optional argument, as a literal and as a variable', async () => {
    const checked: string[] = [];
    for (const [name, field] of Object.entries(schema.getQueryType()!.getFields())) {
      const required = field.args.filter((a) => isNonNullType(a.type));
      const requiredArgs = required.map((a) => `${a.name}: ${a.name === 'slug' ? JSON.stringify(story.slug) : '"x"'}`);
      const call = (extra: string[]) => `${name}${[...requiredArgs, ...extra].length ? `(${[...requiredArgs, ...extra].join(', ')})` : ''} ${selectionFor(name)}`;
      const without = await post(`{ ${call([])} }`);
      for (const arg of field.args.filter((a) => !isNonNullType(a.type))) {
        const literal = await post(`{ ${call([`${arg.name}: null`])} }`);
        const variable = await post(`query Q($v: ${String(arg.type)}) { ${call([`${arg.name}: $v`])} }`, { v: null });
        for (const [how, res] of [['literal', literal], ['variable', variable]] as const) {
          // The same answer as without the argument: data and errors (a Forbidden stays a Forbidden).
          expect({ field: `${name}(${arg.name}: null) as a ${how}`, status: res.status, body: res.body }).toEqual({ field: `${name}(${arg.name}: null) as a ${how}`, status: without.status, body: without.body });
        }
        checked.push(`${name}.${arg.name}`);
      }
    }
    // Every query field's optional arguments were tried (29 root fields, 139 optional arguments in 5.54).
    expect(checked.length).toBeGreaterThan(100);
  }, 120_000);

  it('on relations inside a query', async () => {
    const without = await post(`{ articleBySlug(slug: "${story.slug}") { title entities { name } sections { heading } heroImage { caption depicts { name } } } }`);
    const withNulls = await post(
      'query Q($p: PaginationArg, $f: EntityFiltersInput, $s: [String]) { articleBySlug(slug: "' +
        story.slug +
        '", locale: null) { title entities(pagination: $p, filters: $f, sort: $s) { name } sections(pagination: null, filters: null, sort: null) { heading } heroImage { caption depicts(pagination: null) { name } } } }',
      { p: null, f: null, s: null },
    );
    expect(without.body.errors).toBeUndefined();
    expect(withNulls.body).toEqual(without.body);
    expect(without.body.data.articleBySlug.entities.length).toBeGreaterThan(20);
  });
});

describe('GraphQL pagination follows REST', () => {
  it.each([
    ['{ pageSize: -5 }', 'pagination.pageSize must be at least 1'],
    ['{ pageSize: 0 }', 'pagination.pageSize must be at least 1'],
    ['{ pageSize: 101 }', 'pagination.pageSize must be at most 100'],
    ['{ page: 0 }', 'pagination.page must be at least 1'],
    ['{ start: -1 }', 'pagination.start must be at least 0'],
    ['{ limit: 1000 }', 'pagination.limit must be at most 100'],
    ['{ limit: -1 }', 'pagination.limit must be at least 1'],
    ['{ page: 1, limit: 5 }', 'pagination takes page/pageSize or start/limit, not both'],
  ])('pagination: %s → BAD_USER_INPUT "%s", on collections, connections and relations', async (pagination, message) => {
    for (const query of [`{ articles(pagination: ${pagination}) { title } }`, `{ entities_connection(pagination: ${pagination}) { pageInfo { total } } }`, `{ articles { entities(pagination: ${pagination}) { name } } }`]) {
      const res = await post(query).expect(200);
      expect(res.body.errors[0]).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT', error: { details: { argument: 'pagination' } } } });
    }
  });

  it('a page of 100 is served; one whole number over is refused', async () => {
    expect((await post('{ entities(pagination: { pageSize: 100 }) { name } }').expect(200)).body.data.entities.length).toBeGreaterThan(20);
    expect((await post('{ entities(pagination: { start: 0, limit: 100 }) { name } }').expect(200)).body.errors).toBeUndefined();
  });
});

describe('values the database refuses are BAD_USER_INPUT, not internal errors', () => {
  it.each<[string, string, Record<string, unknown> | null]>([
    ['a component sorted by documentId (found by npm run fuzz, seed 1957234267)', '{ articles { updates(sort: ["documentId"]) { note } } }', null],
    ["an attribute-level and, which the schema offers and Strapi's builder does not take", '{ articles(filters: { title: { and: ["x"] } }) { title } }', null],
    ['a between of three values', '{ entities_connection(filters: { documentId: { between: ["a", "b", "c"] } }) { pageInfo { total } } }', null],
    ['a sort that is not field names', '{ articles(sort: ["../x"]) { title } }', null],
    ['a relation sorted through another relation (as REST found by npm run fuzz, seed 2020465314)', '{ articles { localizations(sort: "authors.kind:asc") { title } } }', null],
    ['a locale variable holding an object (found by npm run fuzz, seed 1078005418)', 'query Q($l: I18NLocaleCode) { articleBySlug(slug: "title", locale: $l) { title } }', { l: { a: 1 } }],
  ])('%s', async (_what, query, variables) => {
    const res = await post(query, variables ?? undefined).expect(200);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('how many objects one operation may ask for', () => {
  const tooMany = { extensions: { code: 'BAD_USER_INPUT' } };
  it.each([
    ['nested lists of 100 (10^6 objects)', '{ articles(pagination: { pageSize: 100 }) { localizations(pagination: { pageSize: 100 }) { entities(pagination: { pageSize: 100 }) { name } } } }', undefined],
    ['the same through variables', 'query Q($p: PaginationArg) { articles(pagination: $p) { localizations(pagination: $p) { entities(pagination: $p) { name } } } }', { p: { pageSize: 100 } }],
    ['the same through fragments', '{ articles(pagination: { pageSize: 100 }) { ...L } } fragment L on Article { localizations(pagination: { pageSize: 100 }) { ...E } } fragment E on Article { entities(pagination: { pageSize: 100 }) { name } }', undefined],
    ['a connection of 100 with nested lists', '{ articles_connection(pagination: { pageSize: 100 }) { nodes { localizations(pagination: { limit: 100 }) { entities { name } } } } }', undefined],
  ])('%s → 400 BAD_USER_INPUT saying how many', async (_what, query, variables) => {
    const res = await post(query, variables).expect(400);
    expect(res.body.errors[0]).toMatchObject(tooMany);
    expect(res.body.errors[0].message).toMatch(/^This query could return about [\d,]+ objects; at most 25,000 are served in one request/);
  });

  it('the whole story on a page of 100 articles is served (about 12,700 at most)', async () => {
    const res = await post(
      '{ articles(pagination: { pageSize: 100 }) { title sections { heading } updates { note } heroImage { caption depicts { name } } entities { name } localizations { title } } }',
    ).expect(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.articles[0].entities.length).toBeGreaterThan(20);
  });
});

describe("documents GraphQL's rules refuse are 400s before anything walks them", () => {
  it.each([
    ['a fragment cycle', 'fragment A on Article { ...B } fragment B on Article { ...A } { articles { ...A } }', 'Cannot spread fragment "A" within itself via "B".'],
    ['a fragment spreading itself', 'fragment A on Article { title ...A } { articles { ...A } }', 'Cannot spread fragment "A" within itself.'],
    ['an unknown fragment', '{ articles { ...Nope } }', 'Unknown fragment "Nope".'],
    ['an unknown field', '{ articles { nope } }', 'Cannot query field "nope" on type "Article".'],
    ['a wrong argument type', '{ articles(pagination: { pageSize: "ten" }) { title } }', 'Int cannot represent non-integer value: "ten"'],
  ])('%s → 400 GRAPHQL_VALIDATION_FAILED', async (_what, query, message) => {
    const res = await post(query).expect(400);
    expect(res.body.errors[0]).toMatchObject({ message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });

  it('a fragment bomb (each fragment spreading the next twice, 30 deep) → 400 naming the selection bound', async () => {
    const bomb = `{ articles { ...F0 } } ${Array.from({ length: 30 }, (_, i) => `fragment F${i} on Article { title ...F${i + 1} ...F${i + 1} }`).join(' ')} fragment F30 on Article { title }`;
    const res = await post(bomb).expect(400);
    expect(res.body.errors[0]).toMatchObject({ message: 'Anonymous operation recursively requests too many selections.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });

  it('a chain of 2,000 fragments, each spreading the next, is answered (the plugin\'s depth limit overflowed its stack on it: a 500)', async () => {
    const chain = `{ articles { ...F0 } } ${Array.from({ length: 2_000 }, (_, i) => `fragment F${i} on Article { ...F${i + 1} }`).join(' ')} fragment F2000 on Article { title }`;
    const res = await post(chain).expect(200);
    expect(res.body.data.articles[0].title).toBe(story.title);
  });

  it.each([
    ['11 levels of fields', `{ articles ${'{ localizations '.repeat(10)}{ title }${' }'.repeat(10)} }`, "'' exceeds maximum operation depth of 10"],
    ['11 levels through a chain of fragments', `query Deep { articles { ...F0 } } ${Array.from({ length: 10 }, (_, i) => `fragment F${i} on Article { localizations { ...F${i + 1} } }`).join(' ')} fragment F10 on Article { title }`, "'Deep' exceeds maximum operation depth of 10"],
  ])('%s → 400 naming the depth limit, as the plugin words it', async (_what, query, message) => {
    const res = await post(query).expect(400);
    expect(res.body.errors[0]).toMatchObject({ message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });

  it('10 levels are within the depth limit', async () => {
    // One article per level, so the result-size bound stays out of it.
    const res = await post(`{ articles ${'{ localizations(pagination: { limit: 1 }) '.repeat(9)}{ title }${' }'.repeat(9)} }`).expect(200);
    expect(res.body.errors).toBeUndefined();
  });

  it('a document of more than 20,000 tokens → 400 GRAPHQL_PARSE_FAILED', async () => {
    const res = await post(`{ articles { ${'title '.repeat(20_001)}} }`).expect(400);
    expect(res.body.errors[0]).toMatchObject({ extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
    expect(res.body.errors[0].message).toMatch(/more th\w+ 20000 tokens/);
  });

  it('variables nested deeper than 64 levels → 400 BAD_USER_INPUT; filters deeper than 20 levels → BAD_USER_INPUT', async () => {
    const nest = (n: number) => JSON.parse('{"and":['.repeat(n) + '{"slug":{"eq":"x"}}' + ']}'.repeat(n)) as unknown;
    const query = 'query Q($f: ArticleFiltersInput) { articles(filters: $f) { title } }';
    const deep = await post(query, { f: nest(40) }).expect(400);
    expect(deep.body.errors[0]).toMatchObject({ message: 'variables may nest at most 64 levels', extensions: { code: 'BAD_USER_INPUT' } });
    // Filters count levels as REST's query parser counts brackets (a list and its element are two).
    const fits = await post(query, { f: nest(8) }).expect(200);
    expect(fits.body.errors).toBeUndefined();
    const over = await post(query, { f: nest(11) }).expect(200);
    expect(over.body.errors[0]).toMatchObject({ message: 'filters may nest at most 20 levels', extensions: { code: 'BAD_USER_INPUT' } });
  });
});
