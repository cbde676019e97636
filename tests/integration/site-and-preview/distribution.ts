/**
 * News distribution: the data the outputs need (first publication per locale, bylines, slug
 * history) and the outputs themselves — NewsArticle JSON-LD, RSS/Atom/JSON Feed, sitemaps,
 * redirects and the site-path resolver, topic pages, related stories — each public, cached with
 * ETag + 304, and fresh at the next request after a change (the change feed evicts).
 */
import request from 'supertest';
import { parseSitemap } from 'sitemap';
import { Readable } from 'node:stream';
import { appModule, useStrapi } from '../../helpers/strapi';
import { getText } from '../../helpers/text';
import { story } from '../../helpers/story';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { XSD_DIR, xmllint } from '../../helpers/xml';
import { sqlCounter } from '../../helpers/sql';

// What the booted app runs (its compiled modules, in the app's realm).
const { reconcileSitemapMonths, sitemapMonths } = appModule<typeof import('../../../src/distribution/sitemap-months')>('src/distribution/sitemap-months');

// Google's news and image schemas, sitemaps.org's siteindex and the XHTML one are not on this
// machine (tests/fixtures/xsd/README.md): until they are, that validation is skipped, visibly.
const OFFICIAL = ['siteindex.xsd', 'sitemap-news.xsd', 'sitemap-image.xsd', 'xhtml1-strict.xsd', 'xml.xsd'].every((f) => existsSync(path.join(XSD_DIR, f)));
const withOfficialSchemas = OFFICIAL ? it : it.skip;

const SITE = 'https://www.example.com';
const app = useStrapi({ env: { SITE_URL: SITE, SITE_NAME: 'The Example Times', SITE_LOGO_URL: `${SITE}/logo.png` } });
const ARTICLE = 'api::article.article';
const ENTITY = 'api::entity.entity';
const DATELINE = '2024-04-10T00:00:00.000Z';

const docs = () => app.strapi.documents(ARTICLE);

/** Any answer's body as text. */
const text = (path: string) => getText(app.server, path);

const paragraph = (t: string) => [{ type: 'paragraph' as const, children: [{ type: 'text' as const, text: t }] }];

async function entityId(slug: string): Promise<string> {
  const e = await app.strapi.documents(ENTITY).findFirst({ filters: { slug } });
  return e!.documentId;
}

async function publishArticle(slug: string, data: Record<string, unknown> = {}, locale = 'en') {
  return docs().create({
    locale,
    status: 'published',
    data: { title: `Story ${slug}`, slug, dateline: '2026-11-30', standfirst: `About ${slug}`, sections: [{ heading: 'Body', body: paragraph(`Text of ${slug}.`) }], ...data },
  });
}

async function sitemapItems(xml: string) {
  return parseSitemap(Readable.from([xml]));
}

let storyId: string;

beforeAll(async () => {
  const found = await docs().findFirst({ locale: 'en', status: 'published', filters: { slug: story.slug } });
  storyId = found!.documentId;
});

describe('first publication', () => {
  it('the seeded story was first published on its dateline, on REST and GraphQL', async () => {
    const rest = await request(app.server).get(`/api/articles/slug/${story.slug}`).expect(200);
    expect(rest.body.data.firstPublishedAt).toBe(DATELINE);
    const gql = await request(app.server)
      .post('/graphql')
      .send({ query: `{ articleBySlug(slug: "${story.slug}") { firstPublishedAt } }` })
      .expect(200);
    expect(gql.body.data.articleBySlug.firstPublishedAt).toBe(DATELINE);
  });

  it('is set by the first publish, and neither a republish, an unpublish and publish, nor a write moves it', async () => {
    const before = Date.now();
    const doc = await publishArticle('first-publication-kept');
    const first = (await docs().findOne({ documentId: doc.documentId, locale: 'en', status: 'published' }))!.firstPublishedAt as string;
    expect(new Date(first).getTime()).toBeGreaterThanOrEqual(before - 1000);
    await docs().update({ documentId: doc.documentId, locale: 'en', data: { standfirst: 'A typo fixed', firstPublishedAt: '2000-01-01T00:00:00.000Z' } as never });
    await docs().publish({ documentId: doc.documentId, locale: 'en' });
    await docs().unpublish({ documentId: doc.documentId, locale: 'en' });
    await docs().publish({ documentId: doc.documentId, locale: 'en' });
    const again = (await docs().findOne({ documentId: doc.documentId, locale: 'en', status: 'published' }))!;
    expect(again.standfirst).toBe('A typo fixed');
    expect(again.firstPublishedAt).toBe(first);
    const rest = await request(app.server).get('/api/articles/slug/first-publication-kept').expect(200);
    expect(rest.body.data.firstPublishedAt).toBe(first);
    await docs().delete({ documentId: doc.documentId, locale: 'en' });
  });

  it('a draft never published has none', async () => {
    const draft = await docs().create({ locale: 'en', data: { title: 'Never out', slug: 'never-out', dateline: '2026-11-30' } });
    expect((await docs().findOne({ documentId: draft.documentId, locale: 'en' }))!.firstPublishedAt ?? null).toBeNull();
    await docs().delete({ documentId: draft.documentId, locale: 'en' });
  });
});

