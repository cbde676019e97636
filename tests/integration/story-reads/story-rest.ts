import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { newsroomClient, type Article } from '../../../client';
import { appDir, appModule, useStrapi } from '../../helpers/strapi';
import { expectedEntities, expectedSections, story } from '../../helpers/story';

// The seed the booted app runs (the compiled module, in the app's realm).
const { seedStory } = appModule<typeof import('../../../database/seed')>('database/seed');

const app = useStrapi();

async function getStory() {
  const res = await request(app.server)
    .get('/api/articles')
    .query({ 'filters[slug][$eq]': story.slug, locale: 'en' })
    .expect(200);
  expect(res.body.data).toHaveLength(1);
  return res.body.data[0];
}

describe('the seeded story over REST', () => {
  it('reads back the headline, slug, standfirst and dateline exactly as the source gives them', async () => {
    const article = await getStory();
    expect(article).toMatchObject({
      title: 'US Warns Allies of China’s Growing Support for Russia Amid Ukraine Conflict',
      slug: 'us-warns-allies-of-chinas-growing-support-for-russia-amid-ukraine-conflict',
      standfirst:
        'The Biden Administration has sanctioned Chinese entities for facilitating transfers of vital technology to Russia, underscoring its efforts to curb Beijing’s support for Moscow.',
      dateline: '2024-04-10',
      locale: 'en',
    });
    expect(article.publishedAt).toEqual(expect.any(String));
  });

  it('has the untitled lead, then each headed section with one paragraph block per paragraph, in order', async () => {
    const article = await getStory();
    const sections = article.sections.map(({ heading, body }: { heading: string | null; body: unknown }) => ({ heading, body }));
    expect(sections).toEqual(expectedSections);
    expect(sections.map((s: { heading: string | null }) => s.heading)).toEqual([null, 'Xi-Biden Talks', 'China-Russia Ties', 'US Sanctions']);
    expect(sections[3].body[3].children[0].text).toBe(
      'As Ukraine faces an acute shortage of artillery and struggles with resupply efforts, Russia has bolstered its domestic arms production and continues to import crucial components through third-party networks, along with receiving weaponry from countries like North Korea and Iran.',
    );
  });

  it('has the hero image with caption, credit, agency, place, date and whom it depicts', async () => {
    const { heroImage } = await getStory();
    expect(heroImage).toMatchObject({
      caption:
        'US President Joe Biden (L) meets with Chinese President Xi Jinping on the sidelines of the APEC summit, in Woodside, California, US, 15 November 2023.',
      credit: 'Kevin Lamarque',
      agency: 'REUTERS',
      location: 'Woodside, California, US',
      takenAt: '2023-11-15',
      altText: story.heroImage.altText,
    });
    expect(heroImage.depicts.map((e: { slug: string }) => e.slug)).toEqual(['joe-biden', 'xi-jinping']);
  });

  it('serves the placeholder photo through the upload pipeline, with generated formats', async () => {
    const { heroImage } = await getStory();
    const { asset } = heroImage;
    expect(asset).toMatchObject({ name: 'placeholder-biden-xi-apec-woodside-2023.jpg', mime: 'image/jpeg', width: 1200, height: 800 });
    expect(Object.keys(asset.formats).sort()).toEqual(['large', 'medium', 'small', 'thumbnail']);
    const file = await request(app.server).get(asset.url).expect(200);
    expect(file.headers['content-type']).toBe('image/jpeg');
    const thumb = await request(app.server).get(asset.formats.thumbnail.url).expect(200);
    expect(thumb.body.length).toBe(asset.formats.thumbnail.sizeInBytes);
  });

  it('links every entity the story names, in order of first mention, with the roles the story gives', async () => {
    const { entities } = await getStory();
    const shaped = entities.map(({ name, slug, kind, description, aliases, wikidataId }: Record<string, unknown>) => ({
      name,
      slug,
      kind,
      description,
      aliases,
      wikidataId,
    }));
    expect(shaped).toEqual(expectedEntities);
    const watson = shaped.find((e: { slug: string }) => e.slug === 'adrienne-watson');
    expect(watson).toMatchObject({ kind: 'person', description: 'spokesperson for the White House National Security Council' });
  });

  it('finds the story by documentId, and entities and images through their own endpoints', async () => {
    const article = await getStory();
    const one = await request(app.server).get(`/api/articles/${article.documentId}`).expect(200);
    expect(one.body.data.title).toBe(story.title);
    expect(one.body.data.sections).toHaveLength(4);

    const people = await request(app.server)
      .get('/api/entities')
      .query({ 'filters[kind][$eq]': 'person', sort: 'name:asc', 'pagination[pageSize]': 100 })
      .expect(200);
    expect(people.body.data.map((e: { name: string }) => e.name)).toEqual([
      'Adrienne Watson',
      'Antony Blinken',
      'Janet Yellen',
      'Joe Biden',
      'Vladimir Putin',
      'Xi Jinping',
    ]);

    const images = await request(app.server).get('/api/images').expect(200);
    expect(images.body.data).toHaveLength(1);
    expect(images.body.data[0].asset.url).toMatch(/^\/uploads\/placeholder_biden_xi_apec_woodside_2023_[0-9a-f]+\.jpg$/);
  });

  it('gives exactly the fields asked for, with no relations, when the client names fields only', async () => {
    const res = await request(app.server).get('/api/articles').query({ 'fields[0]': 'title', 'fields[1]': 'dateline' }).expect(200);
    expect(res.body.data).toEqual([{ id: expect.any(Number), documentId: expect.any(String), title: story.title, dateline: story.dateline }]);
  });

  it('lets a client choose its own populate, fields, sort and pagination', async () => {
    const res = await request(app.server)
      .get('/api/articles')
      .query({ 'fields[0]': 'title', 'populate[heroImage][fields][0]': 'credit', sort: 'dateline:desc', 'pagination[pageSize]': 1 })
      .expect(200);
    expect(res.body.data[0]).toEqual({
      id: expect.any(Number),
      documentId: expect.any(String),
      title: story.title,
      heroImage: { id: expect.any(Number), documentId: expect.any(String), credit: 'Kevin Lamarque' },
    });
    expect(res.body.meta.pagination).toEqual({ page: 1, pageSize: 1, pageCount: 1, total: 1 });
  });
});

