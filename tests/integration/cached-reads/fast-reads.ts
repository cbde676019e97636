/**
 * The fast public reads (src/reads): the article view by slug, the newest list, the articles
 * naming an entity, and GraphQL's batched relations. Each gives what the core route or the
 * GraphQL plugin would, in a number of SQL statements that does not grow with the content.
 */
import request from 'supertest';
import { sqlCounter } from '../../helpers/sql';
import { appModule, useStrapi } from '../../helpers/strapi';
import { FULL_POPULATE, story } from '../../helpers/story';

const app = useStrapi({ env: { REBUILD_POLL_MS: '600000', SCHEDULE_INTERVAL_SECONDS: '60' } });
const { sqlDuring } = sqlCounter(app);
const ARTICLE = 'api::article.article';

const get = (path: string, headers: Record<string, string> = {}) => request(app.server).get(path).set({ 'Cache-Control': 'no-cache', ...headers });
const paragraph = (text: string) => [{ type: 'paragraph', children: [{ type: 'text', text }] }];

let storyId: string;
let bigSlug: string;

/** A published article with `sections` sections and the first `entities` entities of the seed. */
async function publishArticle(slug: string, sections: number, entities: number, dateline = '2024-05-01'): Promise<string> {
  const all = await app.strapi.documents('api::entity.entity').findMany({ fields: ['documentId'], sort: 'id', limit: entities });
  const image = await app.strapi.documents('api::image.image').findFirst({ fields: ['documentId'] });
  const doc = await app.strapi.documents(ARTICLE).create({
    locale: 'en',
    data: {
      title: `Synthetic ${slug}`,
      slug,
      dateline,
      standfirst: 'A test article.',
      sections: Array.from({ length: sections }, (_, i) => ({ heading: `Part ${i}`, body: paragraph(`Paragraph ${i}.`) })),
      entities: all.map((e) => e.documentId),
      heroImage: image!.documentId,
    } as never,
  });
  await app.strapi.documents(ARTICLE).publish({ documentId: doc.documentId, locale: 'en' });
  return doc.documentId;
}

beforeAll(async () => {
  const found = await app.strapi.documents(ARTICLE).findFirst({ locale: 'en', filters: { slug: story.slug }, fields: ['documentId'] });
  storyId = found!.documentId;
  bigSlug = 'a-longer-synthetic-story';
  await publishArticle(bigSlug, 12, 20, '2024-03-01');
});