describe('bylines', () => {
  it('name people or organisations in order; anything else is a 400 naming the author', async () => {
    const [biden, xi, place] = await Promise.all([entityId('joe-biden'), entityId('xi-jinping'), entityId('beijing')]);
    await expect(publishArticle('byline-refused', { authors: [biden, place] })).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'authors[1] must be a person or an organization; Beijing is a place',
    });
    const doc = await publishArticle('byline-kept', { authors: [xi, biden] });
    const view = await request(app.server).get('/api/articles/slug/byline-kept').expect(200);
    expect(view.body.data.authors.map((a: { slug: string }) => a.slug)).toEqual(['xi-jinping', 'joe-biden']);
    const gql = await request(app.server).post('/graphql').send({ query: '{ articleBySlug(slug: "byline-kept") { authors { slug } } }' }).expect(200);
    expect(gql.body.data.articleBySlug.authors).toEqual([{ slug: 'xi-jinping' }, { slug: 'joe-biden' }]);
    const ld = await request(app.server).get('/api/articles/slug/byline-kept/structured-data').expect(200);
    expect(JSON.parse(ld.text).author).toEqual([
      { '@type': 'Person', name: 'Xi Jinping', url: `${SITE}/topics/xi-jinping`, sameAs: 'https://www.wikidata.org/wiki/Q15031' },
      { '@type': 'Person', name: 'Joe Biden', url: `${SITE}/topics/joe-biden`, sameAs: 'https://www.wikidata.org/wiki/Q6279' },
    ]);
    await docs().delete({ documentId: doc.documentId, locale: 'en' });
  });
});

describe('structured data', () => {
  it('is the story as a schema.org NewsArticle, with ETag and 304', async () => {
    const res = await request(app.server).get(`/api/articles/slug/${story.slug}/structured-data`).expect(200);
    expect(res.headers['content-type']).toBe('application/ld+json; charset=utf-8');
    const ld = JSON.parse(res.text);
    const url = `${SITE}/en/news/${story.slug}`;
    expect(ld).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      headline: story.title,
      description: story.standfirst,
      url,
      mainEntityOfPage: { '@type': 'WebPage', '@id': url },
      inLanguage: 'en',
      datePublished: DATELINE,
      dateModified: DATELINE,
      author: [{ '@type': 'NewsMediaOrganization', name: 'The Example Times', url: SITE, logo: { '@type': 'ImageObject', url: `${SITE}/logo.png` } }],
      publisher: { '@type': 'NewsMediaOrganization', name: 'The Example Times' },
    });
    // The headline names them ("Ukraine Conflict" is an alias of the war); the rest are mentions.
    expect(ld.about.map((t: { name: string }) => t.name).sort()).toEqual(['China', 'Russia', 'Russia-Ukraine conflict', 'Ukraine', 'United States']);
    expect(ld.mentions).toEqual(expect.arrayContaining([{ '@type': 'Person', name: 'Joe Biden', url: `${SITE}/topics/joe-biden`, sameAs: 'https://www.wikidata.org/wiki/Q6279' }]));
    expect(ld.image.length).toBeGreaterThan(1);
    for (const image of ld.image) {
      expect(image).toMatchObject({ '@type': 'ImageObject', caption: story.heroImage.caption, creditText: story.heroImage.credit, copyrightHolder: { '@type': 'Organization', name: story.heroImage.agency } });
      expect(image.url).toMatch(/^https:\/\/www\.example\.com\/uploads\//);
      expect(image.width.value).toBeGreaterThan(0);
    }
    expect(ld).not.toHaveProperty('correction');
    const again = await request(app.server).get(`/api/articles/slug/${story.slug}/structured-data`).set('If-None-Match', res.headers.etag).expect(304);
    expect(again.text).toBe('');
  });

  it('a correction is a CorrectionComment and moves dateModified, at the next request', async () => {
    const doc = await publishArticle('corrected-story');
    const path = '/api/articles/slug/corrected-story/structured-data';
    const before = JSON.parse((await request(app.server).get(path).expect(200)).text);
    expect(before.dateModified).toBe(before.datePublished);
    const at = new Date(Date.now() + 60_000).toISOString();
    await docs().update({ documentId: doc.documentId, locale: 'en', data: { updates: [{ kind: 'correction', at, note: 'An earlier version misnamed the ministry.' }] } });
    await docs().publish({ documentId: doc.documentId, locale: 'en' });
    const after = JSON.parse((await request(app.server).get(path).expect(200)).text);
    expect(after.datePublished).toBe(before.datePublished);
    expect(after.dateModified).toBe(at);
    expect(after.correction).toEqual([{ '@type': 'CorrectionComment', text: 'An earlier version misnamed the ministry.', datePublished: at }]);
    await docs().delete({ documentId: doc.documentId, locale: 'en' });
  });

  it('a draft has none (404), and a bad query is a 400 naming it', async () => {
    await docs().create({ locale: 'en', data: { title: 'Draft only', slug: 'draft-only-ld', dateline: '2026-11-30' } });
    await request(app.server).get('/api/articles/slug/draft-only-ld/structured-data').expect(404);
    const bad = await request(app.server).get(`/api/articles/slug/${story.slug}/structured-data?populate=*`).expect(400);
    expect(bad.body.error.message).toBe('unknown query parameter: populate');
  });
});

