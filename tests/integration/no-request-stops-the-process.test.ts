/**
 * No single request stops the process or makes it stop answering. The app runs as a production
 * server in a child process (as `npm start` runs it); each request below, every one of which once
 * took a server down or answered a 5xx here or in a dependency's issue tracker, is sent on its own
 * and must be answered within ANSWER_MS with JSON and no 5xx, while `/api/health` keeps answering
 * within HEALTH_MS throughout (a poller runs beside them) and the process stays alive.
 *
 * On PostgreSQL, a request that waits (the articles table locked by another session) is ended by
 * the request deadline: a 504 in the API's error shape after REQUEST_DEADLINE_MS, health answering
 * meanwhile, reads served again once the lock goes. SQLite waits for a lock inside the process
 * (better-sqlite3 is synchronous), so that part runs on PostgreSQL only.
 */
import { Client } from 'pg';
import { serveOnTestDatabase, type ServedApp, type ServingChild } from '../helpers/child-app';
import { sleep } from '../helpers/receiver';
import { story } from '../helpers/story';

const ANSWER_MS = 5_000;
const HEALTH_MS = 2_000;
const DEADLINE_MS = 1_500;
const onPostgres = process.env.DATABASE_CLIENT === 'postgres' ? it : it.skip;

const deep = (n: number) => '{"and":['.repeat(n) + '{"title":{"eq":"x"}}' + ']}'.repeat(n);
const gql = (query: string, variables?: string) => `{"query":${JSON.stringify(query)}${variables ? `,"variables":${variables}` : ''}}`;
const bomb = `{ articles { ...F0 } } ${Array.from({ length: 30 }, (_, i) => `fragment F${i} on Article { title ...F${i + 1} ...F${i + 1} }`).join(' ')} fragment F30 on Article { title }`;

/** A GraphQL GET as a client sends it: through the read cache's key (no `no-cache`), with Apollo's preflight header. */
const gqlGet = (query: string, params: Record<string, string> = {}) => `/graphql?${new URLSearchParams({ query, ...params })}`;
const THROUGH_THE_CACHE = { 'content-type': 'application/json' };