describe('GET /api/articles/slug/:slug', () => {
  it('is the core route with the full populate, field for field', async () => {
    const view = await get(`/api/articles/slug/${story.slug}`).expect(200);
    const core = await get(`/api/articles/${storyId}?${FULL_POPULATE}`).expect(200);
    expect(view.body).toEqual(core.body);
    expect(view.body.data.sections).toHaveLength(story.sections.length);
    expect(view.body.data.heroImage.asset.formats.thumbnail.url).toMatch(/^\/uploads\//);
    expect(view.body.data.heroImage.depicts.length).toBeGreaterThan(0);
    expect(view.body.data).not.toHaveProperty('createdBy');
  });

  it('sanitizes exactly as Strapi does for the Public role (the compiled projection)', async () => {
    const { publicProjection } = appModule<typeof import('../../../src/content-api/public-projection')>('src/content-api/public-projection.js');
    const { PUBLIC_READER } = appModule<typeof import('../../../src/content-api/public-reader')>('src/content-api/public-reader.js');
    const raw = await app.strapi.documents(ARTICLE).findOne({
      documentId: storyId,
      locale: 'en',
      status: 'published',
      populate: { sections: true, heroImage: { populate: { asset: true, depicts: true } }, entities: true, createdBy: true, updatedBy: true } as never,
    });
    const project = await publicProjection(app.strapi, ARTICLE);
    const bySanitizer = await app.strapi.contentAPI.sanitize.output(structuredClone(raw) as never, app.strapi.getModel(ARTICLE), { auth: PUBLIC_READER as never });
    expect(project(raw)).toEqual(bySanitizer);
    expect(project(raw)).not.toHaveProperty('createdBy');
  });

  it('runs the same few SQL statements for 4 or 12 sections and 23 or 20 entities', async () => {
    const [small, smallSql] = await sqlDuring(() => get(`/api/articles/slug/${story.slug}?locale=en`).expect(200));
    const [big, bigSql] = await sqlDuring(() => get(`/api/articles/slug/${bigSlug}?locale=en`).expect(200));
    expect(big.body.data.sections).toHaveLength(12);
    expect(small.body.data.entities).toHaveLength(story.entities.length);
    expect(smallSql).toBe(5);
    expect(bigSql).toBe(5);
    // The default locale is kept by each process (src/content-api/default-locale.ts): after the
    // first read that needs it, a read without ?locale= costs no more.
    await get(`/api/articles/slug/${story.slug}`).expect(200);
    const [, withoutLocale] = await sqlDuring(() => get(`/api/articles/slug/${bigSlug}`).expect(200));
    expect(withoutLocale).toBe(5);
  });

  it('with the core route explicitly populated, the same read costs more than twice the statements', async () => {
    const [, viewSql] = await sqlDuring(() => get(`/api/articles/slug/${story.slug}`).expect(200));
    const [, coreSql] = await sqlDuring(() => get(`/api/articles?filters[slug][$eq]=${story.slug}&${FULL_POPULATE}`).expect(200));
    expect(viewSql).toBe(5);
    expect(coreSql).toBeGreaterThan(2 * viewSql);
  });

  it.each([
    ['an unknown slug', '/api/articles/slug/no-such-story', 404, 'NotFoundError'],
    ['a slug that cannot be one', '/api/articles/slug/Not_A_Slug', 400, 'ValidationError'],
    ['an unknown locale', `/api/articles/slug/${story.slug}-x?locale=xx`, 400, 'ValidationError'],
    ['an unknown parameter', `/api/articles/slug/${story.slug}?populate=*`, 400, 'ValidationError'],
    ['two locales', `/api/articles/slug/${story.slug}?locale=en&locale=ru`, 400, 'ValidationError'],
  ])('%s (%s) is a %i JSON error', async (_what, path, status, name) => {
    const res = await get(path).expect(status);
    expect(res.body).toMatchObject({ data: null, error: { status, name } });
    expect(res.body.error.message).toEqual(expect.any(String));
  });

  it('never serves a draft, nor an article embargoed until later', async () => {
    const docs = app.strapi.documents(ARTICLE);
    await docs.create({ locale: 'en', data: { title: 'Draft only', slug: 'draft-only-story', dateline: '2024-04-12' } as never });
    const future = new Date(Date.now() + 86_400_000).toISOString();
    await docs.create({ locale: 'en', data: { title: 'Embargoed', slug: 'embargoed-story', dateline: '2024-04-12', publishAt: future } as never });
    for (const slug of ['draft-only-story', 'embargoed-story']) {
      await get(`/api/articles/slug/${slug}`).expect(404);
      await get(`/api/articles/slug/${slug}`, { 'Cache-Control': '' }).expect(404);
    }
    const newest = await get('/api/articles/newest?pageSize=100').expect(200);
    expect(newest.body.data.map((a: { slug: string }) => a.slug)).not.toEqual(expect.arrayContaining(['draft-only-story']));
    expect(newest.body.data.map((a: { slug: string }) => a.slug)).not.toEqual(expect.arrayContaining(['embargoed-story']));
  });

  it('is cached byte for byte: the hit has the status, headers and body the full stack gave', async () => {
    for (const path of [`/api/articles/slug/${story.slug}?locale=en`, '/api/articles/newest?pageSize=5', '/api/entities/joe-biden/articles']) {
      const miss = await request(app.server).get(path).set('Origin', 'https://www.example.com').expect(200);
      const [hit, sql] = await sqlDuring(() => request(app.server).get(path).set('Origin', 'https://www.example.com').expect(200));
      expect(sql).toBe(0);
      expect(hit.text).toBe(miss.text);
      const withoutDate = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).filter(([k]) => k !== 'date'));
      expect(withoutDate(hit.headers)).toEqual(withoutDate(miss.headers));
    }
  });

  it('is cached, answers 304 to its ETag, and shows a published edit at once', async () => {
    const path = `/api/articles/slug/${bigSlug}`;
    const first = await request(app.server).get(path).expect(200);
    expect(first.headers['surrogate-key'].split(' ')).not.toContain('list:articles');
    await request(app.server).get(path).set('If-None-Match', first.headers.etag).expect(304);
    const doc = await app.strapi.documents(ARTICLE).findFirst({ locale: 'en', filters: { slug: bigSlug }, fields: ['documentId'] });
    await app.strapi.documents(ARTICLE).update({ documentId: doc!.documentId, locale: 'en', data: { standfirst: 'Edited and published.' } });
    await app.strapi.documents(ARTICLE).publish({ documentId: doc!.documentId, locale: 'en' });
    const after = await request(app.server).get(path).expect(200);
    expect(after.body.data.standfirst).toBe('Edited and published.');
  });
});