describe('slug changes', () => {
  it('the old slug answers 301 on the current view, chains collapse, a slug taken by another stops redirecting, and a withdrawn one is 410', async () => {
    const doc = await publishArticle('moved-a');
    const move = async (slug: string) => {
      await docs().update({ documentId: doc.documentId, locale: 'en', data: { slug } });
      await docs().publish({ documentId: doc.documentId, locale: 'en' });
    };
    await request(app.server).get('/api/articles/slug/moved-a').expect(200);
    await move('moved-b');
    const first = await request(app.server).get('/api/articles/slug/moved-a?locale=en').expect(301);
    expect(first.headers.location).toBe('/api/articles/slug/moved-b?locale=en');
    await move('moved-c');
    // Cached before the second move: evicted by it (the change names both slugs).
    expect((await request(app.server).get('/api/articles/slug/moved-a?locale=en').expect(301)).headers.location).toBe('/api/articles/slug/moved-c?locale=en');
    expect((await request(app.server).get('/api/articles/slug/moved-b').expect(301)).headers.location).toBe('/api/articles/slug/moved-c');
    expect((await request(app.server).get('/api/articles/slug/moved-b/structured-data').expect(301)).headers.location).toBe('/api/articles/slug/moved-c/structured-data');
    const resolved = await request(app.server).get('/api/resolve').query({ path: '/en/news/moved-a' }).expect(200);
    expect(resolved.body.data).toEqual({ kind: 'redirect', location: '/en/news/moved-c', status: 301 });
    // Moving back: the current slug is always itself (no loop).
    await move('moved-a');
    await request(app.server).get('/api/articles/slug/moved-a').expect(200);
    expect((await request(app.server).get('/api/articles/slug/moved-c').expect(301)).headers.location).toBe('/api/articles/slug/moved-a');
    // Another article takes moved-c: it is served, not redirected.
    const other = await publishArticle('moved-c');
    const taken = await request(app.server).get('/api/resolve').query({ path: '/en/news/moved-c' }).expect(200);
    expect(taken.body.data).toMatchObject({ kind: 'article', documentId: other.documentId, slug: 'moved-c', path: '/en/news/moved-c' });
    // Withdrawn: every slug it had is gone, not unknown.
    await docs().unpublish({ documentId: doc.documentId, locale: 'en' });
    const gone = await request(app.server).get('/api/resolve').query({ path: '/en/news/moved-b' }).expect(410);
    expect(gone.body.error).toMatchObject({ status: 410, name: 'GoneError' });
    await request(app.server).get('/api/articles/slug/moved-a').expect(410);
    await docs().delete({ documentId: doc.documentId, locale: 'en' });
    await docs().delete({ documentId: other.documentId, locale: 'en' });
    await request(app.server).get('/api/resolve').query({ path: '/en/news/moved-c' }).expect(410);
  });
});

