/**
 * The filters an anonymous reader may run (src/content-api/public-filters.ts), as a table over
 * every scalar field of every public list and every operator Strapi has, through REST and GraphQL
 * on the booted app: a field an index leads with and an operator an index answers is a 200;
 * anything else is a 400 whose message names the parameter, before any SQL. An API token may run
 * them all (never a 5xx). The cases are counted by what they reached, so a table that stopped
 * reaching the guard (every case a 200, or every one refused) fails.
 */
import request from 'supertest';
import { INDEXED_OPERATORS, NEGATIONS, TEXT_SCAN_OPERATORS, indexedFields, type IndexedModel } from '../../../src/content-api/public-filters';
import { createApiToken } from '../../helpers/api-token';
import { useStrapi } from '../../helpers/strapi';

const app = useStrapi();
const LISTS = [
  ['api::article.article', '/api/articles'],
  ['api::entity.entity', '/api/entities'],
  ['api::image.image', '/api/images'],
] as const;
const OPERATORS = [...INDEXED_OPERATORS, ...NEGATIONS, ...TEXT_SCAN_OPERATORS].filter((op) => op !== '$not');
const SCALARS = new Set(['string', 'text', 'uid', 'date', 'datetime', 'enumeration', 'integer', 'increments', 'boolean', 'json', 'biginteger', 'float', 'decimal', 'email']);

const model = (uid: string) => app.strapi.db.metadata.get(uid) as unknown as IndexedModel & { attributes: Record<string, { type: string; enum?: string[]; private?: boolean }> };

/** A value of the field's type, in the form the operator takes. */
function valueFor(attribute: { type: string; enum?: string[] }, operator: string): string | string[] {
  const one = attribute.type === 'date' ? '2024-04-10' : attribute.type === 'datetime' ? '2024-04-10T12:00:00.000Z' : attribute.enum ? attribute.enum[0] : ['integer', 'increments', 'biginteger', 'float', 'decimal'].includes(attribute.type) ? '1' : attribute.type === 'boolean' ? 'true' : 'a';
  if (operator === '$between') return [one, one];
  if (operator === '$in' || operator === '$notIn') return [one];
  if (operator === '$null' || operator === '$notNull') return 'true';
  return one;
}

function cases() {
  return LISTS.flatMap(([uid, path]) => {
    const m = model(uid);
    const indexed = indexedFields(m);
    return Object.entries(m.attributes)
      .filter(([field, a]) => SCALARS.has(a.type) && !a.private && !['createdAt', 'updatedAt', 'publishedAt'].includes(field) || field === 'publishedAt')
      .flatMap(([field, attribute]) => OPERATORS.map((operator) => ({ uid, path, field, operator, value: valueFor(attribute, operator), allowed: indexed.has(field) && INDEXED_OPERATORS.has(operator) })));
  });
}

const query = (field: string, operator: string, value: string | string[]) =>
  Array.isArray(value) ? value.map((v, i) => `filters[${field}][${operator}][${i}]=${encodeURIComponent(v)}`).join('&') : `filters[${field}][${operator}]=${encodeURIComponent(value)}`;

