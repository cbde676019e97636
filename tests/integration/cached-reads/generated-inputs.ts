/**
 * Generated malformed requests (fast-check) against every public route: query strings with nested
 * brackets, arrays where scalars belong, odd numbers, bad percent-encoding, null bytes and
 * prototype keys; odd paths; wrong content types; truncated, oversized and prototype-key bodies;
 * GraphQL documents with bad syntax, deep nesting, aliases and batches. Every answer must be a
 * non-5xx, on a connection that stays up, in JSON (the API's error shape, or GraphQL's); the
 * server must be healthy afterwards and the story unchanged byte for byte.
 *
 * Unaimed on purpose (path, method, content type and body drawn independently): what a careless
 * client sends anywhere. The aimed classes are in generated-routes.test.ts and
 * graphql-generated-queries.test.ts. A fixed seed in `npm test`; `npm run fuzz` explores
 * (tests/helpers/fuzz.ts: FUZZ_EXPLORE, FUZZ_RUNS, FUZZ_SEED).
 */
import fc from 'fast-check';
import request from 'supertest';
import { RUN_SCALE, runParameters } from '../../helpers/fuzz';
import { useStrapi } from '../../helpers/strapi';
import { story } from '../../helpers/story';

const app = useStrapi({ env: { REBUILD_POLL_MS: '600000', CACHE_MAX_BYTES: String(8 * 1024 * 1024) } });
const RUNS = 5000;

let storyId: string;
let storyBefore: string;

beforeAll(async () => {
  const found = await app.strapi.documents('api::article.article').findFirst({ locale: 'en', filters: { slug: story.slug }, fields: ['documentId'] });
  storyId = found!.documentId;
  storyBefore = (await request(app.server).get(`/api/articles/slug/${story.slug}`).set('cache-control', 'no-cache').expect(200)).text;
});

// --- generators -------------------------------------------------------------------------------

const routes = () => [
  '/api/articles',
  `/api/articles/${storyId}`,
  `/api/articles/slug/${story.slug}`,
  '/api/articles/newest',
  '/api/entities',
  '/api/entities/joe-biden/articles',
  '/api/images',
  '/api/upload/files',
  '/api/upload/files/1',
  '/api/upload',
  '/api/health',
  '/api/preview/articles/abc',
  '/graphql',
];

const KEYS = ['filters', 'populate', 'fields', 'sort', 'pagination', 'status', 'locale', '_q', 'lookup', 'publicationState', 'page', 'pageSize', 'token', 'where', 'limit', 'start'];
const FIELDS = ['title', 'slug', 'createdBy', 'updatedBy', 'password', 'entities', 'heroImage', 'sections', 'asset', 'depicts', 'localizations', 'id', 'documentId', 'publishedAt'];
const OPERATORS = ['$eq', '$ne', '$in', '$notIn', '$lt', '$gt', '$contains', '$null', '$or', '$and', '$not', '$foo', 'page', 'pageSize', 'withCount', 'populate', 'fields'];
const ODD_VALUES = [
  '', '*', 'abc', '-1', '0', '1e309', '9999999999999999999999', '1.5', 'NaN', 'Infinity', 'true', 'null', 'undefined',
  '__proto__', 'constructor', 'prototype', '%00', '%', '%ZZ', '%E0%A4%A', '\u0000', '[]', '{}', "'; drop table articles; --",
  'x'.repeat(5000), '🦄', '..%2F..%2Fetc%2Fpasswd', 'published', 'draft', 'en', 'xx', '*:*',
];

const keyPath = fc
  .tuple(fc.constantFrom(...KEYS, '__proto__', 'constructor'), fc.array(fc.oneof(fc.constantFrom(...FIELDS, ...OPERATORS, '', '0', '1', '__proto__'), fc.string({ maxLength: 6 })), { maxLength: 6 }))
  .map(([key, path]) => key + path.map((p) => `[${p}]`).join(''));
