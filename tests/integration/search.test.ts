/**
 * Reader search: a reader's query finds published articles in its locale, ranked, highlighted,
 * with facets; words, phrases, exclusions, OR and a prefix as typed; stemming in English, Russian
 * and Ukrainian, Chinese two-character words; a typo corrected from the index's own words; the
 * index exact and fresh through the change feed (publish, republish, unpublish, delete, a rename
 * of an entity, a hero image's expired rights); drafts never; bad input a 400 naming it, and
 * generated hostile queries never a 500.
 */
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { newsroomClient } from '../../client';
import request from 'supertest';
import { MIN_REACHED, runParameters, Tally } from '../helpers/fuzz';
import { sqlCounter } from '../helpers/sql';
import { accountsEnv, adminLogin, EDITOR } from '../helpers/admin';
import { appModule, useStrapi } from '../helpers/strapi';

const ARTICLE = 'api::article.article';
const ENTITY = 'api::entity.entity';
const IMAGE = 'api::image.image';
const DAY = 86_400_000;

// A window of 100 (the least SEARCH_WINDOW may be) so a test can match more than it.
const WINDOW = 100;
const app = useStrapi({ env: { SEARCH_WINDOW: String(WINDOW), ...accountsEnv('EDITOR') } });
const login = adminLogin(() => app.server);

type Doc = { documentId: string };
const paragraph = (text: string) => ({ type: 'paragraph', children: [{ type: 'text', text }] });

interface Draft {
  locale: string;
  title: string;
  slug: string;
  standfirst?: string;
  body?: string[];
  entities?: string[];
  heroImage?: string;
}

async function publish(draft: Draft, documentId?: string): Promise<string> {
  const data = {
    title: draft.title,
    slug: draft.slug,
    standfirst: draft.standfirst ?? null,
    dateline: '2024-05-01',
    sections: [{ heading: null, body: (draft.body ?? []).map(paragraph) }],
    entities: draft.entities ?? [],
    ...(draft.heroImage ? { heroImage: draft.heroImage } : {}),
  };
  const docs = app.strapi.documents(ARTICLE);
  const saved = (documentId
    ? await docs.update({ documentId, locale: draft.locale, data } as never)
    : await docs.create({ locale: draft.locale, data } as never)) as unknown as Doc;
  await docs.publish({ documentId: saved.documentId, locale: draft.locale } as never);
  return saved.documentId;
}

const search = (query: Record<string, string>) => request(app.server).get('/api/search').query(query);
const found = async (query: Record<string, string>): Promise<string[]> => {
  const res = await search(query).expect(200);
  return res.body.data.map((d: { slug: string }) => d.slug);
};

const ids: Record<string, string> = {};
let sanctionsEntity: string;

beforeAll(async () => {
  const entity = (await app.strapi.documents(ENTITY).create({ data: { name: 'Treasury Department', slug: 'treasury-department', kind: 'organization', aliases: ['US Treasury'] } } as never)) as unknown as Doc;
  sanctionsEntity = entity.documentId;
  ids.banks = await publish({
    locale: 'en',
    title: 'Sanctions on Chinese banks widen',
    slug: 'sanctions-chinese-banks',
    standfirst: 'The Treasury sanctioned three lenders on Tuesday.',
    body: ['Officials said the sanctions target banks that finance Russian arms imports.', 'A café owner in Beijing said business was slow.'],
    entities: [sanctionsEntity],
  });
  ids.ocean = await publish({ locale: 'en', title: 'Why I love the ocean', slug: 'love-the-ocean', body: ['I love the ocean, said the diver, and the reef loves me back.'] });
  ids.escape = await publish({ locale: 'en', title: 'Tom & Jerry <script>alert(1)</script> sanctions', slug: 'escaped-title', body: ['Nothing else here about cartoons.'], entities: [sanctionsEntity] });
  ids.russian = await publish({ locale: 'ru', title: 'Новые санкции против Китая', slug: 'novye-sankcii', body: ['Вашингтон объявил о введении санкций против банков.'] });
  ids.ukrainian = await publish({ locale: 'uk', title: 'Нові санкції проти Росії', slug: 'novi-sankcii', body: ['Уряд оголосив про запровадження санкцій.'] });
  ids.chinese = await publish({ locale: 'zh-Hans', title: '美国对中国银行实施制裁', slug: 'meiguo-zhicai', body: ['美国财政部周二宣布了新的制裁措施。'] });
}, 60_000);