/** [what, method, path, body (JSON text), headers (default: past the read cache)] */
const REQUESTS: Array<[string, string, string, string?, Record<string, string>?]> = [
  ['filters: $f with {"f": null} (graphql-jit looped until the heap ran out)', 'POST', '/graphql', gql('query Q($f: ArticleFiltersInput) { articles(filters: $f) { title } }', '{"f":null}')],
  ['filters: $f with an object', 'POST', '/graphql', gql('query Q($f: ArticleFiltersInput) { articles(filters: $f) { title } }', '{"f":{"title":{"eq":"x"}}}')],
  ['pagination: null', 'POST', '/graphql', gql('{ articles(pagination: null) { title } }')],
  ['pagination: $p with {"p": null}', 'POST', '/graphql', gql('query Q($p: PaginationArg) { articles(pagination: $p) { title } }', '{"p":null}')],
  ['a fragment cycle', 'POST', '/graphql', gql('fragment A on Article { ...B } fragment B on Article { ...A } { articles { ...A } }')],
  ['a fragment spreading itself', 'POST', '/graphql', gql('fragment A on Article { title ...A } { articles { ...A } }')],
  ['an unknown fragment', 'POST', '/graphql', gql('{ articles { ...Nope } }')],
  ['a fragment bomb (2^30 spreads)', 'POST', '/graphql', gql(bomb)],
  ['a chain of 2,000 fragments, each spreading the next', 'POST', '/graphql', gql(`{ articles { ...F0 } } ${Array.from({ length: 2_000 }, (_, i) => `fragment F${i} on Article { ...F${i + 1} }`).join(' ')} fragment F2000 on Article { title }`)],
  ['selections nested 1,000 and 3,000 deep', 'POST', '/graphql', gql(`{ a: articles ${'{ localizations '.repeat(1_000)}{ title }${' }'.repeat(1_000)} }`)],
  ['selections nested 3,000 deep (past what the parser takes)', 'POST', '/graphql', gql(`{ articles ${'{ localizations '.repeat(3_000)}{ title }${' }'.repeat(3_000)} }`)],
  ['fragments nesting relations 200 deep', 'POST', '/graphql', gql(`{ articles { ...F0 } } ${Array.from({ length: 200 }, (_, i) => `fragment F${i} on ${i % 2 ? 'Entity' : 'Article'} { ${i % 2 ? 'articles' : 'entities'} { ...F${i + 1} } }`).join(' ')} fragment F200 on Article { title }`)],
  ['variables nested 5,000 levels', 'POST', '/graphql', gql('query Q($f: ArticleFiltersInput) { articles(filters: $f) { title } }', `{"f":${deep(5_000)}}`)],
  ['variables nested 100,000 levels', 'POST', '/graphql', gql('query Q($f: ArticleFiltersInput) { articles(filters: $f) { title } }', `{"f":${deep(100_000)}}`)],
  ['20,000 conditions in one variable', 'POST', '/graphql', gql('query Q($f: ArticleFiltersInput) { articles(filters: $f) { title } }', JSON.stringify({ f: { or: Array.from({ length: 20_000 }, (_, i) => ({ title: { eq: `x${i}` } })) } }))],
  ['a literal nested 3,000 levels', 'POST', '/graphql', gql(`{ articles(filters: ${'{ and: ['.repeat(3_000)}{ title: { eq: "x" } }${'] }'.repeat(3_000)}) { title } }`)],
  ['100,000 tokens', 'POST', '/graphql', gql(`{ articles { ${'title '.repeat(100_000)}} }`)],
  ['1,000 copies of one field', 'POST', '/graphql', gql(`{ articles { ${'title '.repeat(1_000)}} }`)],
  ['relations nested 40 deep', 'POST', '/graphql', gql(`{ articles ${'{ entities '.repeat(40)}{ name }${' }'.repeat(40)} }`)],
  ['nested lists of 100 (10^6 objects asked for)', 'POST', '/graphql', gql('{ articles(pagination: { pageSize: 100 }) { localizations(pagination: { pageSize: 100 }) { entities(pagination: { pageSize: 100 }) { name } } } }')],
  ['a batch of 100 operations', 'POST', '/graphql', JSON.stringify(Array.from({ length: 100 }, () => ({ query: '{ articles { title } }' })))],
  ['a 900 KB string variable', 'POST', '/graphql', gql('query Q($s: String!) { articleBySlug(slug: $s) { title } }', JSON.stringify({ s: 'x'.repeat(900_000) }))],
  ['a JSON body nested 100,000 levels', 'POST', '/graphql', `{"query":"{ articles { title } }","extensions":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`],
  ['sort: ["../x"]', 'POST', '/graphql', gql('{ articles(sort: ["../x"]) { title } }')],
  ['between with three values', 'POST', '/graphql', gql('{ entities_connection(filters: { documentId: { between: ["a", "b", "c"] } }) { pageInfo { total } } }')],
  ['REST: filters[$not][localizations][$and]=null', 'GET', '/api/articles?filters[$not][localizations][$and]=null'],
  ['REST: filters[entities][$not][$and]=1', 'GET', '/api/articles?filters[entities][$not][$and]=1'],
  ['REST: 20 levels of $or', 'GET', `/api/articles?filters${'[$or][0]'.repeat(9)}[title][$eq]=x`],
  ['REST: 100 values in $in', 'GET', `/api/articles?${Array.from({ length: 100 }, (_, i) => `filters[title][$in][${i}]=${'x'.repeat(100)}`).join('&')}`],
  ['REST: _q of 200 wildcards', 'GET', `/api/articles?_q=${'%25'.repeat(200)}`],
  ['REST: a number filter that is no number', 'GET', '/api/upload/files?filters[size][$eq]=abc'],
  ['REST: populate=* of everything, the largest page', 'GET', '/api/articles?populate=*&pagination[pageSize]=100'],
  ['REST: the story view', 'GET', `/api/articles/slug/${story.slug}`],
  ['GraphQL GET: the story, a first time', 'GET', gqlGet(`{ articleBySlug(slug: "${story.slug}") { documentId title } }`), undefined, THROUGH_THE_CACHE],
  ['GraphQL GET: the story, a second time', 'GET', gqlGet(`{ articleBySlug(slug: "${story.slug}") { documentId title } }`), undefined, THROUGH_THE_CACHE],
  ['GraphQL GET: variables nested 2,000 levels', 'GET', gqlGet('query Q($f: ArticleFiltersInput) { articles(filters: $f) { title } }', { variables: `{"f":${'['.repeat(2_000)}1${']'.repeat(2_000)}}` }), undefined, THROUGH_THE_CACHE],
  ['GraphQL GET: selections nested 1,000 deep', 'GET', gqlGet(`{ articles ${'{a '.repeat(1_000)}${'}'.repeat(1_000)} }`), undefined, THROUGH_THE_CACHE],
  ['GraphQL GET: a fragment bomb (2^30 spreads)', 'GET', gqlGet(bomb), undefined, THROUGH_THE_CACHE],
  ['GraphQL GET: a persisted-query hash that is not the text\'s', 'GET', gqlGet('{ articles { title } }', { extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } }) }), undefined, THROUGH_THE_CACHE],
  ['GraphQL GET: an unknown persisted-query hash, nothing else', 'GET', `/graphql?${new URLSearchParams({ extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } }) })}`, undefined, THROUGH_THE_CACHE],
  ['GraphQL GET: variables and extensions that are not JSON', 'GET', gqlGet('{ articles { title } }', { variables: '{"f":', extensions: 'null' }), undefined, THROUGH_THE_CACHE],
  ['GraphQL GET: a mutation', 'GET', gqlGet('mutation { deleteArticle(documentId: "x") { documentId } }'), undefined, THROUGH_THE_CACHE],
];