describe('seeding', () => {
  async function counts() {
    const s = app.strapi;
    return {
      articles: await s.db.query('api::article.article').count(),
      images: await s.db.query('api::image.image').count(),
      entities: await s.db.query('api::entity.entity').count(),
      files: await s.db.query('plugin::upload.file').count(),
      sections: await s.db.query('story.section').count(),
    };
  }

  it('is idempotent: seeding twice more creates nothing and changes no row', async () => {
    const before = await counts();
    // a draft row and a published row per locale, one row per entity, image and file
    expect(before).toEqual({ articles: 2, images: 1, entities: 23, files: 1, sections: 8 });

    const again = await seedStory(app.strapi, appDir);
    const third = await seedStory(app.strapi, appDir);
    expect(again.created).toEqual({ entities: 0, image: false, article: false });
    expect(third.articleDocumentId).toBe(again.articleDocumentId);
    expect(await counts()).toEqual(before);
  });

  it('keeps an editor’s change to a seeded entity when seeding again', async () => {
    const putin = await app.strapi.documents('api::entity.entity').findFirst({ filters: { slug: 'vladimir-putin' } });
    await app.strapi.documents('api::entity.entity').update({ documentId: putin!.documentId, data: { description: 'President of Russia' } });
    try {
      await seedStory(app.strapi, appDir);
      const after = await app.strapi.documents('api::entity.entity').findOne({ documentId: putin!.documentId });
      expect(after!.description).toBe('President of Russia');
    } finally {
      // The story as seeded again (no description: null), for the modules that read it after this one (story-reads.test.ts).
      await app.strapi.documents('api::entity.entity').update({ documentId: putin!.documentId, data: { description: putin!.description as string } });
    }
  });
});

describe('the typed client (client/, openapi-fetch over openapi.json)', () => {
  let base: string;

  beforeAll(() => {
    // bootStrapi has the server listening on a port of its own.
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });

  it('reads the story by slug, the newest list and an entity’s articles, typed', async () => {
    const api = newsroomClient(base);
    const view = await api.GET('/api/articles/slug/{slug}', { params: { path: { slug: story.slug }, query: { locale: 'en' } } });
    expect(view.response.status).toBe(200);
    const article: Article | undefined = view.data?.data;
    expect(article?.title).toBe(story.title);
    expect(article?.sections?.map((s) => s.heading)).toEqual(expectedSections.map((s) => s.heading));

    const newest = await api.GET('/api/articles/newest', { params: { query: { locale: 'en', pageSize: 5 } } });
    expect(newest.data?.data.map((a) => a.slug)).toContain(story.slug);
    expect(newest.data?.meta.pagination.pageSize).toBe(5);

    const naming = await api.GET('/api/entities/{slug}/articles', { params: { path: { slug: 'joe-biden' } } });
    expect(naming.data?.data.map((a) => a.slug)).toContain(story.slug);
  });

  it('sends Strapi’s filters with qs, and gets the error shape on a bad one', async () => {
    const api = newsroomClient(base);
    const found = await api.GET('/api/articles', { params: { query: { filters: { slug: { $eq: story.slug } }, fields: ['title'], pagination: { pageSize: 1 } } } });
    expect(found.data?.data.map((a) => a.title)).toEqual([story.title]);
    expect(found.data?.meta.pagination).toMatchObject({ pageSize: 1, total: 1 });
    const bad = await api.GET('/api/articles', { params: { query: { pagination: { pageSize: 1000 } } } });
    expect(bad.response.status).toBe(400);
    expect(bad.error?.error.message).toMatch(/pageSize must be at most 100/);
  });
});
