/**
 * The synthetic archive (`npm run seed:synthetic`): deterministic whatever the batches, stored
 * the way Strapi stores published documents, read back by every API like an editor's article.
 */
import request from 'supertest';
import { FULL_POPULATE } from '../../helpers/story';
import { useStrapi } from '../../helpers/strapi';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { seedSynthetic } = require('../../../database/seed/synthetic') as {
  seedSynthetic(strapi: unknown, opts: Record<string, number>, log?: (line: string) => void): Promise<{ added: number }>;
};

const app = useStrapi({ env: { REBUILD_POLL_MS: '600000', SCHEDULE_INTERVAL_SECONDS: '60' } });
const knex = () => app.strapi.db.connection;

const fingerprint = async () =>
  (await knex()('articles').where('slug', 'like', 'synthetic-%').orderBy(['slug', 'locale', 'published_at']).select('document_id', 'slug', 'locale', 'title', 'dateline'))
    .map((r: Record<string, unknown>) => `${r.slug} ${r.locale} ${r.document_id} ${r.title} ${String(r.dateline)}`)
    .join('\n');

describe('seed:synthetic', () => {
  const log: string[] = [];

  it('writes 1,000 articles in batches, then extends to 1,200 without touching the first 1,000', async () => {
    const first = await seedSynthetic(app.strapi, { articles: 1000, entities: 500, batch: 300 }, (line) => log.push(line));
    expect(first.added).toBe(1000);
    expect(log).toContain('articles 0 -> 1000');
    expect(log).toEqual(expect.arrayContaining([expect.stringMatching(/^articles 300\/1000 \(\d+\/s\)$/), expect.stringMatching(/^articles 1000\/1000 \(\d+\/s\)$/)]));
    const before = await fingerprint();
    expect((await seedSynthetic(app.strapi, { articles: 1000, entities: 500 }, () => undefined)).added).toBe(0);
    expect((await seedSynthetic(app.strapi, { articles: 1200, entities: 500, batch: 1000 }, () => undefined)).added).toBe(200);
    const after = await fingerprint();
    const kept = new Set(after.split('\n'));
    expect(before.split('\n').every((line) => kept.has(line))).toBe(true);
  }, 120_000);

  it('stores each as a draft row and a published row with 4–10 sections and 2–12 entities, skewed to a few', async () => {
    const rows = await knex()('articles').where('slug', 'like', 'synthetic-%').where('locale', 'en').select(knex().raw('count(*) as n'), knex().raw('count(published_at) as published')).first();
    expect(Number(rows.n)).toBe(2400);
    expect(Number(rows.published)).toBe(1200);
    // One in twenty also in each other locale, in its own words (k = 1, 21, … in Russian; 2, 22, … Ukrainian; 3, 23, … Chinese).
    const localized = await knex()('articles').where('slug', 'like', 'synthetic-%').whereNot('locale', 'en').whereNotNull('published_at').groupBy('locale').select('locale', knex().raw('count(*) as n')).orderBy('locale');
    expect(localized.map((r: { locale: string; n: number | string }) => [r.locale, Number(r.n)])).toEqual([['ru', 60], ['uk', 60], ['zh-Hans', 60]]);
    const titles = await knex()('articles').whereIn('slug', ['synthetic-1', 'synthetic-2', 'synthetic-3']).whereNotNull('published_at').whereNot('locale', 'en').orderBy('slug').pluck('title');
    expect(titles).toEqual([expect.stringMatching(/^Синтетическая статья 1: [а-яё ]+$/iu), expect.stringMatching(/^Синтетична стаття 2: [а-яіїєґ' ]+$/iu), expect.stringMatching(/^合成报道 3: \p{Script=Han}+$/u)]);
    const sections = await knex()('articles_cmps')
      .join('articles', 'articles.id', 'articles_cmps.entity_id')
      .where('articles.slug', 'like', 'synthetic-%')
      .groupBy('articles.id')
      .select(knex().raw('count(*) as n'));
    const counts = sections.map((r: { n: number | string }) => Number(r.n));
    expect(Math.min(...counts)).toBe(4);
    expect(Math.max(...counts)).toBe(10);
    const named = await knex()('articles_entities_lnk')
      .join('articles', 'articles.id', 'articles_entities_lnk.article_id')
      .where('articles.slug', 'like', 'synthetic-%')
      .whereNotNull('articles.published_at')
      .groupBy('articles_entities_lnk.entity_id')
      .select(knex().raw('count(*) as n'));
    const perEntity = named.map((r: { n: number | string }) => Number(r.n)).sort((a: number, b: number) => b - a);
    // Zipf: the most named entity is in far more stories than the median one.
    expect(perEntity[0]).toBeGreaterThan(20 * perEntity[Math.floor(perEntity.length / 2)]);
  });

  it('reads back through the API like any article: view = core route, lists, GraphQL, the draft', async () => {
    const view = await request(app.server).get('/api/articles/slug/synthetic-1199').expect(200);
    const core = await request(app.server).get(`/api/articles/${view.body.data.documentId}?${FULL_POPULATE}`).expect(200);
    expect(view.body).toEqual(core.body);
    // A localization, as the core route gives it too.
    const russian = await request(app.server).get('/api/articles/slug/synthetic-1181?locale=ru').expect(200);
    const russianCore = await request(app.server).get(`/api/articles/${russian.body.data.documentId}?locale=ru&${FULL_POPULATE}`).expect(200);
    expect(russian.body).toEqual(russianCore.body);
    expect(russian.body.data.localizations.map((l: { locale: string }) => l.locale)).toEqual(['en']);
    // The newest synthetic articles, in order, among what the file's other modules wrote before.
    const newest = await request(app.server).get('/api/articles/newest?pageSize=10').expect(200);
    expect(newest.body.data.map((a: { slug: string }) => a.slug).filter((slug: string) => slug.startsWith('synthetic-')).slice(0, 2)).toEqual(['synthetic-1199', 'synthetic-1198']);
    const gql = await request(app.server)
      .post('/graphql')
      .send({ query: '{ articles(filters: { slug: { eq: "synthetic-7" } }) { title sections { heading } entities { slug } heroImage { asset { url } } } }' })
      .expect(200);
    expect(gql.body.data.articles[0].sections.length).toBeGreaterThanOrEqual(4);
    const draft = await app.strapi.documents('api::article.article').findOne({ documentId: view.body.data.documentId, locale: 'en', status: 'draft', populate: ['sections'] as never });
    expect(draft!.title).toBe(view.body.data.title);
  });

  it('leaves Strapi able to create the next article (ids and sequences moved past the seeded ones)', async () => {
    const doc = await app.strapi.documents('api::article.article').create({ locale: 'en', data: { title: 'After the seed', slug: 'after-the-seed', dateline: '2024-05-02', sections: [{ heading: 'A', body: [{ type: 'paragraph', children: [{ type: 'text', text: 'x' }] }] }] } as never });
    await app.strapi.documents('api::article.article').publish({ documentId: doc.documentId, locale: 'en' });
    await request(app.server).get('/api/articles/slug/after-the-seed').expect(200);
  });
});