describe('what a query finds', () => {
  // query → the article it must rank first (by slug) and those it must not return
  const table: Array<{ locale: string; q: string; first: string; not: string[] }> = [
    { locale: 'en', q: 'sanctions china', first: 'us-warns-allies-of-chinas-growing-support-for-russia-amid-ukraine-conflict', not: ['love-the-ocean'] },
    { locale: 'en', q: 'sanctioned', first: 'sanctions-chinese-banks', not: ['love-the-ocean'] },
    { locale: 'en', q: 'love ocean', first: 'love-the-ocean', not: ['sanctions-chinese-banks'] },
    { locale: 'en', q: 'cafe', first: 'sanctions-chinese-banks', not: ['love-the-ocean'] },
    { locale: 'en', q: 'café', first: 'sanctions-chinese-banks', not: ['love-the-ocean'] },
    { locale: 'en', q: 'sanct', first: 'sanctions-chinese-banks', not: ['love-the-ocean'] },
    { locale: 'en', q: 'Xi Jinping', first: 'us-warns-allies-of-chinas-growing-support-for-russia-amid-ukraine-conflict', not: ['sanctions-chinese-banks'] },
    { locale: 'ru', q: 'санкций', first: 'novye-sankcii', not: [] },
    { locale: 'ru', q: 'санкции Китая', first: 'novye-sankcii', not: [] },
    { locale: 'uk', q: 'санкцій', first: 'novi-sankcii', not: [] },
    { locale: 'uk', q: 'санкціями', first: 'novi-sankcii', not: [] },
    { locale: 'zh-Hans', q: '制裁', first: 'meiguo-zhicai', not: [] },
    { locale: 'zh-Hans', q: '财政部', first: 'meiguo-zhicai', not: [] },
  ];
  it.each(table)('$locale "$q" ranks $first first', async ({ locale, q, first, not }) => {
    const slugs = await found({ q, locale });
    expect(slugs[0]).toBe(first);
    for (const slug of not) expect(slugs).not.toContain(slug);
  });

  it('keeps each locale to itself', async () => {
    expect(await found({ q: 'санкции', locale: 'en' })).toEqual([]);
    expect(await found({ q: 'sanctions', locale: 'ru' })).toEqual([]);
  });

  it('reads phrases, exclusions and OR', async () => {
    expect(await found({ q: '"love the ocean"', locale: 'en' })).toEqual(['love-the-ocean']);
    expect(await found({ q: '"ocean love"', locale: 'en' })).toEqual([]);
    const withoutBanks = await found({ q: 'sanctions -banks', locale: 'en' });
    expect(withoutBanks).not.toContain('sanctions-chinese-banks');
    expect(withoutBanks).toContain('escaped-title');
    expect(new Set(await found({ q: 'diver OR lenders', locale: 'en' }))).toEqual(new Set(['love-the-ocean', 'sanctions-chinese-banks']));
  });

  it('answers meta.query with what it read', async () => {
    const res = await search({ q: 'sanctions "love the ocean" -banks', locale: 'en' }).expect(200);
    expect(res.body.meta.query).toEqual({ words: ['sanctions'], phrases: ['love ocean'], excluded: ['banks'] });
  });

  it('marks the matched words, escapes the rest, and cuts body fragments at word boundaries', async () => {
    const res = await search({ q: 'sanctions', locale: 'en' }).expect(200);
    const escaped = res.body.data.find((d: { slug: string }) => d.slug === 'escaped-title');
    expect(escaped.highlights.title).toBe('Tom &amp; Jerry &lt;script&gt;alert(1)&lt;/script&gt; <mark>sanctions</mark>');
    const banks = res.body.data.find((d: { slug: string }) => d.slug === 'sanctions-chinese-banks');
    expect(banks.highlights.title).toBe('<mark>Sanctions</mark> on Chinese banks widen');
    expect(banks.highlights.standfirst).toBe('The Treasury <mark>sanctioned</mark> three lenders on Tuesday.');
    expect(banks.highlights.body.length).toBeGreaterThanOrEqual(1);
    expect(banks.highlights.body.length).toBeLessThanOrEqual(3);
    for (const fragment of banks.highlights.body) {
      expect(fragment).toContain('<mark>sanctions</mark>');
      expect(fragment.replace(/^… /, '').replace(/ …$/, '')).toMatch(/^\S.*\S$/);
    }
    const story = res.body.data.find((d: { slug: string }) => d.slug.startsWith('us-warns'));
    expect(story.path).toBe(`/en/news/${story.slug}`);
    expect(story.firstPublishedAt).toMatch(/^2024-04-10/);
    expect(story.heroImage).toMatchObject({ credit: 'Kevin Lamarque' });
  });

  it('marks a Chinese two-character word', async () => {
    const res = await search({ q: '制裁', locale: 'zh-Hans' }).expect(200);
    expect(res.body.data[0].highlights.title).toBe('美国对中国银行实施<mark>制裁</mark>');
  });
});

