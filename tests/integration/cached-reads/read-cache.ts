/**
 * The read cache in front of Strapi's stack: anonymous reads answered without Koa or SQL, byte
 * for byte what the full stack produced, and never stale after a change commits.
 */
import { createHash } from 'node:crypto';
import request from 'supertest';
import { createApiToken } from '../../helpers/api-token';
import { sqlCounter } from '../../helpers/sql';
import { appModule, useStrapi } from '../../helpers/strapi';
import { story } from '../../helpers/story';

const ORIGINS = ['https://www.example.com', 'https://app.example.com'];
// Background work (the rebuild dispatcher's poll, the scheduler) stays out of the SQL counts.
const app = useStrapi({ env: { CORS_ORIGINS: ORIGINS.join(','), REBUILD_POLL_MS: '600000', SCHEDULE_INTERVAL_SECONDS: '60' } });
const { sqlDuring } = sqlCounter(app);
let storyId: string;

beforeAll(async () => {
  const found = await app.strapi.documents('api::article.article').findFirst({ locale: 'en', filters: { slug: story.slug }, fields: ['documentId'] });
  storyId = found!.documentId;
});

const withoutDate = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).filter(([k]) => k !== 'date'));
const get = (path: string, headers: Record<string, string> = {}) => request(app.server).get(path).set(headers);

describe('an anonymous read', () => {
  it('is answered from the cache the second time: same status, headers and bytes, no SQL', async () => {
    const first = await get(`/api/articles/${storyId}`).expect(200);
    const [second, sql] = await sqlDuring(() => get(`/api/articles/${storyId}`).expect(200));
    expect(sql).toBe(0);
    expect(second.text).toBe(first.text);
    expect(withoutDate(second.headers)).toEqual(withoutDate(first.headers));
    expect(first.headers.etag).toMatch(/^"[\w-]{27}"$/);
    expect(first.headers['cache-control']).toBe('public, max-age=0, s-maxage=60, stale-while-revalidate=300');
    const keys = first.headers['surrogate-key'].split(' ');
    expect(keys).toContain(`doc:${storyId}`);
    expect(keys).not.toContain('list:articles'); // one document: a publish of another does not change it
    expect(keys.length).toBeGreaterThan(20); // the entities and the image it shows
  });

  it('with the ETag in If-None-Match is a 304, without SQL', async () => {
    const { headers } = await get(`/api/articles/${storyId}`).expect(200);
    const [res, sql] = await sqlDuring(() => get(`/api/articles/${storyId}`, { 'If-None-Match': headers.etag }).expect(304));
    expect(sql).toBe(0);
    expect(res.text).toBe('');
    expect(res.headers.etag).toBe(headers.etag);
  });

  it('of the full stack is a 304 for a matching If-None-Match too', async () => {
    const { headers } = await get(`/api/entities?sort=name`, { 'Cache-Control': 'no-cache' }).expect(200);
    await get(`/api/entities?sort=name`, { 'Cache-Control': 'no-cache', 'If-None-Match': headers.etag }).expect(304);
  });

  it('gets its own answer per Origin (CORS)', async () => {
    for (const origin of [...ORIGINS, ...ORIGINS]) {
      const res = await get(`/api/images`, { Origin: origin }).expect(200);
      expect(res.headers['access-control-allow-origin']).toBe(origin);
      expect(res.headers.vary).toMatch(/Origin/);
    }
  });
});