describe('the filters an anonymous reader may run, every field and operator', () => {
  it('REST: an indexed field with an index operator is a 200, anything else a 400 naming it; a token runs them all', async () => {
    const all = cases();
    const token = await createApiToken(app.strapi, 'read-only');
    const reached = { allowed: 0, refused: 0, token: 0 };
    const wrong: string[] = [];
    for (const c of all) {
      const url = `${c.path}?${query(c.field, c.operator, c.value)}`;
      const res = await request(app.server).get(url).set('cache-control', 'no-cache');
      if (c.allowed) {
        if (res.status === 200) reached.allowed += 1;
        else wrong.push(`${url}: ${res.status} ${JSON.stringify(res.body.error?.message)}`);
      } else {
        const at = TEXT_SCAN_OPERATORS.has(c.operator) || NEGATIONS.has(c.operator) ? `filters[${c.field}][${c.operator}]:` : `filters[${c.field}]:`;
        if (res.status === 400 && String(res.body.error?.message).startsWith(at) && /anonymous readers/.test(res.body.error.message)) reached.refused += 1;
        else wrong.push(`${url}: ${res.status} ${JSON.stringify(res.body.error?.message)}`);
      }
      // Articles with a token: every case runs (a value of the wrong type may be a 400, never a 5xx).
      if (c.uid === 'api::article.article') {
        const privileged = await request(app.server).get(url).set('authorization', `Bearer ${token}`);
        if (privileged.status < 500 && !/anonymous readers/.test(String(privileged.body.error?.message))) reached.token += 1;
        else wrong.push(`${url} with a token: ${privileged.status} ${JSON.stringify(privileged.body.error?.message)}`);
      }
    }
    expect(wrong).toEqual([]);
    // What the table sent where: both sides of the rule reached, in the numbers the models give.
    const expected = { allowed: all.filter((c) => c.allowed).length, refused: all.filter((c) => !c.allowed).length, token: all.filter((c) => c.uid === 'api::article.article').length };
    expect(reached).toEqual(expected);
    expect(expected.allowed).toBeGreaterThanOrEqual(5 * INDEXED_OPERATORS.size - 5);
    expect(expected.refused).toBeGreaterThan(expected.allowed);
  }, 120_000);

  it('REST: _q, a sort by a field no index serves, a relation and a component are 400s for the public, runnable with a token', async () => {
    const token = await createApiToken(app.strapi, 'read-only');
    const refused: Array<[string, string]> = [
      ['/api/articles?_q=china', '_q:'],
      ['/api/articles?sort=title', 'sort:'],
      ['/api/articles?sort=entities.name', 'sort:'],
      ['/api/articles?pagination[page]=402', 'pagination:'],
      ['/api/articles?filters[slug][$ne]=x', 'filters[slug][$ne]:'],
      ['/api/articles?filters[$or][0][slug][$eq]=a&filters[$or][1][entities][slug][$eq]=china', 'filters[$or][1][entities]:'],
      ['/api/articles?filters[sections][heading][$eq]=x', 'filters[sections]:'],
      ['/api/articles?filters[entities][slug][$eq]=china', 'filters[entities]:'],
      ['/api/images?filters[depicts][$in][0]=1', 'filters[depicts]:'],
    ];
    for (const [url, at] of refused) {
      const res = await request(app.server).get(url).set('cache-control', 'no-cache');
      expect({ url, status: res.status, names: String(res.body.error?.message).startsWith(at) }).toEqual({ url, status: 400, names: true });
      const privileged = await request(app.server).get(url).set('authorization', `Bearer ${token}`);
      expect({ url, status: privileged.status }).toEqual({ url, status: 200 });
    }
    // What stays open: the topic route, dates, slugs, kinds, and a populate's own filters.
    for (const url of [
      '/api/entities/china/articles',
      '/api/articles?filters[firstPublishedAt][$gte]=2024-01-01&sort=firstPublishedAt:desc',
      '/api/entities?filters[kind][$eq]=person',
      '/api/articles?populate[entities][filters][name][$containsi]=chin',
    ]) {
      const res = await request(app.server).get(url).set('cache-control', 'no-cache');
      expect({ url, status: res.status }).toEqual({ url, status: 200 });
    }
  });

  it('GraphQL: the same rule on root lists, messages naming the argument; a relation field\'s own filters stay open', async () => {
    const ask = async (filters: string, sort?: string) => {
      const res = await request(app.server)
        .post('/graphql')
        .send({ query: `{ articles(filters: ${filters}${sort ? `, sort: "${sort}"` : ''}) { slug entities(filters: { name: { containsi: "chin" } }) { name } } }` });
      return res.body as { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> };
    };
    const refused = [
      ['{ title: { containsi: "china" } }', undefined, 'filters[title][containsi]:'],
      ['{ standfirst: { eq: "x" } }', undefined, 'filters[standfirst]:'],
      ['{ or: [{ slug: { eq: "a" } }, { entities: { slug: { eq: "china" } } }] }', undefined, 'filters[or][1][entities]:'],
      ['{ entities: { slug: { eq: "china" } } }', undefined, 'filters[entities]:'],
      ['{ slug: { eq: "a" } }', 'title:asc', 'sort:'],
    ] as const;
    for (const [filters, sort, at] of refused) {
      const body = await ask(filters, sort);
      expect({ filters, code: body.errors?.[0]?.extensions?.code, names: String(body.errors?.[0]?.message).startsWith(at) }).toEqual({ filters, code: 'BAD_USER_INPUT', names: true });
    }
    const open = await ask('{ slug: { in: ["us-warns-allies-of-chinas-growing-support-for-russia-amid-ukraine-conflict"] }, dateline: { gte: "2024-01-01" } }', 'dateline:desc');
    expect(open.errors).toBeUndefined();
    expect((open.data as { articles: unknown[] }).articles.length).toBeGreaterThan(0);
  });
});