const value = fc.oneof(fc.constantFrom(...ODD_VALUES), fc.string({ maxLength: 30 }), fc.integer().map(String), fc.double().map(String));
const queryString = fc
  .array(fc.tuple(keyPath, value, fc.boolean()), { maxLength: 8 })
  .map((pairs) => pairs.map(([k, v, raw]) => (raw ? `${k}=${v}`.replace(/[ #&]/g, encodeURIComponent) : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)).join('&'));

const path = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...Array.from({ length: 13 }, (_, i) => i)).map((i) => routes()[i]) },
  { weight: 1, arbitrary: fc.array(fc.oneof(fc.constantFrom('..', '%2e%2e', '%00', '%', '%ZZ', 'api', 'articles', 'slug', '__proto__', '😀'), fc.string({ maxLength: 8 })), { maxLength: 5 }).map((segs) => `/api/${segs.join('/')}`) },
);

const contentType = fc.constantFrom(
  undefined,
  'application/json',
  'application/json; charset=latin1',
  'multipart/form-data; boundary=xyz',
  'multipart/form-data',
  'application/x-www-form-urlencoded',
  'text/plain',
  'application/xml',
  'application/graphql',
  'garbage/;;;',
);

const nested = (depth: number, leaf: string) => '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);
const graphqlDocument = fc.oneof(
  fc.constantFrom(
    '{ articles { title } }',
    '{ articles(filters: { createdBy: { id: { eq: 1 } } }) { title } }',
    '{ articles(status: DRAFT) { title } }',
    '{ articles(pagination: { limit: 100000 }) { title } }',
    '{ articles { entities { articles { title } } } }',
    'query { __schema { types { name } } }',
    '{ articles { title ',
    'fragment A on Article { ...B } fragment B on Article { ...A } { articles { ...A } }',
    '{ usersPermissionsUsers { email password } }',
    'mutation { createArticle(data: { title: "x" }) { documentId } }',
  ),
  fc.integer({ min: 1, max: 60 }).map((d) => `{ articles ${'{ entities '.repeat(d)}{ name }${' }'.repeat(d)} }`),
  fc.integer({ min: 1, max: 150 }).map((n) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: articles { title }`).join(' ')} }`),
  fc.string({ maxLength: 80 }),
);
const graphqlBody = fc.oneof(
  graphqlDocument.map((query) => JSON.stringify({ query })),
  graphqlDocument.map((query) => JSON.stringify([{ query }, { query }])),
  graphqlDocument.map((query) => JSON.stringify({ query, variables: '{"a":' })),
  fc.constant('{"__proto__": {"polluted": true}, "query": "{ __typename }"}'),
);
const body = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom('{"data": {', '[1,2,3]', '"just a string"', 'null', '{"__proto__": {"isAdmin": true}}', '{"constructor": {"prototype": {"x": 1}}}', '--xyz\r\nContent-Disposition: form-data; name="files"; filename="a.svg"\r\n\r\n<svg onload=alert(1)>'),
  fc.integer({ min: 1, max: 400 }).map((d) => nested(d, '1')),
  fc.json({ maxDepth: 4 }),
  fc.string({ maxLength: 200 }),
  fc.constant('{"data": {"title": "'.concat('x'.repeat(1_100_000), '"}}')),
  graphqlBody,
);

const requestArb = fc.record({
  method: fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
  path,
  query: queryString,
  contentType,
  body,
  origin: fc.constantFrom(undefined, 'https://evil.example', 'null'),
});

type Generated = typeof requestArb extends fc.Arbitrary<infer T> ? T : never;

async function send(r: Generated): Promise<request.Response> {
  const url = r.query ? `${r.path}?${r.query}` : r.path;
  const agent = request(app.server) as unknown as Record<string, (u: string) => request.Test>;
  let test = agent[r.method.toLowerCase()](url);
  if (r.contentType) test = test.set('content-type', r.contentType);
  if (r.origin) test = test.set('origin', r.origin);
  if (r.body !== undefined && r.method !== 'GET' && r.method !== 'HEAD') test = test.send(r.body);
  return test.ok(() => true);
}

// --- the property ------------------------------------------------------------------------------

describe(`${RUNS} generated malformed requests`, () => {
  it('get no 5xx, no dropped connection, JSON answers; the server stays healthy and the story unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(requestArb, async (r) => {
        let res: request.Response;
        try {
          res = await send(r);
        } catch (error) {
          throw new Error(`dropped: ${(error as Error).message}`);
        }
        if (res.status >= 500) throw new Error(`${res.status} ${String(res.text ?? "").slice(0, 300)}`);
        const empty = r.method === 'HEAD' || res.status === 204 || res.status === 304 || res.text === '';
        if (!empty) {
          if (!/json/.test(String(res.headers['content-type']))) throw new Error(`not JSON (${res.headers['content-type']}): ${res.text.slice(0, 200)}`);
          const parsed = JSON.parse(res.text) as Record<string, unknown>;
          if (res.status >= 400 && !(parsed.error || Array.isArray(parsed.errors))) throw new Error(`error without the error shape: ${res.text.slice(0, 200)}`);
          if (/\bat .+\.(js|ts):\d+/.test(res.text)) throw new Error(`stack in answer: ${res.text.slice(0, 300)}`);
        }
      }),
      runParameters(1_382_650_275, 0, RUNS),
    );
    await request(app.server).get('/api/health').expect(200);
    const after = await request(app.server).get(`/api/articles/slug/${story.slug}`).set('cache-control', 'no-cache').expect(200);
    expect(after.text).toBe(storyBefore);
    expect(({} as Record<string, unknown>).polluted ?? ({} as Record<string, unknown>).isAdmin).toBeUndefined();
  }, 240_000 * RUN_SCALE);
});