describe('after a change commits, the next read is the new content', () => {
  it('a publish: five edits in a row, each read right after shows it', async () => {
    const docs = app.strapi.documents('api::article.article');
    await get(`/api/articles/${storyId}`).expect(200);
    for (let i = 0; i < 5; i += 1) {
      const standfirst = `Edit number ${i}.`;
      await docs.update({ documentId: storyId, locale: 'en', data: { standfirst } });
      // A draft save changes nothing public: the cached answer stays.
      const [stillCached, sql] = await sqlDuring(() => get(`/api/articles/${storyId}`).expect(200));
      expect(sql).toBe(0);
      expect(stillCached.body.data.standfirst).not.toBe(standfirst);
      await docs.publish({ documentId: storyId, locale: 'en' });
      const res = await get(`/api/articles/${storyId}`).expect(200);
      expect(res.body.data.standfirst).toBe(standfirst);
    }
  });

  it('an entity renamed: the articles that name it and the lists they are in', async () => {
    const list = `/api/articles?fields[0]=title&populate[entities][fields][0]=name`;
    await get(list).expect(200);
    await get(`/api/articles/${storyId}`).expect(200);
    const entity = await app.strapi.documents('api::entity.entity').findFirst({ filters: { slug: 'antony-blinken' } });
    await app.strapi.documents('api::entity.entity').update({ documentId: entity!.documentId, data: { name: 'Antony J. Blinken' } });
    const names = (body: { data: { entities: { name: string }[] } }) => body.data.entities.map((e) => e.name);
    expect(names((await get(`/api/articles/${storyId}`).expect(200)).body)).toContain('Antony J. Blinken');
    const listed = (await get(list).expect(200)).body as { data: { entities: { name: string }[] }[] };
    expect(listed.data[0].entities.map((e) => e.name)).toContain('Antony J. Blinken');
  });

  it('an unpublish: the article is gone from the next read', async () => {
    const docs = app.strapi.documents('api::article.article');
    const draft = await docs.create({ locale: 'en', data: { title: 'Short-lived', slug: 'short-lived-cache', dateline: '2024-04-12' } as never });
    await docs.publish({ documentId: draft.documentId, locale: 'en' });
    await get(`/api/articles/${draft.documentId}`).expect(200);
    await docs.unpublish({ documentId: draft.documentId, locale: 'en' });
    await get(`/api/articles/${draft.documentId}`).expect(404);
  });
});

