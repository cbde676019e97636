/**
 * Image rights: an image whose rights expire leaves every public answer at that moment — the
 * article view, lists, GraphQL, the feed and structured data, its own reads — through the
 * scheduler and the change feed, so the read cache evicts and sites get one rebuild; an article
 * with an expired hero image cannot be published; the newsroom still sees it and can renew it.
 */
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { accountsEnv, adminLogin, EDITOR } from '../helpers/admin';
import { sleep, startReceiver, type Receiver } from '../helpers/receiver';
import { sqlCounter } from '../helpers/sql';
import { bootStrapi, type TestApp } from '../helpers/strapi';
import { story } from '../helpers/story';

const ARTICLE = 'api::article.article';
const IMAGE = 'api::image.image';
const SITE = '/hooks/site';
const DEBOUNCE_MS = 300;

let app: TestApp;
let stop: () => Promise<void>;
let receiver: Receiver;
const login = adminLogin(() => app.server);

beforeAll(async () => {
  receiver = await startReceiver();
  ({ app, stop } = await bootStrapi({
    env: {
      ...accountsEnv('EDITOR'),
      SCHEDULE_INTERVAL_SECONDS: '1',
      REBUILD_WEBHOOK_URLS: `${receiver.url}${SITE}`,
      REBUILD_WEBHOOK_SECRET: `whsec_${randomBytes(32).toString('base64')}`,
      REBUILD_DEBOUNCE_MS: String(DEBOUNCE_MS),
      REBUILD_POLL_MS: '5000',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    },
  }));
}, 120_000);

afterAll(async () => {
  await stop?.();
  await receiver?.close();
});

const graphql = (query: string) => request(app.server).post('/graphql').send({ query }).expect(200);

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await sleep(100)) if (await check()) return;
  throw new Error('timed out');
}

