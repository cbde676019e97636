/**
 * Scheduled publishing and embargo: nothing is public before its publishAt, the scheduler
 * publishes it then (once, even when runs overlap), and unpublishes at unpublishAt. A scheduled
 * publish is a publish: the change feed records it.
 */
import request from 'supertest';
import type { ChangeFeed, ContentChange } from '../../src/changes';
import { accountsEnv, adminLogin, EDITOR } from '../helpers/admin';
import { sleep } from '../helpers/receiver';
import { appModule, bootStrapi, type TestApp } from '../helpers/strapi';

// What the booted app runs (its compiled modules, in the app's realm).
const { runSchedule } = appModule<typeof import('../../src/schedule')>('src/schedule');

const ARTICLE = 'api::article.article';
const ARTICLES = '/content-manager/collection-types/api::article.article';

let app: TestApp;
let stop: () => Promise<void>;
const changes: ContentChange[] = [];
const login = adminLogin(() => app.server);

beforeAll(async () => {
  ({ app, stop } = await bootStrapi({ env: { SCHEDULE_INTERVAL_SECONDS: '1', ...accountsEnv('EDITOR'), SEED_STORY: 'false' } }));
  const { changeFeed } = appModule<{ changeFeed: (s: unknown) => ChangeFeed }>('src/changes');
  changeFeed(app.strapi).subscribe((c) => {
    changes.push(...c);
  });
}, 120_000);

afterAll(async () => {
  await stop?.();
});

const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

async function draft(slug: string, data: Record<string, unknown> = {}): Promise<string> {
  const doc = await app.strapi.documents(ARTICLE).create({ locale: 'en', data: { title: slug, slug, dateline: '2024-04-12', ...data } as never });
  return doc.documentId;
}

async function publicSlugs(): Promise<string[]> {
  const rest = await request(app.server).get('/api/articles').query({ 'fields[0]': 'slug' }).expect(200);
  return rest.body.data.map((a: { slug: string }) => a.slug);
}

async function graphqlSlugs(): Promise<string[]> {
  const gql = await request(app.server).post('/graphql').send({ query: '{ articles { slug } }' }).expect(200);
  return gql.body.data.articles.map((a: { slug: string }) => a.slug);
}

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await sleep(200)) if (await check()) return;
  throw new Error(`not within ${timeoutMs} ms`);
}

describe('a story scheduled a few seconds ahead', () => {
  it('is refused an early Publish (the editor is told when it will go out), is invisible until then, and is then published once', async () => {
    const id = await draft('scheduled-story', { publishAt: inSeconds(4) });
    const before = changes.length;

    const early = await request(app.server)
      .post(`${ARTICLES}/${id}/actions/publish?locale=en`)
      .set({ Authorization: `Bearer ${await login(EDITOR)}` })
      .send({})
      .expect(400);
    expect(early.body.error.message).toMatch(/^publishAt is .*: not published before then/);
    expect(early.body.error.details.errors[0].path).toEqual(['publishAt']);
    expect(await publicSlugs()).not.toContain('scheduled-story');
    expect(await graphqlSlugs()).not.toContain('scheduled-story');

    await until(async () => (await publicSlugs()).includes('scheduled-story'));
    expect(await graphqlSlugs()).toContain('scheduled-story');
    await sleep(2_500); // two more scheduler runs
    const mine = changes.slice(before).filter((c) => c.documentId === id);
    expect(mine).toEqual([expect.objectContaining({ action: 'publish', documentId: id, locale: 'en', slug: 'scheduled-story' })]);
  });

  it('goes away at its unpublishAt', async () => {
    const id = await draft('embargo-ends', { unpublishAt: inSeconds(3) });
    await app.strapi.documents(ARTICLE).publish({ documentId: id, locale: 'en' });
    expect(await publicSlugs()).toContain('embargo-ends');
    await until(async () => !(await publicSlugs()).includes('embargo-ends'));
    expect(changes.filter((c) => c.documentId === id).map((c) => c.action)).toEqual(['publish', 'unpublish']);
  });
});

describe('the rules', () => {
  it('a publish through the content API before publishAt is a 400 too, and nothing is public', async () => {
    const id = await draft('api-early', { publishAt: inSeconds(3600) });
    await expect(app.strapi.documents(ARTICLE).publish({ documentId: id, locale: 'en' })).rejects.toThrow(/^publishAt is /);
    expect(await publicSlugs()).not.toContain('api-early');
  });

  it('publishing after unpublishAt has passed is refused, naming unpublishAt', async () => {
    const id = await draft('already-expired', { unpublishAt: new Date(Date.now() - 60_000).toISOString() });
    await expect(app.strapi.documents(ARTICLE).publish({ documentId: id, locale: 'en' })).rejects.toThrow(/^unpublishAt is .*already past/);
  });

  it('runs that overlap publish a due story once', async () => {
    const id = await draft('overlapping-runs', { publishAt: inSeconds(3600) });
    // Make it due without waiting: move publishAt into the past directly in the database.
    await app.strapi.db.query(ARTICLE).updateMany({ where: { documentId: id }, data: { publishAt: new Date(Date.now() - 1000) } });
    const before = changes.length;
    const runs = await Promise.all([runSchedule(app.strapi), runSchedule(app.strapi), runSchedule(app.strapi)]);
    await until(async () => (await publicSlugs()).includes('overlapping-runs'));
    // The cron's own run may be among those that overlapped, so this file's runs published it at most once...
    expect(runs.flatMap((r) => r.published).filter((p) => p.documentId === id).length).toBeLessThanOrEqual(1);
    // ...and all runs together, once.
    await sleep(1_500);
    expect(changes.slice(before).filter((c) => c.documentId === id && c.action === 'publish')).toHaveLength(1);
  });
});