describe('never from the cache', () => {
  it('reads with a token, with no-cache, or of drafts', async () => {
    const token = await createApiToken(app.strapi, 'read-only');
    const variants: Record<string, string>[] = [{ Authorization: `Bearer ${token}` }, { 'Cache-Control': 'no-cache' }];
    for (const headers of variants) {
      await get(`/api/articles/${storyId}`, headers).expect(200);
      const [, sql] = await sqlDuring(() => get(`/api/articles/${storyId}`, headers).expect(200));
      expect(sql).toBeGreaterThan(0);
    }
    const cache = appModule<{ readCacheOf: (s: unknown) => { size: number } }>('src/cache').readCacheOf(app.strapi);
    const before = cache.size;
    await get(`/api/articles?status=draft`).expect(403);
    await get(`/api/articles?status=draft`).expect(403);
    expect(cache.size).toBe(before);
  });

  it('health', async () => {
    const res = await get('/api/health').expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

describe('GraphQL GETs', () => {
  const JSON_TYPE = { 'content-type': 'application/json' };
  const STORY = `query Story($slug: String!) { articles(filters: { slug: { eq: $slug } }) { documentId title standfirst entities { documentId name } } }`;
  const gqlGet = (params: Record<string, unknown>, headers: Record<string, string> = JSON_TYPE) =>
    request(app.server)
      .get('/graphql')
      .query(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])))
      .set(headers);
  const cache = () => appModule<{ readCacheOf: (s: unknown) => { size: number } }>('src/cache').readCacheOf(app.strapi);
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  // The persisted-query store Apollo was given (src/graphql/persisted-queries.ts) and its table.
  const persisted = () => {
    const { PERSISTED_QUERY_UID } = appModule<{ PERSISTED_QUERY_UID: string }>('src/graphql/persisted-queries');
    const knex = app.strapi.db.connection;
    const store = app.strapi.config.get('plugin::graphql.apolloServer.persistedQueries.cache') as {
      get(k: string): Promise<string | undefined>;
      set(k: string, v: string): Promise<void>;
      prune(keep?: number): Promise<void>;
    };
    return { store, table: () => knex(app.strapi.db.metadata.get(PERSISTED_QUERY_UID).tableName) };
  };

  it('are answered from the cache the second time, however the document is spaced: same bytes, ETag, no SQL', async () => {
    const first = await gqlGet({ query: STORY, variables: { slug: story.slug } }).expect(200);
    expect(first.body.data.articles[0].documentId).toBe(storyId);
    expect(first.headers['cache-control']).toBe('public, max-age=0, s-maxage=60, stale-while-revalidate=300');
    expect(first.headers.etag).toMatch(/^"[\w-]{27}"$/);
    const keys = first.headers['surrogate-key'].split(' ');
    expect(keys).toEqual(expect.arrayContaining([`doc:${storyId}`, 'list:articles']));
    // Entities are shown with their documentIds: named one by one, not by their list.
    expect(keys).not.toContain('list:entities');
    const respaced = `# the story\n${STORY.replace(/ /g, '   ').replace('title', 'title,')}`;
    const [second, sql] = await sqlDuring(() => gqlGet({ query: respaced, variables: { slug: story.slug } }).expect(200));
    expect(sql).toBe(0);
    expect(second.text).toBe(first.text);
    expect(second.headers.etag).toBe(first.headers.etag);
    const [notModified, sql304] = await sqlDuring(() => gqlGet({ query: STORY, variables: { slug: story.slug } }, { ...JSON_TYPE, 'If-None-Match': first.headers.etag }).expect(304));
    expect(sql304).toBe(0);
    expect(notModified.text).toBe('');
  });

  it('keep Apollo CSRF prevention: without a preflight header a GET is refused, cached or not', async () => {
    await gqlGet({ query: STORY, variables: { slug: story.slug } }).expect(200);
    for (const headers of [{}, { 'content-type': 'text/plain' }] as Array<Record<string, string>>) {
      const res = await gqlGet({ query: STORY, variables: { slug: story.slug } }, headers).expect(400);
      expect(res.text).toMatch(/Cross-Site Request Forgery/);
    }
    const preflighted = await gqlGet({ query: STORY, variables: { slug: story.slug } }, { 'apollo-require-preflight': 'true' }).expect(200);
    expect(preflighted.body.data.articles).toHaveLength(1);
  });

  it('as automatic persisted queries: unknown hash refused, then registered, then answered by hash from the cache', async () => {
    const query = `query Persisted($slug: String!) { articles(filters: { slug: { eq: $slug } }) { documentId slug } }`;
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };
    const variables = { slug: story.slug };
    const size = cache().size;
    for (let i = 0; i < 2; i += 1) {
      const unknown = await gqlGet({ extensions, variables });
      expect(unknown.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect(unknown.headers['cache-control']).not.toMatch(/public/);
    }
    expect(cache().size).toBe(size);
    const registered = await gqlGet({ query, extensions, variables }).expect(200);
    expect(registered.body.data.articles).toEqual([{ documentId: storyId, slug: story.slug }]);
    const [byHash, sql] = await sqlDuring(() => gqlGet({ extensions, variables }).expect(200));
    expect(sql).toBe(0);
    expect(byHash.text).toBe(registered.text);
    // A hash that is not the text's is Apollo's 400, and teaches the cache nothing.
    const wrong = await gqlGet({ query: STORY, extensions, variables }).expect(400);
    expect(wrong.body.errors[0]).toEqual({ message: 'provided sha does not match query', extensions: { code: 'BAD_REQUEST' } });
    expect((await gqlGet({ extensions, variables }).expect(200)).text).toBe(registered.text);
  });

  it('persisted queries are kept in the database for every process: one registered here is stored, one another process registered is answered here, a hash is stored once', async () => {
    const { table } = persisted();
    const rowsOf = (query: string) => table().select('query').where({ key: `apq:${sha256(query)}` });
    const variables = { slug: story.slug };
    const apq = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: sha256(query) } });

    const here = `query StoredHere($slug: String!) { articles(filters: { slug: { eq: $slug } }) { slug } }`;
    await gqlGet({ query: here, extensions: apq(here), variables }).expect(200);
    // Apollo stores a registration after answering: it lands within moments.
    for (let i = 0; i < 40 && (await rowsOf(here)).length === 0; i += 1) await new Promise((r) => setTimeout(r, 50));
    expect(await rowsOf(here)).toEqual([{ query: here }]);
    // Registered again (another client, another process): still one row.
    await gqlGet({ query: here, extensions: apq(here), variables: { slug: 'another' } }).expect(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(await rowsOf(here)).toHaveLength(1);

    // As another process would have stored it: this one never saw the text.
    const elsewhere = `query StoredElsewhere($slug: String!) { articles(filters: { slug: { eq: $slug } }) { title } }`;
    await table().insert({ key: `apq:${sha256(elsewhere)}`, query: elsewhere, created_at: new Date(), updated_at: new Date() });
    const answered = await gqlGet({ extensions: apq(elsewhere), variables }).expect(200);
    expect(answered.body).toEqual({ data: { articles: [{ title: story.title }] } });
  });

  it('the persisted-query table keeps the newest registrations: prune deletes all but the newest MAX_ROWS', async () => {
    const { store, table } = persisted();
    const now = new Date();
    await table().insert(Array.from({ length: 5 }, (_, i) => ({ key: `apq:prune-${i}`, query: `{ articles { slug } } # ${i}`, created_at: now, updated_at: now })));
    await store.prune(2);
    const left = await table().select('key').orderBy('id');
    expect(left.map((r: { key: string }) => r.key)).toEqual(['apq:prune-3', 'apq:prune-4']);
  });

  it('the persisted queries kept in memory hold at most MEMORY_CHARS: the least recently used is read from the database again', async () => {
    const { MEMORY_CHARS } = appModule<{ MEMORY_CHARS: number }>('src/graphql/persisted-queries');
    const { store } = persisted();
    const big = (i: number) => `{ articles { slug } } # ${String(i).repeat(Math.ceil(MEMORY_CHARS * 0.4))}`;
    for (const i of [1, 2, 3]) await store.set(`apq:memory-${i}`, big(i));
    // 1 and 2 and 3 are 1.2 times the bound: the oldest, 1, is no longer in memory.
    const [third, fromMemory] = await sqlDuring(() => store.get('apq:memory-3'));
    expect(third).toBe(big(3));
    expect(fromMemory).toBe(0);
    const [first, fromDatabase] = await sqlDuring(() => store.get('apq:memory-1'));
    expect(first).toBe(big(1));
    expect(fromDatabase).toBe(1);
  });

  it('key variables by value, not by spelling', async () => {
    const query = `query Two($slug: String!, $locale: I18NLocaleCode) { articles(filters: { slug: { eq: $slug } }, locale: $locale) { documentId } }`;
    await gqlGet({ query, variables: { slug: story.slug, locale: 'en' } }).expect(200);
    const [res, sql] = await sqlDuring(() => gqlGet({ query, variables: `{ "locale": "en",  "slug": ${JSON.stringify(story.slug)} }` }).expect(200));
    expect(sql).toBe(0);
    expect(res.body.data.articles).toEqual([{ documentId: storyId }]);
  });

  it('a publish: the next GET shows it', async () => {
    const docs = app.strapi.documents('api::article.article');
    await gqlGet({ query: STORY, variables: { slug: story.slug } }).expect(200);
    const standfirst = 'Published through the change feed, read over GraphQL.';
    await docs.update({ documentId: storyId, locale: 'en', data: { standfirst } });
    const [draftSaved, sql] = await sqlDuring(() => gqlGet({ query: STORY, variables: { slug: story.slug } }).expect(200));
    expect(sql).toBe(0); // a draft save changes nothing public
    expect(draftSaved.body.data.articles[0].standfirst).not.toBe(standfirst);
    await docs.publish({ documentId: storyId, locale: 'en' });
    const res = await gqlGet({ query: STORY, variables: { slug: story.slug } }).expect(200);
    expect(res.body.data.articles[0].standfirst).toBe(standfirst);
  });

  it('an entity rename evicts the queries showing it, with or without its documentId', async () => {
    const byId = `{ article(documentId: "${storyId}") { title entities(pagination: { limit: 100 }) { documentId name } } }`;
    const nameOnly = `{ articles { title entities(pagination: { limit: 100 }) { name } } }`;
    const bySlug = `{ articleBySlug(slug: "${story.slug}") { authors { name } } }`;
    const queries = [byId, nameOnly, bySlug];
    for (const query of queries) await gqlGet({ query }).expect(200);
    const entities = app.strapi.documents('api::entity.entity');
    const entity = await entities.findFirst({ filters: { slug: 'joe-biden' } });
    await entities.update({ documentId: entity!.documentId, data: { name: 'Joseph R. Biden' } });
    const shown = (text: string) => text.includes('Joseph R. Biden');
    expect(shown((await gqlGet({ query: byId }).expect(200)).text)).toBe(true);
    expect(shown((await gqlGet({ query: nameOnly }).expect(200)).text)).toBe(true);
    // The story's authors are shown without their documentIds: any entity's change evicts them.
    const [authors, sql] = await sqlDuring(() => gqlGet({ query: bySlug }).expect(200));
    expect(shown(authors.text)).toBe(false);
    expect(sql).toBeGreaterThan(0);
    await entities.update({ documentId: entity!.documentId, data: { name: 'Joe Biden' } });
  });

  it('a root field that found nothing is evicted when the document is published', async () => {
    const docs = app.strapi.documents('api::article.article');
    const draft = await docs.create({ locale: 'en', data: { title: 'Found later', slug: 'found-later-graphql', dateline: '2024-04-12' } as never });
    const query = `{ article(documentId: "${draft.documentId}") { title } }`;
    expect((await gqlGet({ query }).expect(200)).body.data.article).toBeNull();
    const [again, sql] = await sqlDuring(() => gqlGet({ query }).expect(200));
    expect(sql).toBe(0);
    expect(again.body.data.article).toBeNull();
    await docs.publish({ documentId: draft.documentId, locale: 'en' });
    expect((await gqlGet({ query }).expect(200)).body.data.article).toEqual({ title: 'Found later' });
    await docs.unpublish({ documentId: draft.documentId, locale: 'en' });
    expect((await gqlGet({ query }).expect(200)).body.data.article).toBeNull();
  });

  it('never keep drafts, errors, POSTs, reads with a token, or queries of other types', async () => {
    const token = await createApiToken(app.strapi, 'read-only');
    const draftQuery = `{ articles(status: DRAFT) { documentId title } }`;
    const size = cache().size;
    const refused = await gqlGet({ query: draftQuery });
    expect(refused.body.errors).toBeDefined();
    expect(refused.headers['cache-control'] ?? '').not.toMatch(/public/);
    const withToken = await gqlGet({ query: draftQuery }, { ...JSON_TYPE, Authorization: `Bearer ${token}` }).expect(200);
    expect(withToken.body.data.articles.length).toBeGreaterThan(0);
    expect(withToken.headers['cache-control']).toBeUndefined();
    for (const query of [`{ articles { nope } }`, `{ articles(pagination: { pageSize: 1000 }) { title } }`, `{ i18NLocales { code } }`, `mutation { deleteArticle(documentId: "${storyId}") { documentId } }`]) {
      const res = await gqlGet({ query });
      expect(res.headers['cache-control'] ?? '').not.toMatch(/public/);
      expect(res.headers['surrogate-key']).toBeUndefined();
    }
    expect(cache().size).toBe(size);
    const post = () => request(app.server).post('/graphql').send({ query: STORY, variables: { slug: story.slug } }).expect(200);
    await post();
    const [posted, sql] = await sqlDuring(post);
    expect(sql).toBeGreaterThan(0);
    expect(posted.headers['cache-control']).toBeUndefined();
    expect(cache().size).toBe(size);
  });

  it('hold the document limits on GETs as on POSTs', async () => {
    const deep = `{ articles { ${'localizations { '.repeat(11)}title${' }'.repeat(11)} } }`;
    const nested = `{"slug":${'['.repeat(70)}"x"${']'.repeat(70)}}`;
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ query: deep }, /exceeds maximum operation depth of 10/],
      [{ query: STORY, variables: nested }, /nest at most 64 levels/],
      [{ query: '{ articles { title } '.repeat(2) }, /Syntax Error/],
      [{ query: STORY, variables: '{"slug":' }, /variables/],
    ];
    for (const [params, message] of cases) {
      const res = await gqlGet(params).expect(400);
      expect(res.body.errors[0].message).toMatch(message);
    }
  });
});