describe('the view after a change, read from the cache', () => {
  it('an image caption edited: the article showing it has the new caption at once', async () => {
    const path = `/api/articles/slug/${story.slug}`;
    await request(app.server).get(path).expect(200);
    const image = await app.strapi.documents('api::image.image').findFirst({ fields: ['documentId'] });
    await app.strapi.documents('api::image.image').update({ documentId: image!.documentId, data: { caption: 'A new caption.' } });
    const after = await request(app.server).get(path).expect(200);
    expect(after.body.data.heroImage.caption).toBe('A new caption.');
  });

  it('an article deleted: 410 Gone at once (its slug was published), and gone from the newest list', async () => {
    const documentId = await publishArticle('to-be-deleted', 4, 1, new Date().toISOString().slice(0, 10));
    await request(app.server).get('/api/articles/slug/to-be-deleted').expect(200);
    const before = await request(app.server).get('/api/articles/newest?pageSize=1').expect(200);
    expect(before.body.data[0].slug).toBe('to-be-deleted');
    await app.strapi.documents(ARTICLE).delete({ documentId, locale: '*' } as never);
    await request(app.server).get('/api/articles/slug/to-be-deleted').expect(410);
    const after = await request(app.server).get('/api/articles/newest?pageSize=1').expect(200);
    expect(after.body.data[0].slug).not.toBe('to-be-deleted');
  });
});