describe('the resolver', () => {
  it('tells a frontend what a site path is', async () => {
    const article = await request(app.server).get('/api/resolve').query({ path: `/en/news/${story.slug}` }).expect(200);
    expect(article.body.data).toEqual({ kind: 'article', documentId: storyId, locale: 'en', slug: story.slug, path: `/en/news/${story.slug}` });
    const china = await request(app.server).get('/api/resolve').query({ path: '/topics/china' }).expect(200);
    expect(china.body.data).toEqual({ kind: 'entity', documentId: await entityId('china'), locale: null, slug: 'china', path: '/topics/china' });
    await request(app.server).get('/api/resolve').query({ path: '/en/news/never-was' }).expect(404);
    await request(app.server).get('/api/resolve').query({ path: '/about-us' }).expect(404);
    const bad = await request(app.server).get('/api/resolve').query({ path: 'en/news/x' }).expect(400);
    expect(bad.body.error.message).toBe('path must be a site path starting with /, without query or fragment (except a legacy /?p=ID)');
    expect((await request(app.server).get('/api/resolve').expect(400)).body.error.message).toBe('path is required: a site path such as /en/news/some-slug');
  });

  it('follows an entity renamed to a new slug', async () => {
    const id = await entityId('bloomberg');
    await app.strapi.documents(ENTITY).update({ documentId: id, data: { slug: 'bloomberg-news' } });
    const moved = await request(app.server).get('/api/resolve').query({ path: '/topics/bloomberg' }).expect(200);
    expect(moved.body.data).toEqual({ kind: 'redirect', location: '/topics/bloomberg-news', status: 301 });
    expect((await request(app.server).get('/api/entities/slug/bloomberg').expect(301)).headers.location).toBe('/api/entities/slug/bloomberg-news');
    // Its feeds too, in each format, the query kept.
    const feed = await request(app.server).get('/api/feeds/entities/bloomberg.atom?locale=en').expect(301);
    expect(feed.headers.location).toBe('/api/feeds/entities/bloomberg-news.atom?locale=en');
    expect(feed.body.data).toEqual({ kind: 'redirect', location: '/api/feeds/entities/bloomberg-news.atom?locale=en', status: 301 });
    await request(app.server).get('/api/feeds/entities/bloomberg-news.atom?locale=en').expect(200);
    await app.strapi.documents(ENTITY).update({ documentId: id, data: { slug: 'bloomberg' } });
    await request(app.server).get('/api/entities/slug/bloomberg').expect(200);
  });
});