describe('no single request stops the process', () => {
  let served: ServedApp;
  let server: ServingChild;
  let base: string;
  let polling = true;
  let poller: Promise<void>;
  const healthFailures: string[] = [];

  beforeAll(async () => {
    served = await serveOnTestDatabase({ NODE_ENV: 'production', CORS_ORIGINS: 'https://site.example', SITE_URL: 'https://site.example', SITE_NAME: 'Site', REQUEST_DEADLINE_MS: String(DEADLINE_MS) });
    ({ server, base } = served);
    // Beside every request: health must keep answering, each time within HEALTH_MS.
    poller = (async () => {
      while (polling) {
        const started = Date.now();
        try {
          const res = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(HEALTH_MS) });
          await res.text();
          if (res.status !== 200) healthFailures.push(`health ${res.status}`);
        } catch (error) {
          healthFailures.push(`health did not answer within ${HEALTH_MS} ms (${(error as Error).message}) after ${Date.now() - started} ms`);
        }
        await sleep(100);
      }
    })();
  }, 120_000);

  afterAll(async () => {
    polling = false;
    await poller;
    await served?.stop();
  }, 60_000);

  // Every row with five cells (jest would pass a `done` callback as a missing last one).
  it.each(REQUESTS.map(([what, method, url, body, headers]) => [what, method, url, body ?? null, headers ?? null] as const))('%s: answered within the bound, JSON, no 5xx; health answers; the process lives', async (_what, method, url, body, headers) => {
    const started = Date.now();
    const res = await fetch(`${base}${url}`, {
      method,
      headers: headers ?? { 'cache-control': 'no-cache', ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ?? undefined,
      signal: AbortSignal.timeout(ANSWER_MS),
    });
    const text = await res.text();
    const took = Date.now() - started;
    expect({ status: res.status < 500, json: /json/.test(String(res.headers.get('content-type'))), within: took < ANSWER_MS }).toEqual({ status: true, json: true, within: true });
    const parsed = JSON.parse(text) as { errors?: Array<{ extensions?: { code?: string } }> };
    expect((parsed.errors ?? []).filter((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR')).toEqual([]);
    const health = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(HEALTH_MS) });
    expect(health.status).toBe(200);
    expect(server.child.exitCode).toBeNull();
  }, ANSWER_MS + HEALTH_MS + 5_000);

  onPostgres('a read waiting on a lock is ended by the deadline with a 504; health answers meanwhile; reads resume when the lock goes', async () => {
    const locker = new Client({ connectionString: served.database.env.DATABASE_URL });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE articles IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      const [rest, graphql, health] = await Promise.all([
        fetch(`${base}/api/articles?fields[0]=title`, { headers: { 'cache-control': 'no-cache' }, signal: AbortSignal.timeout(ANSWER_MS) }).then(async (r) => ({ status: r.status, body: (await r.json()) as { error: unknown }, took: Date.now() - started })),
        fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: gql('{ articles { title } }'), signal: AbortSignal.timeout(ANSWER_MS) }).then(async (r) => ({ status: r.status, body: await r.json() })),
        sleep(300).then(() => fetch(`${base}/api/health`, { signal: AbortSignal.timeout(HEALTH_MS) }).then((r) => r.status)),
      ]);
      expect(rest.status).toBe(504);
      expect(rest.body.error).toMatchObject({ status: 504, name: 'GatewayTimeoutError', details: { deadlineMs: DEADLINE_MS } });
      expect(rest.took).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
      expect(rest.took).toBeLessThan(DEADLINE_MS + 2_000);
      expect(graphql.status).toBe(504);
      expect(health).toBe(200);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    const after = await fetch(`${base}/api/articles?fields[0]=title`, { headers: { 'cache-control': 'no-cache' } });
    expect(after.status).toBe(200);
    expect(server.child.exitCode).toBeNull();
  }, 30_000);

  it('health never stopped answering while all of the above ran', async () => {
    await sleep(300);
    expect(healthFailures).toEqual([]);
    expect(server.child.exitCode).toBeNull();
  });
});
