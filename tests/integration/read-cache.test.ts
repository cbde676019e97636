/**
 * The read cache in front of Strapi's stack: anonymous reads answered without Koa or SQL, byte
 * for byte what the full stack produced, and never stale after a change commits.
 */
import request from 'supertest';
import { createApiToken } from '../helpers/api-token';
import { sqlCounter } from '../helpers/sql';
import { appModule, useStrapi } from '../helpers/strapi';
import { story } from '../helpers/story';

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