describe('the typed client', () => {
  it('searches, typed, as docs/api.md shows', async () => {
    const api = newsroomClient(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}`);
    const { data, response } = await api.GET('/api/search', { params: { query: { q: 'sanctions china', locale: 'en', pageSize: 5 } } });
    expect(response.status).toBe(200);
    const first = data?.data[0];
    expect(first?.highlights.title).toContain('<mark>');
    expect(data?.meta.pagination.total).toBeGreaterThan(0);
  });
});

describe('GraphQL', () => {
  it('answers search and searchSuggest as the REST routes do, and a bad argument names it', async () => {
    const rest = await search({ q: 'sanctions', locale: 'en', pageSize: '2' }).expect(200);
    const gql = await request(app.server)
      .post('/graphql')
      .send({
        query: `{ search(q: "sanctions", locale: "en", pageSize: 2) { data { documentId slug path title score highlights { title standfirst body } heroImage { url credit } firstPublishedAt } meta { pagination { page pageSize total } window { size since } query { words phrases excluded } facets { months { month count } entities { slug name kind count } } } }
                  searchSuggest(q: "xi j", locale: "en") { data { type slug } } }`,
      })
      .expect(200);
    expect(gql.body.errors).toBeUndefined();
    expect(gql.body.data.search.meta).toEqual(rest.body.meta);
    expect(gql.body.data.search.data.map((d: { slug: string }) => d.slug)).toEqual(rest.body.data.map((d: { slug: string }) => d.slug));
    expect(gql.body.data.search.data[0].highlights).toEqual(rest.body.data[0].highlights);
    expect(gql.body.data.searchSuggest.data[0]).toEqual({ type: 'entity', slug: 'xi-jinping' });
    const bad = await request(app.server).post('/graphql').send({ query: '{ search(q: "x", pageSize: 51) { meta { pagination { total } } } }' });
    expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(bad.body.errors[0].message).toContain('pageSize');
  });
});

describe('facets, filters and pages', () => {
  it('counts the entities and months of every match, not only the page', async () => {
    const res = await search({ q: 'sanctions', locale: 'en', pageSize: '1' }).expect(200);
    expect(res.body.data).toHaveLength(1);
    expect(res.body.meta.pagination).toEqual({ page: 1, pageSize: 1, total: 3 });
    const months = res.body.meta.facets.months as Array<{ month: string; count: number }>;
    expect(months.reduce((n, m) => n + m.count, 0)).toBe(3);
    expect(months).toContainEqual({ month: '2024-04', count: 1 });
    // The most named first (two of the three), then ten at most.
    expect(res.body.meta.facets.entities[0]).toEqual({ slug: 'treasury-department', name: 'Treasury Department', kind: 'organization', count: 2 });
    expect(res.body.meta.facets.entities).toHaveLength(10);
    expect(res.body.meta.facets.entities.slice(1).every((e: { count: number }) => e.count === 1)).toBe(true);
  });

  it('filters by entities (all of them), by dates, and an unknown entity finds nothing', async () => {
    expect(new Set(await found({ q: 'sanctions', locale: 'en', entities: 'treasury-department' }))).toEqual(new Set(['sanctions-chinese-banks', 'escaped-title']));
    expect(await found({ q: 'lenders', locale: 'en', entities: 'treasury-department' })).toEqual(['sanctions-chinese-banks']);
    expect(await found({ q: 'sanctions', locale: 'en', entities: 'treasury-department,xi-jinping' })).toEqual([]);
    expect(await found({ q: 'sanctions', locale: 'en', entities: 'no-such-entity' })).toEqual([]);
    expect(await found({ q: 'sanctions', locale: 'en', from: '2024-04-01', to: '2024-04-30' })).toEqual(['us-warns-allies-of-chinas-growing-support-for-russia-amid-ukraine-conflict']);
    expect(await found({ q: 'sanctions', locale: 'en', to: '2024-04-09' })).toEqual([]);
  });

  it('sorts by newest on request, and pages', async () => {
    const newest = await found({ q: 'sanctions', locale: 'en', sort: 'newest' });
    expect(newest[newest.length - 1]).toBe('us-warns-allies-of-chinas-growing-support-for-russia-amid-ukraine-conflict');
    const second = await found({ q: 'sanctions', locale: 'en', sort: 'newest', page: '2', pageSize: '2' });
    expect(second).toEqual([newest[2]]);
  });
});

describe('a query matching more than the window (SEARCH_WINDOW)', () => {
  const MORE = WINDOW + 30;
  const slugs: string[] = [];
  beforeAll(async () => {
    const named = (await app.strapi.documents(ENTITY).create({ data: { name: 'Window Desk', slug: 'window-desk', kind: 'organization' } } as never)) as unknown as Doc;
    for (let i = 0; i < MORE; i++) {
      slugs.push(`window-${i}`);
      await publish({ locale: 'en', title: `Window story ${i}`, slug: `window-${i}`, body: [`The quorrelwind report number ${i}.`], entities: i % 2 ? [named.documentId] : [] });
    }
  }, 120_000);

  it('ranks, counts and facets the newest matches, and says so: the total is the window’s', async () => {
    const res = await search({ q: 'quorrelwind', locale: 'en', pageSize: '50' }).expect(200);
    expect(res.body.meta.window).toMatchObject({ size: WINDOW });
    expect(Date.parse(res.body.meta.window.since)).not.toBeNaN();
    // Past the window, what is known: at least that many.
    expect(res.body.meta.pagination.total).toBe(WINDOW);
    expect(res.body.meta.facets.months.reduce((n: number, m: { count: number }) => n + m.count, 0)).toBe(WINDOW);
    const entity = res.body.meta.facets.entities.find((e: { slug: string }) => e.slug === 'window-desk');
    // Of the newest 100 (the last 100 published, the odd ones named): 50.
    expect(entity.count).toBe(50);
    const newest = await search({ q: 'quorrelwind', locale: 'en', sort: 'newest', pageSize: '50', page: '2' }).expect(200);
    expect(newest.body.data.map((d: { slug: string }) => d.slug)).toEqual(slugs.slice(MORE - 100, MORE - 50).reverse());
    // The oldest 30 are outside the window: no page of it shows them.
    const all = [...res.body.data, ...(await search({ q: 'quorrelwind', locale: 'en', pageSize: '50', page: '2' }).expect(200)).body.data].map((d: { slug: string }) => d.slug);
    expect(all).toHaveLength(WINDOW);
    expect(new Set(all)).toEqual(new Set(slugs.slice(MORE - WINDOW)));
  });

  it('widens to reach a deep page, and is exact once every match is in it', async () => {
    const res = await search({ q: 'quorrelwind', locale: 'en', pageSize: '50', page: '3' }).expect(200);
    expect(res.body.meta.window).toBeNull();
    expect(res.body.meta.pagination.total).toBe(MORE);
    expect(res.body.data).toHaveLength(MORE - 100);
    expect(res.body.meta.facets.months.reduce((n: number, m: { count: number }) => n + m.count, 0)).toBe(MORE);
  });

  it('is exact when a filter leaves fewer matches than the window', async () => {
    const res = await search({ q: 'quorrelwind', locale: 'en', entities: 'window-desk' }).expect(200);
    expect(res.body.meta.window).toBeNull();
    expect(res.body.meta.pagination.total).toBe(MORE / 2);
  });
});

describe('a word with no match', () => {
  it('is corrected from the index’s own words, and says so', async () => {
    const res = await search({ q: 'sanctoins lenders', locale: 'en' }).expect(200);
    expect(res.body.meta.query.corrected).toBe('sanctions lenders');
    expect(res.body.data.map((d: { slug: string }) => d.slug)).toEqual(['sanctions-chinese-banks']);
  });

  it('is not corrected under five letters, and a word two edits away needs nine', async () => {
    const res = await search({ q: 'ocan', locale: 'en' }).expect(200);
    expect(res.body.data).toEqual([]);
    expect(res.body.meta.query).not.toHaveProperty('corrected');
    const far = await search({ q: 'dievr', locale: 'en' }).expect(200);
    expect(far.body.meta.query.corrected).toBe('diver');
    // business: two edits away, from 9 letters (bussinesz) but not at 8 (bisuness)
    const two = await search({ q: 'bussinesz', locale: 'en' }).expect(200);
    expect(two.body.meta.query.corrected).toBe('business');
    const eight = await search({ q: 'bisuness', locale: 'en' }).expect(200);
    expect(eight.body.meta.query).not.toHaveProperty('corrected');
  });

  // Every adjacent swap, deletion and doubling of a six- and a seven-letter word: one edit each,
  // the trigram bound's hardest cases (PostgreSQL missed a swap in a six-letter word once).
  const edits = (word: string) =>
    [
      ...Array.from({ length: word.length - 1 }, (_, i) => word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2)),
      ...Array.from({ length: word.length }, (_, i) => word.slice(0, i) + word.slice(i + 1)).filter((w) => w.length >= 5),
      ...Array.from({ length: word.length }, (_, i) => word.slice(0, i + 1) + word[i] + word.slice(i + 1)),
    ]
      // lender is no typo (it stems as lenders does), nor is a start of the word (the last word is a prefix as typed).
      .filter((w, i, all) => w !== word && w !== 'lender' && !word.startsWith(w) && all.indexOf(w) === i)
      .map((typed) => [typed, word]);
  const oneEdit = [...edits('lenders'), ...edits('target')];
  it.each(oneEdit)('corrects %s to %s', async (typed, word) => {
    const res = await search({ q: typed, locale: 'en' }).expect(200);
    expect(res.body.meta.query.corrected).toBe(word);
  });
});

describe('suggestions as the reader types', () => {
  it('offers entities and titles by prefix', async () => {
    const res = await request(app.server).get('/api/search/suggest').query({ q: 'sanc', locale: 'en' }).expect(200);
    const titles = res.body.data.filter((d: { type: string }) => d.type === 'article').map((d: { slug: string }) => d.slug);
    expect(titles).toEqual(expect.arrayContaining(['sanctions-chinese-banks', 'escaped-title']));
    expect(titles).not.toContain('love-the-ocean');
    const xi = await request(app.server).get('/api/search/suggest').query({ q: 'xi j', locale: 'en' }).expect(200);
    expect(xi.body.data[0]).toMatchObject({ type: 'entity', slug: 'xi-jinping', path: '/topics/xi-jinping' });
    expect(res.body.data.length).toBeLessThanOrEqual(8);
  });
});

describe('the index follows the change feed', () => {
  it('finds an article at the next request after its publish, and never its draft', async () => {
    const before = await found({ q: 'zeppelin', locale: 'en' });
    expect(before).toEqual([]);
    const docs = app.strapi.documents(ARTICLE);
    const draft = (await docs.create({ locale: 'en', data: { title: 'Zeppelin draft', slug: 'zeppelin-story', dateline: '2024-05-02', sections: [] } } as never)) as unknown as Doc;
    expect(await found({ q: 'zeppelin', locale: 'en' })).toEqual([]);
    await docs.publish({ documentId: draft.documentId, locale: 'en' } as never);
    expect(await found({ q: 'zeppelin', locale: 'en' })).toEqual(['zeppelin-story']);
    // A draft edit is not public: the index keeps the published text.
    await docs.update({ documentId: draft.documentId, locale: 'en', data: { title: 'Airship draft only' } } as never);
    expect(await found({ q: 'airship', locale: 'en' })).toEqual([]);
    expect(await found({ q: 'zeppelin', locale: 'en' })).toEqual(['zeppelin-story']);
    // Republished with a new slug: the new text and path.
    await docs.update({ documentId: draft.documentId, locale: 'en', data: { title: 'Airship story', slug: 'airship-story' } } as never);
    await docs.publish({ documentId: draft.documentId, locale: 'en' } as never);
    const res = await search({ q: 'airship', locale: 'en' }).expect(200);
    expect(res.body.data.map((d: { path: string }) => d.path)).toEqual(['/en/news/airship-story']);
    expect(await found({ q: 'zeppelin', locale: 'en' })).toEqual([]);
    await docs.unpublish({ documentId: draft.documentId, locale: 'en' } as never);
    expect(await found({ q: 'airship', locale: 'en' })).toEqual([]);
    await docs.publish({ documentId: draft.documentId, locale: 'en' } as never);
    expect(await found({ q: 'airship', locale: 'en' })).toEqual(['airship-story']);
    await docs.delete({ documentId: draft.documentId, locale: '*' } as never);
    expect(await found({ q: 'airship', locale: 'en' })).toEqual([]);
  });

  it('indexes an entity’s new name in every article naming it', async () => {
    expect(await found({ q: 'exchequer', locale: 'en' })).toEqual([]);
    await app.strapi.documents(ENTITY).update({ documentId: sanctionsEntity, data: { name: 'Exchequer Office' } } as never);
    expect(new Set(await found({ q: 'exchequer', locale: 'en' }))).toEqual(new Set(['sanctions-chinese-banks', 'escaped-title']));
    await app.strapi.documents(ENTITY).update({ documentId: sanctionsEntity, data: { name: 'Treasury Department' } } as never);
  });

  it('drops a hero image’s caption once its rights have expired', async () => {
    const seeded = (await app.strapi.documents(IMAGE).findFirst({ populate: { asset: { fields: ['id'] } } } as never)) as unknown as { asset: { id: number } };
    const image = (await app.strapi.documents(IMAGE).create({ data: { asset: seeded.asset.id, caption: 'A walrus on the quay', altText: 'Walrus', credit: 'A. Photographer', rightsExpireAt: new Date(Date.now() + DAY).toISOString() } } as never)) as unknown as Doc;
    await publish({ locale: 'en', title: 'Harbour life', slug: 'harbour-life', body: ['Boats.'], heroImage: image.documentId });
    expect(await found({ q: 'walrus', locale: 'en' })).toEqual(['harbour-life']);
    await app.strapi.documents(IMAGE).update({ documentId: image.documentId, data: { rightsExpireAt: new Date(Date.now() - 1000).toISOString() } } as never);
    expect(await found({ q: 'walrus', locale: 'en' })).toEqual([]);
    expect(await found({ q: 'harbour', locale: 'en' })).toEqual(['harbour-life']);
  });

  it('is what a rebuild from scratch makes, and the boot puts back what was written past the feed', async () => {
    const { rebuildIndex, reconcileIndex } = appModule<typeof import('../../src/search/indexer')>('src/search/indexer');
    const knex = app.strapi.db.connection;
    const snapshot = async () => ({
      docs: await knex('newsroom_search_documents').select('document_id', 'locale', 'article_id', 'title', 'body', 'captions', 'words').orderBy(['document_id', 'locale']),
      entities: await knex('newsroom_search_entities as e').join('newsroom_search_documents as d', 'd.id', 'e.search_id').select('d.document_id', 'd.locale', 'e.entity_document_id').orderBy(['d.document_id', 'd.locale', 'e.entity_document_id']),
      // PostgreSQL counts each word's documents; SQLite's count is FTS5's own, per term.
      words:
        app.strapi.db.dialect.client === 'postgres'
          ? await knex('newsroom_search_words').select('locale', 'word', 'docs').where('docs', '>', 0).orderBy(['locale', 'word'])
          : await knex('newsroom_search_vocab').select('term', 'doc', 'cnt').orderBy('term'),
    });
    const incremental = await snapshot();
    expect(incremental.docs.length).toBeGreaterThan(5);
    const published = await knex('articles').whereNotNull('published_at').count({ n: '*' }).first();
    expect(incremental.docs).toHaveLength(Number(published?.n));
    await rebuildIndex(app.strapi);
    expect(await snapshot()).toEqual(incremental);
    // Written past the feed: two rows gone from the index.
    const [a, b] = incremental.docs as Array<{ document_id: string; locale: string }>;
    const held = await knex('newsroom_search_documents').whereIn('document_id', [a.document_id, b.document_id]).select('id', 'document_id', 'locale');
    const { removeDocument } = appModule<typeof import('../../src/search/store')>('src/search/store');
    for (const row of held) await removeDocument(knex, app.strapi.db.dialect.client === 'postgres' ? 'postgres' : 'sqlite', row.document_id, row.locale);
    expect(await reconcileIndex(app.strapi)).toEqual({ indexed: held.length, removed: 0 });
    expect(await snapshot()).toEqual(incremental);
  });

  it('answers from the read cache until a publish in the locale evicts it', async () => {
    const first = await search({ q: 'quokka', locale: 'en' }).expect(200);
    expect(first.body.data).toEqual([]);
    expect(first.headers['surrogate-key']).toContain('list:articles:en');
    await publish({ locale: 'en', title: 'A quokka smiles', slug: 'quokka-smiles', body: ['Rottnest.'] });
    expect(await found({ q: 'quokka', locale: 'en' })).toEqual(['quokka-smiles']);
  });

  it('keeps its cached answers when an entity no answer names is written (the vocabulary is dropped, the read cache is not)', async () => {
    const { sqlDuring } = sqlCounter(app);
    const { sleep } = await import('../helpers/receiver');
    // Cached once the earlier tests' evictions have all arrived (on PostgreSQL they come back by NOTIFY, late).
    let cached = -1;
    for (const until = Date.now() + 5_000; Date.now() < until && cached !== 0; await sleep(50)) [, cached] = await sqlDuring(() => search({ q: 'quokka', locale: 'en' }).expect(200));
    expect(cached).toBe(0);
    await app.strapi.documents(ENTITY).create({ data: { name: 'Unrelated Body', slug: 'unrelated-body', kind: 'organization' } } as never);
    // Time for a NOTIFY to come back, had the write asked every process to empty its cache.
    await sleep(300);
    const [, after] = await sqlDuring(() => search({ q: 'quokka', locale: 'en' }).expect(200));
    expect(after).toBe(0);
    // While a search that runs sees the new entity at once.
    const suggested = await request(app.server).get('/api/search/suggest').query({ q: 'unrelated', locale: 'en' }).expect(200);
    expect(suggested.body.data.map((s: { slug: string }) => s.slug)).toContain('unrelated-body');
  });
});

describe("the admin's list search (the content-manager's _q)", () => {
  const LIST = `/content-manager/collection-types/${ARTICLE}`;
  const LIKE = /\bi?like\b/i;
  const ENTITIES = `/content-manager/collection-types/${ENTITY}`;
  let draftId: string;

  beforeAll(async () => {
    const draft = (await app.strapi.documents(ARTICLE).create({
      locale: 'en',
      data: {
        title: 'Zanzibar ferry timetable',
        slug: 'zanzibar-ferry-timetable',
        dateline: '2024-05-02',
        sections: [{ heading: 'At the harbour', body: [paragraph('The harbourmaster sanctioned a night crossing to Pemba.')] }],
      },
    } as never)) as unknown as Doc;
    draftId = draft.documentId;
  });

  /** The admin's list of a type in a locale for `q`, as its search box asks, with the statements it ran. */
  async function list(q: string, { locale = 'en', type = LIST } = {}) {
    const token = await login(EDITOR);
    const statements: string[] = [];
    const onQuery = (query: { sql: string }) => statements.push(query.sql);
    app.strapi.db.connection.on('query', onQuery);
    try {
      const res = await request(app.server)
        .get(type)
        .query({ page: 1, pageSize: 50, sort: type === LIST ? 'title:ASC' : 'name:ASC', _q: q, ...(type === LIST ? { locale } : {}) })
        .set('Authorization', `Bearer ${token}`);
      return { res, statements };
    } finally {
      app.strapi.db.connection.off('query', onQuery);
    }
  }
  const titles = async (q: string, options?: { locale?: string; type?: string }) => {
    const { res } = await list(q, options);
    expect(res.status).toBe(200);
    const names = res.body.results.map((r: { title?: string; name?: string }) => r.title ?? r.name);
    expect(res.body.pagination.total).toBe(names.length);
    return names;
  };

  it('finds drafts by the words of their body, stemmed, never with ILIKE', async () => {
    const { res, statements } = await list('harbourmaster');
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { documentId: string; status: string }) => [r.documentId, r.status])).toEqual([[draftId, 'draft']]);
    // Strapi's own _q is ILIKE (LIKE on SQLite) over every string column: none of it ran.
    const listed = statements.filter((sql) => /from (?:"public"\.)?[`"]?articles[`"]? as [`"]?t0/i.test(sql));
    expect(listed.length).toBeGreaterThanOrEqual(2);
    for (const sql of listed) expect(sql).not.toMatch(LIKE);
    // Other forms of a word: of the draft's body, and of a published article's standfirst (its draft row is what the admin lists).
    expect(await titles('crossings')).toEqual(['Zanzibar ferry timetable']);
    expect(await titles('lender')).toEqual(['Sanctions on Chinese banks widen']);
  });

  it('means what the readers’ search means: words anywhere, phrases, exclusions, a prefix as typed', async () => {
    // ILIKE '%love ocean%' finds nothing here (strapi#7849).
    expect(await titles('love ocean')).toEqual(['Why I love the ocean']);
    expect(await titles('"ocean love"')).toEqual([]);
    expect(await titles('zanzi')).toEqual(['Zanzibar ferry timetable']);
    expect(await titles('ocean -diver')).toEqual([]);
    expect(await titles('ocean -zanzibar')).toEqual(['Why I love the ocean']);
    expect(await titles('санкций', { locale: 'ru' })).toEqual(['Новые санкции против Китая']);
    expect(await titles('санкций', { locale: 'en' })).toEqual([]);
  });

  it('finds entities by name, alias and description', async () => {
    // Janet Yellen's description names the Treasury.
    expect(await titles('treasury', { type: ENTITIES })).toEqual(['Janet Yellen', 'Treasury Department']);
    expect(await titles('"US Treasury"', { type: ENTITIES })).toEqual(['Treasury Department']);
  });

  it('follows every save, and the boot puts back what was written past the feed', async () => {
    await app.strapi.documents(ARTICLE).update({ documentId: draftId, locale: 'en', data: { title: 'Dar es Salaam ferry schedule' } } as never);
    expect(await titles('timetable')).toEqual(['Dar es Salaam ferry schedule']); // its slug still says so
    expect(await titles('ferry -timetable')).toEqual([]);
    expect(await titles('salaam')).toEqual(['Dar es Salaam ferry schedule']);
    const { reconcileAdminIndex } = appModule<typeof import('../../src/search/admin-index')>('src/search/admin-index');
    expect(await reconcileAdminIndex(app.strapi)).toEqual({ indexed: 0, removed: 0 });
    // Past the feed: a title changed by SQL, and a row's entry lost.
    const knex = app.strapi.db.connection;
    const row = await knex('articles').where({ document_id: draftId, locale: 'en' }).first('id', 'updated_at');
    await knex('articles').where({ id: row.id }).update({ title: 'Mombasa ferry timetable', updated_at: new Date(Date.now() + 1000) });
    const entity = await knex('entities').where({ slug: 'treasury-department' }).first('id');
    await knex('newsroom_admin_search').where({ kind: 'entity', row_id: entity.id }).delete();
    if (app.strapi.db.dialect.client !== 'postgres') await knex.raw('delete from newsroom_admin_search_entity_fts where rowid = ?', [entity.id]);
    expect(await titles('treasury', { type: ENTITIES })).toEqual(['Janet Yellen']);
    expect(await reconcileAdminIndex(app.strapi)).toEqual({ indexed: 2, removed: 0 });
    expect(await titles('mombasa')).toEqual(['Mombasa ferry timetable']);
    expect(await titles('treasury', { type: ENTITIES })).toEqual(['Janet Yellen', 'Treasury Department']);
    // Deleted: gone from the list search with its rows.
    await app.strapi.documents(ARTICLE).delete({ documentId: draftId, locale: '*' } as never);
    expect(await titles('mombasa')).toEqual([]);
    expect(Number((await knex('newsroom_admin_search').where({ document_id: draftId }).count({ n: '*' }).first())?.n)).toBe(0);
  });

  it('is what a rebuild from scratch makes (npm run search:reindex)', async () => {
    const { clearAdminIndex, reconcileAdminIndex } = appModule<typeof import('../../src/search/admin-index')>('src/search/admin-index');
    const knex = app.strapi.db.connection;
    const snapshot = () => knex('newsroom_admin_search').select('kind', 'row_id', 'document_id', 'locale', 'updated_ms').orderBy(['kind', 'row_id']);
    const before = await snapshot();
    const rows = Number((await knex('articles').count({ n: '*' }).first())?.n) + Number((await knex('entities').count({ n: '*' }).first())?.n);
    expect(before).toHaveLength(rows);
    await clearAdminIndex(app.strapi);
    expect(await titles('lender')).toEqual([]);
    expect(await reconcileAdminIndex(app.strapi)).toEqual({ indexed: rows, removed: 0 });
    expect(await snapshot()).toEqual(before);
    expect(await titles('lender')).toEqual(['Sanctions on Chinese banks widen']);
  });

  it('answers a _q over 256 characters with a 400 naming _q, and leaves one with nothing to find to Strapi', async () => {
    const { res } = await list('word '.repeat(60));
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error)).toContain('_q');
    // Only a stop word: Strapi's own search, as before.
    const { res: stop, statements } = await list('the');
    expect(stop.status).toBe(200);
    expect(statements.some((sql) => LIKE.test(sql))).toBe(true);
  });
});

describe('bad input', () => {
  const cases: Array<[string, Record<string, string>, string]> = [
    ['an empty q', { q: '   ' }, 'q'],
    ['no q', {}, 'q'],
    ['q over 256 characters', { q: 'a'.repeat(257) }, 'q'],
    ['a 10,000-character q', { q: 'sanctions '.repeat(1000) }, 'q'],
    ['q over 32 words', { q: Array.from({ length: 33 }, (_, i) => `w${i}`).join(' ') }, 'q'],
    ['pageSize over 50', { q: 'x', pageSize: '51' }, 'pageSize'],
    ['page past 100', { q: 'x', page: '101' }, 'page'],
    ['an unknown locale', { q: 'x', locale: 'xx' }, 'locale'],
    ['a bad date', { q: 'x', from: '2024-13-45' }, 'from'],
    ['a bad sort', { q: 'x', sort: 'oldest' }, 'sort'],
    ['a bad entity list', { q: 'x', entities: 'Not A Slug' }, 'entities'],
    ['an unknown parameter', { q: 'x', filters: 'y' }, 'filters'],
  ];
  it.each(cases)('%s is a 400 naming it', async (_name, query, param) => {
    const res = await search(query).expect(400);
    expect(res.body.error.name).toBe('ValidationError');
    expect(JSON.stringify(res.body.error)).toContain(param);
  });

  it('is never a 500 nor a syntax error, whatever is typed (generated-search-queries)', async () => {
    const { searchStats } = appModule<typeof import('../../src/search/search')>('src/search/search');
    const tally = new Tally('generated search queries (reached = the search engine ran; outcome = status)');
    const pieces: Record<string, fc.Arbitrary<string>> = {
      'fts operators': fc.constantFrom('NEAR(', 'AND', 'OR', 'NOT', '*', '^', ':', 'title:', '{title}', '-', '"', '.', '+', '&', '|', '!', '<->', ':*', "'", '\\', 'col:x', 'NEAR/3'),
      'quotes and brackets': fc.constantFrom('"', '“', '”', '«', '»', '(', ')', '[', ']', '{', '}', "'", '""', '"a', 'b"'),
      'control characters': fc.integer({ min: 0, max: 31 }).map((c) => String.fromCharCode(c)),
      'right-to-left text': fc.constantFrom('\u202e', 'עברית', 'العربية', '\u200f', 'مرحبا بالعالم'),
      emoji: fc.constantFrom('😀', '👩‍👩‍👧', '🇺🇸', '🏳️‍🌈', '\u{1f9ea}'),
      'combining marks': fc.constantFrom('e\u0301', 'a\u0308\u0308', '\u0301', 'й', 'ї', 'Z\u0335\u0321'),
      'long strings': fc.constantFrom('x'.repeat(200), 'sanct '.repeat(30), '制裁'.repeat(100)),
    };
    const words = fc.constantFrom('sanctions', 'china', 'love', 'ocean', 'санкции', '制裁', 'sanct', 'the', '');
    const classes = Object.keys(pieces);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...classes), fc.array(fc.oneof(words, fc.constant(' ')), { maxLength: 4 }), fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 6 }), fc.constantFrom('en', 'ru', 'uk', 'zh-Hans'), async (kind, extra, picks, locale) => {
        const piece = pieces[kind];
        const sampled = picks.map((p) => fc.sample(piece, { numRuns: 1, seed: p })[0]);
        const q = [...sampled, ...extra].join(picks[0] % 2 ? ' ' : '').slice(0, 256) || 'x';
        const runs = searchStats.runs;
        const res = await search({ q, locale });
        tally.count(kind, searchStats.runs > runs, String(res.status));
        expect([200, 400]).toContain(res.status);
        if (q.trim() !== '' && q.trim().split(/\s+/).length <= 32) expect(res.status).toBe(200);
      }),
      runParameters(7_311_000, 0, classes.length * 2 * MIN_REACHED),
    );
    process.stdout.write(`${tally.report()}\n`);
    expect(tally.starved(classes)).toEqual([]);
  }, 240_000);
});

describe('two writes at once (PostgreSQL: each its own connection and transaction)', () => {
  const postgresOnly = process.env.DATABASE_CLIENT === 'postgres' ? it : it.skip;
  postgresOnly('leave the index equal to a full rebuild', async () => {
    const entities = app.strapi.documents(ENTITY);
    const a = (await entities.create({ data: { name: 'Concurrent Alpha', slug: 'concurrent-alpha', kind: 'topic' } } as never)) as unknown as Doc;
    const b = (await entities.create({ data: { name: 'Concurrent Beta', slug: 'concurrent-beta', kind: 'topic' } } as never)) as unknown as Doc;
    await publish({ locale: 'en', title: 'Both named', slug: 'both-named', body: ['Alpha and beta.'], entities: [a.documentId, b.documentId] });
    const knex = app.strapi.db.connection;
    const words = () => knex('newsroom_search_words').select('word', 'docs').where({ locale: 'en' }).where('docs', '>', 0).orderBy('word');
    for (let round = 0; round < 6; round++) {
      // Each rename re-indexes the same article in its own transaction, at the same time.
      await Promise.all([
        entities.update({ documentId: a.documentId, data: { name: `Alpha${round} Shared${round}` } } as never),
        entities.update({ documentId: b.documentId, data: { name: `Beta${round} Shared${round}` } } as never),
      ]);
    }
    expect(await found({ q: 'alpha5 beta5', locale: 'en' })).toEqual(['both-named']);
    const incremental = await words();
    const { rebuildIndex } = appModule<typeof import('../../src/search/indexer')>('src/search/indexer');
    await rebuildIndex(app.strapi);
    expect(incremental).toEqual(await words());
  });
});

describe('another process on the database (PostgreSQL)', () => {
  const postgresOnly = process.env.DATABASE_CLIENT === 'postgres' ? it : it.skip;
  postgresOnly('sees an entity created or renamed here at its next suggestion (the vocabulary each process keeps is dropped by NOTIFY)', async () => {
    const { serve } = await import('../helpers/child-app');
    const { freePort, sleep } = await import('../helpers/receiver');
    const port = await freePort();
    // The same database as this file's app (its environment is this process's), a server of its own.
    const other = await serve({ PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'error', REBUILD_POLL_MS: '600000' });
    try {
      const names = async (q: string) => {
        const res = await fetch(`http://127.0.0.1:${port}/api/search/suggest?q=${encodeURIComponent(q)}&locale=en`, { headers: { 'cache-control': 'no-cache' } });
        expect(res.status).toBe(200);
        return ((await res.json()) as { data: Array<{ type: string; name?: string }> }).data.filter((s) => s.type === 'entity').map((s) => s.name);
      };
      const within = async (q: string, name: string, present: boolean) => {
        let seen: Array<string | undefined> = [];
        for (const until = Date.now() + 2_000; Date.now() < until; await sleep(25)) {
          seen = await names(q);
          if (seen.includes(name) === present) break;
        }
        return seen.includes(name);
      };
      // Loaded there before the write.
      expect(await names('quillon')).toEqual([]);
      const entity = (await app.strapi.documents(ENTITY).create({ data: { name: 'Quillon Vantrell', slug: 'quillon-vantrell', kind: 'person' } } as never)) as unknown as Doc;
      expect(await within('quillon', 'Quillon Vantrell', true)).toBe(true);
      await app.strapi.documents(ENTITY).update({ documentId: entity.documentId, data: { name: 'Quillon Ashgrove' } } as never);
      expect(await within('quillon', 'Quillon Ashgrove', true)).toBe(true);
      expect(await names('quillon')).not.toContain('Quillon Vantrell');
      await app.strapi.documents(ENTITY).delete({ documentId: entity.documentId } as never);
      expect(await within('quillon', 'Quillon Ashgrove', false)).toBe(false);
    } finally {
      other.child.kill('SIGTERM');
      await other.exited;
    }
  }, 120_000);
});