describe('lists', () => {
  it('newest first, paged with hasNextPage, summaries with the hero image', async () => {
    await publishArticle('newest-story-of-all', 4, 2, '2024-06-01');
    const page1 = await get('/api/articles/newest?pageSize=2').expect(200);
    expect(page1.body.data.map((a: { slug: string }) => a.slug)).toEqual(['newest-story-of-all', story.slug]);
    expect(page1.body.meta.pagination).toEqual({ page: 1, pageSize: 2, hasNextPage: true });
    expect(page1.body.data[0].heroImage.asset.url).toMatch(/^\/uploads\//);
    expect(page1.body.data[0]).not.toHaveProperty('sections');
    const page2 = await get('/api/articles/newest?pageSize=2&page=2').expect(200);
    expect(page2.body.data.map((a: { slug: string }) => a.slug)).toContain(bigSlug);
    await get('/api/articles/newest?pageSize=101').expect(400);
    await get('/api/articles/newest?page=0').expect(400);
  });

  it('the articles naming an entity, and a 404 for an unknown entity', async () => {
    const res = await get('/api/entities/joe-biden/articles').expect(200);
    expect(res.body.meta.entity).toMatchObject({ slug: 'joe-biden', name: 'Joe Biden' });
    expect(res.body.data.map((a: { slug: string }) => a.slug)).toContain(story.slug);
    const none = await get('/api/entities/no-such-entity/articles').expect(404);
    expect(none.body.error.name).toBe('NotFoundError');
  });

  it('a list run costs the same statements for 1 or 3 articles', async () => {
    const [one, oneSql] = await sqlDuring(() => get('/api/articles/newest?pageSize=1&locale=en').expect(200));
    const [three, threeSql] = await sqlDuring(() => get('/api/articles/newest?pageSize=3&locale=en').expect(200));
    expect(one.body.data).toHaveLength(1);
    expect(three.body.data).toHaveLength(3);
    expect(threeSql).toBe(oneSql);
    expect(oneSql).toBe(2);
  });

  it('an entity rename shows at once in the cached list of articles naming it', async () => {
    const path = '/api/entities/antony-blinken/articles';
    await request(app.server).get(path).expect(200);
    const entity = await app.strapi.documents('api::entity.entity').findFirst({ filters: { slug: 'antony-blinken' } });
    await app.strapi.documents('api::entity.entity').update({ documentId: entity!.documentId, data: { name: 'Tony Blinken' } });
    const after = await request(app.server).get(path).expect(200);
    expect(after.body.meta.entity.name).toBe('Tony Blinken');
    const view = await request(app.server).get(`/api/articles/slug/${story.slug}`).expect(200);
    expect(view.body.data.entities.map((e: { name: string }) => e.name)).toContain('Tony Blinken');
  });
});

describe('GraphQL relations, batched', () => {
  const query = (args: string, limit: number) => `query { articles(pagination: { limit: ${limit} }, sort: "dateline:desc") { documentId title
    sections${args} { heading body } updates${args} { note } heroImage { caption asset { url formats } depicts${args} { name slug } }
    entities${args} { name slug kind } localizations${args} { locale slug } } }`;
  const gql = (q: string) => request(app.server).post('/graphql').send({ query: q });

  it('answer what the plugin resolvers answer', async () => {
    const batched = await gql(query('', 10)).expect(200);
    // `filters: {}` sends each field to the plugin's own resolver.
    const stock = await gql(query('(filters: {})', 10)).expect(200);
    expect(batched.body.errors).toBeUndefined();
    expect(batched.body.data.articles.length).toBeGreaterThanOrEqual(3);
    expect(batched.body).toEqual(stock.body);
  });

  it('cost the same statements for a page of 1 or of 3 articles; the plugin resolvers grow', async () => {
    const [one, oneSql] = await sqlDuring(() => gql(query('', 1)).expect(200));
    const [three, threeSql] = await sqlDuring(() => gql(query('', 3)).expect(200));
    expect(one.body.data.articles).toHaveLength(1);
    expect(three.body.data.articles).toHaveLength(3);
    expect(threeSql).toBe(oneSql);
    const [, stockOne] = await sqlDuring(() => gql(query('(filters: {})', 1)).expect(200));
    const [, stockThree] = await sqlDuring(() => gql(query('(filters: {})', 3)).expect(200));
    expect(stockThree).toBeGreaterThan(stockOne);
    expect(threeSql).toBeLessThan(stockThree);
  });

  describe('articleBySlug', () => {
    // The fields the bench asks for; `filters: {}` sends each relation to the plugin's own resolver.
    const fields = (f: string) => `documentId title slug standfirst dateline locale sections${f} { heading body } updates${f} { kind at note }
      heroImage { caption credit agency asset { name url mime width height formats } depicts${f} { name slug } }
      entities(pagination: { limit: 100 }${f ? ', filters: {}' : ''}) { name slug kind description aliases wikidataId } localizations${f} { locale slug title }`;
    const bySlug = (slug: string, extra = '') => gql(`query { articleBySlug(slug: "${slug}"${extra}) { ${fields('')} } }`);

    beforeAll(async () => {
      // A published translation, so that localizations has something to load.
      await app.strapi.documents(ARTICLE).update({ documentId: storyId, locale: 'ru', data: { title: 'США предупреждают союзников', slug: 'ssha-preduprezhdayut', dateline: '2024-04-10' } as never });
      await app.strapi.documents(ARTICLE).publish({ documentId: storyId, locale: 'ru' });
    });

    it('answers what the plugin resolvers answer for the same article, localizations included', async () => {
      const mine = await bySlug(story.slug).expect(200);
      const stock = await gql(`query { articles(filters: { slug: { eq: "${story.slug}" } }) { ${fields('(filters: {})')} } }`).expect(200);
      expect(mine.body.errors).toBeUndefined();
      expect(mine.body.data.articleBySlug.localizations).toEqual([expect.objectContaining({ locale: 'ru', slug: 'ssha-preduprezhdayut' })]);
      expect(mine.body.data.articleBySlug).toEqual(stock.body.data.articles[0]);
      const ru = await bySlug('ssha-preduprezhdayut', ', locale: "ru"').expect(200);
      expect(ru.body.data.articleBySlug).toMatchObject({ locale: 'ru', localizations: [expect.objectContaining({ locale: 'en' })] });
    });

    it('costs the statements of the REST view, with or without localizations; an unknown slug is null', async () => {
      // The fewest statements of two runs each: a cache with a time to live (the Public role's
      // permissions, the locales) refreshing during one run adds its statements to that run only.
      const fewest = async (work: () => Promise<unknown>) => Math.min((await sqlDuring(work))[1], (await sqlDuring(work))[1]);
      const viewSql = await fewest(() => get(`/api/articles/slug/${story.slug}`).expect(200));
      const withSql = await fewest(() => bySlug(story.slug).expect(200));
      const withoutSql = await fewest(() => gql(`query { articleBySlug(slug: "${story.slug}") { title sections { heading } } }`).expect(200));
      expect(withSql).toBe(viewSql);
      expect(withoutSql).toBe(viewSql - 1);
      const none = await bySlug('no-such-story').expect(200);
      expect(none.body).toEqual({ data: { articleBySlug: null } });
    });
  });

  it('keep the default page size of relation lists (25)', async () => {
    const res = await gql(`query { articles(filters: { slug: { eq: "${story.slug}" } }) { entities { slug } all: entities(pagination: { limit: 100 }) { slug } } }`).expect(200);
    expect(res.body.data.articles[0].all).toHaveLength(story.entities.length);
    expect(res.body.data.articles[0].entities).toHaveLength(Math.min(25, story.entities.length));
  });
});