describe('feeds', () => {
  it('RSS 2.0: the story with a stable guid, its first publication, full body, image credit, entities', async () => {
    const res = await text('/api/feeds/articles.rss').expect(200);
    expect(res.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    const xml: string = res.body;
    expect(xmllint(xml).ok).toBe(true);
    expect(xml).toContain(`<guid isPermaLink="false">tag:www.example.com,2024-04-10:article/${storyId}/en</guid>`);
    expect(xml).toContain('<pubDate>Wed, 10 Apr 2024 00:00:00 GMT</pubDate>');
    expect(xml).toContain(`<link>${SITE}/en/news/${story.slug}</link>`);
    expect(xml).toContain('<content:encoded><![CDATA[');
    expect(xml).toContain(`<h2>${story.sections[1].heading}</h2>`);
    expect(xml).toMatch(/<media:content url="https:\/\/www\.example\.com\/uploads\/[^"]+" medium="image"/);
    expect(xml).toContain(`<media:credit>${story.heroImage.credit}</media:credit>`);
    expect(xml).toContain('<category domain="https://www.example.com/topics/china">China</category>');
    const again = await text('/api/feeds/articles.rss').set('If-None-Match', res.headers.etag).expect(304);
    expect(again.body).toBe('');
  });

  it('Atom 1.0 and JSON Feed 1.1 say the same', async () => {
    const atom: string = (await text('/api/feeds/articles.atom').expect('content-type', 'application/atom+xml; charset=utf-8').expect(200)).body;
    expect(xmllint(atom).ok).toBe(true);
    expect(atom).toContain(`<id>tag:www.example.com,2024-04-10:article/${storyId}/en</id>`);
    expect(atom).toContain(`<published>${DATELINE}</published>`);
    const json = await request(app.server).get('/api/feeds/articles.json').expect('content-type', 'application/feed+json; charset=utf-8').expect(200);
    const feed = JSON.parse(json.text);
    expect(feed).toMatchObject({ version: 'https://jsonfeed.org/version/1.1', title: 'The Example Times', language: 'en', authors: [{ name: 'The Example Times', url: SITE }] });
    expect(feed).not.toHaveProperty('next_url');
    const item = feed.items.find((i: { id: string }) => i.id.endsWith(`/${storyId}/en`));
    expect(item).toMatchObject({ title: story.title, summary: story.standfirst, date_published: DATELINE, url: `${SITE}/en/news/${story.slug}`, language: 'en' });
    expect(item.content_html).toContain(story.sections[0].paragraphs[0].slice(0, 40));
    expect(item.tags).toEqual(expect.arrayContaining(['China', 'Joe Biden']));
  });

  it('per entity, with a 404 for an unknown one and a 400 for a bad query', async () => {
    const china: string = (await text('/api/feeds/entities/china.rss').expect(200)).body;
    expect(china).toContain('<title>The Example Times: China</title>');
    expect(china).toContain(storyId);
    await app.strapi.documents(ENTITY).create({ data: { name: 'Nobody yet', slug: 'nobody-yet', kind: 'person' } });
    const nobody: string = (await text('/api/feeds/entities/nobody-yet.atom').expect(200)).body;
    expect(xmllint(nobody).ok).toBe(true);
    expect(nobody).toContain('<title>The Example Times: Nobody yet</title>');
    expect(nobody).not.toContain('<entry>');
    await request(app.server).get('/api/feeds/entities/no-such-entity.rss').expect(404);
    await request(app.server).get('/api/feeds/articles.xml').expect(404);
    await request(app.server).get('/api/feeds/other.rss').expect(404);
    expect((await request(app.server).get('/api/feeds/articles.rss?page=2').expect(400)).body.error.message).toBe('page is for the JSON Feed only (RSS and Atom hold the newest 50)');
    expect((await request(app.server).get('/api/feeds/articles.rss?locale=xx').expect(400)).body.error.message).toBe('locale xx is not a locale of this site');
  });

  it('a publish shows in the feed of its locale and of each entity it names at the next request', async () => {
    await text('/api/feeds/articles.rss').expect(200);
    await text('/api/feeds/entities/nobody-yet.rss').expect(200);
    const doc = await publishArticle('fresh-in-feeds', { entities: [await entityId('nobody-yet')] });
    expect((await text('/api/feeds/articles.rss').expect(200)).body).toContain(`article/${doc.documentId}/en`);
    expect((await text('/api/feeds/entities/nobody-yet.rss').expect(200)).body).toContain(`article/${doc.documentId}/en`);
    await docs().unpublish({ documentId: doc.documentId, locale: 'en' });
    expect((await text('/api/feeds/articles.rss').expect(200)).body).not.toContain(`article/${doc.documentId}/en`);
    await docs().delete({ documentId: doc.documentId, locale: 'en' });
  });
});

describe('sitemaps', () => {
  it('the index lists the news sitemap, each month of the archive and the entity pages by their public URLs', async () => {
    const xml: string = (await text('/api/sitemaps/sitemap.xml').expect('content-type', 'application/xml; charset=utf-8').expect(200)).body;
    expect(xmllint(xml).ok).toBe(true);
    expect(xml).toContain(`<loc>${SITE}/sitemaps/news.xml</loc>`);
    expect(xml).toContain(`<loc>${SITE}/sitemaps/articles-2024-04.xml</loc><lastmod>${DATELINE}</lastmod>`);
    expect(xml).toContain(`<loc>${SITE}/sitemaps/entities-1.xml</loc>`);
  });

  it('the index reads one row per month, kept by the change feed: equal to a full recount after publishes, a correction, an unpublish and deletes', async () => {
    const month = new Date().toISOString().slice(0, 7);
    const kept = async () => (await sitemapMonths(app.strapi)).map((m) => `${m.month} ${m.urls} ${m.lastmod.toISOString()}`);
    const agreesWithRecount = async () => {
      const before = await kept();
      expect(await reconcileSitemapMonths(app.strapi, true)).toBe(true);
      expect(await kept()).toEqual(before);
      return before;
    };
    // The seeded story's month (its dateline, set past the feed by the seed: counted at boot).
    expect(await agreesWithRecount()).toContain(`2024-04 1 ${DATELINE}`);
    const urls = async () => (await sitemapMonths(app.strapi)).find((m) => m.month === month)?.urls ?? 0;
    const start = await urls();
    // Written together: on PostgreSQL each publish counts the month under its lock, so none is lost.
    const written = await Promise.all(['month-count-1', 'month-count-2', 'month-count-3', 'month-count-4'].map((slug) => publishArticle(slug)));
    expect(await urls()).toBe(start + 4);
    await docs().update({ documentId: written[0].documentId, locale: 'zh-Hans', data: { title: '月', slug: 'month-count-zh', dateline: '2026-11-30' } });
    await docs().publish({ documentId: written[0].documentId, locale: 'zh-Hans' });
    expect(await urls()).toBe(start + 5);
    // A correction moves the month's lastmod, and the index shows it at the next request.
    const at = new Date(Date.now() + 120_000).toISOString();
    await docs().update({ documentId: written[1].documentId, locale: 'en', data: { updates: [{ kind: 'correction', at, note: 'Corrected.' }] } });
    await docs().publish({ documentId: written[1].documentId, locale: 'en' });
    expect((await text('/api/sitemaps/sitemap.xml').expect(200)).body).toContain(`<loc>${SITE}/sitemaps/articles-${month}.xml</loc><lastmod>${at}</lastmod>`);
    await agreesWithRecount();
    await docs().unpublish({ documentId: written[2].documentId, locale: 'en' });
    expect(await urls()).toBe(start + 4);
    await docs().delete({ documentId: written[0].documentId, locale: '*' });
    expect(await urls()).toBe(start + 2);
    await agreesWithRecount();
    await docs().delete({ documentId: written[3].documentId, locale: '*' });
    // The index (evicted by that delete) costs two statements however large the archive: the
    // months' rows and the highest entity id; none reads the articles.
    const { sqlDuring } = sqlCounter(app);
    const [, statements] = await sqlDuring(() => text('/api/sitemaps/sitemap.xml').expect(200));
    expect(statements).toBe(2);
    for (const d of written.slice(1, 3)) await docs().delete({ documentId: d.documentId, locale: '*' });
    expect(await urls()).toBe(start);
    await agreesWithRecount();
  });

  it('a month lists its articles with lastmod = dateModified and the hero image; 404 past the archive', async () => {
    const xml: string = (await text('/api/sitemaps/articles-2024-04.xml').expect(200)).body;
    expect(xmllint(xml).ok).toBe(true);
    const items = await sitemapItems(xml);
    expect(items).toEqual([
      expect.objectContaining({ url: `${SITE}/en/news/${story.slug}`, lastmod: DATELINE, img: [expect.objectContaining({ url: expect.stringMatching(/^https:\/\/www\.example\.com\/uploads\//), caption: story.heroImage.caption })] }),
    ]);
    await request(app.server).get('/api/sitemaps/articles-2019-01.xml').expect(404);
    await request(app.server).get('/api/sitemaps/articles-2024-04-1.xml').expect(404);
    await request(app.server).get('/api/sitemaps/articles-2024-13.xml').expect(404);
    await request(app.server).get('/api/sitemaps/nothing.xml').expect(404);
    await request(app.server).get('/api/sitemaps/sitemap.xml?x=1').expect(400);
  });

  it('the entity pages validate against sitemaps.org schema', async () => {
    const xml: string = (await text('/api/sitemaps/entities-1.xml').expect(200)).body;
    const lint = xmllint(xml, 'sitemap.xsd');
    expect(lint.output).toContain('- validates');
    expect(lint.ok).toBe(true);
    expect(xml).toContain(`<loc>${SITE}/topics/china</loc>`);
    const broken = xmllint(xml.replace('<loc>', '<lok>'), 'sitemap.xsd');
    expect(broken.ok).toBe(false);
  });

  withOfficialSchemas('the index, a month and the news sitemap validate against the official schemas', async () => {
    const doc = await publishArticle('validated-news');
    const month = new Date().toISOString().slice(0, 7);
    for (const [file, schema] of [['sitemap.xml', 'siteindex.xsd'], [`articles-${month}.xml`, 'urlset-with-extensions.xsd'], ['news.xml', 'urlset-with-extensions.xsd']]) {
      const lint = xmllint((await text(`/api/sitemaps/${file}`).expect(200)).body, schema);
      expect(lint.output).toContain('- validates');
    }
    await docs().delete({ documentId: doc.documentId, locale: 'en' });
  });

  it('Google News: articles first published in the last 48 hours, with hreflang alternates; zh-Hans is zh-cn', async () => {
    const before: string = (await text('/api/sitemaps/news.xml').expect(200)).body;
    expect(before).not.toContain(story.slug);
    const doc = await publishArticle('news-now');
    await docs().update({ documentId: doc.documentId, locale: 'zh-Hans', data: { title: '新闻', slug: 'news-now-zh', dateline: '2026-11-30' } });
    await docs().publish({ documentId: doc.documentId, locale: 'zh-Hans' });
    const xml: string = (await text('/api/sitemaps/news.xml').expect(200)).body;
    expect(xmllint(xml).ok).toBe(true);
    const items = await sitemapItems(xml);
    const en = items.find((i) => i.url === `${SITE}/en/news/news-now`)!;
    const zh = items.find((i) => i.url === `${SITE}/zh-Hans/news/news-now-zh`)!;
    expect(en.news).toMatchObject({ publication: { name: 'The Example Times', language: 'en' }, title: 'Story news-now' });
    expect(zh.news).toMatchObject({ publication: { name: 'The Example Times', language: 'zh-cn' }, title: '新闻' });
    expect(en.links).toEqual([
      { lang: 'en', url: `${SITE}/en/news/news-now` },
      { lang: 'zh-Hans', url: `${SITE}/zh-Hans/news/news-now-zh` },
    ]);
    const month = new Date().toISOString().slice(0, 7);
    const child: string = (await text(`/api/sitemaps/articles-${month}.xml`).expect(200)).body;
    expect(child).toContain(`${SITE}/zh-Hans/news/news-now-zh`);
    expect((await text('/api/sitemaps/sitemap.xml').expect(200)).body).toContain(`${SITE}/sitemaps/articles-${month}.xml`);
    await docs().delete({ documentId: doc.documentId, locale: '*' });
    expect((await text('/api/sitemaps/news.xml').expect(200)).body).not.toContain('news-now');
  });
});

describe('topic pages and related stories', () => {
  it('a topic: the entity, how many published articles name it, and the entities most often named with it', async () => {
    const res = await request(app.server).get('/api/entities/slug/china').expect(200);
    expect(res.body.data.entity).toMatchObject({ slug: 'china', name: 'China' });
    expect(res.body.data.articles).toBe(1);
    expect(res.body.data.namedWith).toHaveLength(10);
    expect(res.body.data.namedWith[0]).toMatchObject({ articles: 1 });
    await request(app.server).get('/api/entities/slug/no-such-entity').expect(404);
  });

  it('related: sharing a rare entity outranks sharing a common one; newer first on ties; never itself', async () => {
    // Entities of their own: the seeded story names every seeded one.
    const topic = async (slug: string) => (await app.strapi.documents(ENTITY).create({ data: { name: slug, slug, kind: 'topic' } })).documentId;
    const [iran, northKorea, us] = [await topic('related-rare-topic'), await topic('related-unshared-topic'), await topic('related-common-topic')];
    // One after the other: newer first on ties needs their order known.
    const extra = [await publishArticle('related-filler-1', { entities: [us] }), await publishArticle('related-filler-2', { entities: [us] })];
    const base = await publishArticle('related-base', { entities: [iran, us] });
    const common = await publishArticle('related-common', { entities: [us] });
    const rare = await publishArticle('related-rare', { entities: [iran] });
    const none = await publishArticle('related-none', { entities: [northKorea] });
    const res = await request(app.server).get('/api/articles/slug/related-base/related').expect(200);
    const slugs = res.body.data.map((a: { slug: string }) => a.slug);
    expect(slugs[0]).toBe('related-rare');
    expect(slugs.slice(1)).toEqual(['related-common', 'related-filler-2', 'related-filler-1']);
    expect(slugs).not.toContain('related-base');
    expect(slugs).not.toContain('related-none');
    expect((await request(app.server).get('/api/articles/slug/related-base/related?limit=2').expect(200)).body.data).toHaveLength(2);
    expect((await request(app.server).get('/api/articles/slug/related-base/related?limit=50').expect(400)).body.error.message).toMatch(/limit/);
    for (const d of [...extra, base, common, rare, none]) await docs().delete({ documentId: d.documentId, locale: 'en' });
  });
});