describe('an image whose rights expire', () => {
  let imageId: string;
  let articleSlug: string;
  let mark: number;

  beforeAll(async () => {
    const seeded = (await app.strapi.documents(IMAGE).findFirst({ populate: { asset: { fields: ['id'] } } } as never)) as unknown as { asset: { id: number } };
    const image = await app.strapi.documents(IMAGE).create({
      data: { asset: seeded.asset.id, caption: 'A licensed picture', altText: 'Licensed', credit: 'A. Photographer', agency: 'AGENCY', licence: 'licensed', licenceUrl: 'https://agency.example.com/terms', usageTerms: 'Editorial use until the date given.', rightsExpireAt: new Date(Date.now() + 5_000).toISOString() },
    } as never);
    imageId = image.documentId;
    articleSlug = 'rights-expire-story';
    const article = await app.strapi.documents(ARTICLE).create({ locale: 'en', data: { title: 'Rights expire', slug: articleSlug, dateline: '2024-04-13', heroImage: imageId } } as never);
    await app.strapi.documents(ARTICLE).publish({ documentId: article.documentId, locale: 'en' } as never);
    // The seed's and this publish's rebuild first: what follows is the expiry's alone.
    await receiver.waitFor((r) => r.path === SITE && String(r.body).includes(articleSlug), 1, 10_000);
    mark = receiver.requests.length;
  });

  it('is public until then, everywhere, with its licence', async () => {
    const view = await request(app.server).get(`/api/articles/slug/${articleSlug}?locale=en`).expect(200);
    expect(view.body.data.heroImage).toMatchObject({ documentId: imageId, licence: 'licensed', licenceUrl: 'https://agency.example.com/terms' });
    expect(view.body.data.heroImage).not.toHaveProperty('rightsExpiryAnnouncedFor');
    await request(app.server).get(`/api/images/${imageId}`).expect(200);
    // Kept in the read cache from here on: only an eviction changes this answer (its TTL is 300 s).
    const [again, sql] = await sqlCounter(app).sqlDuring(() => request(app.server).get(`/api/articles/slug/${articleSlug}?locale=en`).expect(200));
    expect(sql).toBe(0);
    expect(again.text).toBe(view.text);
    const gql = await graphql(`{ image(documentId: "${imageId}") { caption licence } }`);
    expect(gql.body.data.image).toEqual({ caption: 'A licensed picture', licence: 'licensed' });
  });

  it('leaves the view, the list, GraphQL, the feed and structured data at its expiry, evicting the cache, with one rebuild', async () => {
    await until(async () => (await request(app.server).get(`/api/articles/slug/${articleSlug}?locale=en`)).body.data.heroImage === null);

    await request(app.server).get(`/api/images/${imageId}`).expect(404);
    const list = await request(app.server).get('/api/images?pagination[pageSize]=100').expect(200);
    expect(list.body.data.map((i: { documentId: string }) => i.documentId)).not.toContain(imageId);
    const rest = await request(app.server).get(`/api/articles?filters[slug][$eq]=${articleSlug}&populate=heroImage`).expect(200);
    expect(rest.body.data[0].heroImage).toBeNull();
    const newest = await request(app.server).get('/api/articles/newest?locale=en').expect(200);
    expect(newest.body.data.find((a: { slug: string }) => a.slug === articleSlug).heroImage).toBeNull();
    const gql = await graphql(`{ image(documentId: "${imageId}") { caption } articles(filters: { slug: { eq: "${articleSlug}" } }) { heroImage { caption } } }`);
    expect(gql.body.data).toEqual({ image: null, articles: [{ heroImage: null }] });
    const feed = await request(app.server).get('/api/feeds/articles.rss').buffer(true).parse((res, cb) => { let t = ''; res.on('data', (c: Buffer) => (t += c)); res.on('end', () => cb(null, t)); }).expect(200);
    expect(feed.body as string).toContain('Rights expire');
    expect(feed.body as string).not.toContain('A licensed picture');
    const ld = await request(app.server).get(`/api/articles/slug/${articleSlug}/structured-data?locale=en`).expect(200);
    expect(JSON.stringify(JSON.parse(ld.text))).not.toContain('A licensed picture');

    // The scheduler announced it once: one rebuild naming the image and its article.
    await sleep(DEBOUNCE_MS * 4 + 1_500);
    const rebuilds = receiver.requests.slice(mark).filter((r) => r.path === SITE && String(r.body).includes(imageId));
    expect(rebuilds).toHaveLength(1);
    expect(String(rebuilds[0].body)).toContain(articleSlug);
  });

  it('is recorded in its history as the scheduler’s, and the newsroom still sees it', async () => {
    const auth = { Authorization: `Bearer ${await login(EDITOR)}` };
    const history = await request(app.server).get(`/newsroom/history/${IMAGE}/${imageId}`).set(auth).expect(200);
    expect(history.body.data[0]).toMatchObject({ by: { kind: 'scheduler' }, note: expect.stringMatching(/^Rights expired at /) });
    await request(app.server).get(`/content-manager/collection-types/${IMAGE}/${imageId}`).set(auth).expect(200);
  });

  it('cannot be the hero image of an article being published (400 naming heroImage)', async () => {
    const auth = { Authorization: `Bearer ${await login(EDITOR)}` };
    const created = await request(app.server)
      .post(`/content-manager/collection-types/${ARTICLE}?locale=en`)
      .set(auth)
      .send({ title: 'Uses an expired picture', slug: 'uses-expired-picture', dateline: '2024-04-14', heroImage: { connect: [imageId] } })
      .expect(201);
    const res = await request(app.server).post(`/content-manager/collection-types/${ARTICLE}/${created.body.data.documentId}/actions/publish?locale=en`).set(auth).send({}).expect(400);
    expect(res.body.error.message).toMatch(/^heroImage has rights that expired at /);
    expect(res.body.error.details.errors[0].path).toEqual(['heroImage']);
    await request(app.server).get('/api/articles/slug/uses-expired-picture?locale=en').expect(404);
  });

  it('comes back when the newsroom renews its rights', async () => {
    const auth = { Authorization: `Bearer ${await login(EDITOR)}` };
    await request(app.server).put(`/content-manager/collection-types/${IMAGE}/${imageId}`).set(auth).send({ rightsExpireAt: null }).expect(200);
    const view = await request(app.server).get(`/api/articles/slug/${articleSlug}?locale=en`).expect(200);
    expect(view.body.data.heroImage).toMatchObject({ documentId: imageId });
    await request(app.server).get(`/api/images/${imageId}`).expect(200);
  });
});

describe('the seeded story', () => {
  it('carries its Reuters photo as an agency picture with no expiry', async () => {
    const view = await request(app.server).get(`/api/articles/slug/${story.slug}?locale=en`).expect(200);
    expect(view.body.data.heroImage).toMatchObject({ agency: 'REUTERS', licence: 'agency', rightsExpireAt: null });
  });
});
