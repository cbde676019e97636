import { tagsFor, type ContentChange } from '../../../src/changes';
import { parseEnv } from '../../../src/env';
import { matchPath } from '../../../src/distribution/resolve';
import { siteOf } from '../../../src/distribution/site';
import { newsLanguage, parseSitemapName } from '../../../src/distribution/sitemaps';
import { headlineNames } from '../../../src/distribution/structured-data';
import { dateModified, datePublished } from '../../../src/distribution/published';

const { randomSecrets } = require('../../../scripts/secrets') as { randomSecrets: () => Record<string, string> };
const site = (extra: Record<string, string> = {}) => siteOf(parseEnv({ ...randomSecrets(), SITE_URL: 'https://www.example.com', ...extra }));

describe('Google News language codes', () => {
  it.each([
    ['en', 'en'],
    ['en-GB', 'en'],
    ['zh-Hans', 'zh-cn'],
    ['zh-Hant', 'zh-tw'],
    ['ru', 'ru'],
    ['uk', 'uk'],
    ['pt-BR', 'pt'],
  ])('%s → %s', (locale, code) => expect(newsLanguage(locale)).toBe(code));
});

describe('sitemap names', () => {
  it.each([
    ['sitemap.xml', { kind: 'index' }],
    ['news.xml', { kind: 'news' }],
    ['articles-2024-04.xml', { kind: 'articles', year: 2024, month: 4, part: 1 }],
    ['articles-2024-04-2.xml', { kind: 'articles', year: 2024, month: 4, part: 2 }],
    ['entities-3.xml', { kind: 'entities', block: 3 }],
  ])('%s is %j', (file, name) => expect(parseSitemapName(file)).toEqual(name));

  it.each(['articles-2024-04-1.xml', 'articles-2024-13.xml', 'articles-2024-00.xml', 'entities-0.xml', 'sitemap', 'news.json', 'articles-24-04.xml', '../etc.xml'])('%s names none', (file) =>
    expect(parseSitemapName(file)).toBeNull(),
  );
});

describe('site paths', () => {
  it('match the site patterns, and only them', () => {
    const s = site();
    expect(matchPath(s, '/en/news/some-story')).toEqual({ type: 'article', values: { locale: 'en', slug: 'some-story' } });
    expect(matchPath(s, '/zh-Hans/news/some-story/')).toEqual({ type: 'article', values: { locale: 'zh-Hans', slug: 'some-story' } });
    expect(matchPath(s, '/topics/china')).toEqual({ type: 'entity', values: { slug: 'china' } });
    expect(matchPath(s, '/en/news')).toBeNull();
    expect(matchPath(s, '/en/news/a/b')).toBeNull();
    expect(matchPath(s, '/en/news/%E0%A4%A')).toBeNull();
    const other = site({ SITE_PATH_PATTERNS: 'article=/stories/{slug}.html' });
    expect(matchPath(other, '/stories/a.html')).toEqual({ type: 'article', values: { slug: 'a' } });
    expect(matchPath(other, '/stories/aXhtml')).toBeNull();
    expect(matchPath(other, '/topics/china')).toBeNull();
  });

  it('are made absolute on SITE_URL', () => {
    expect(site().pageUrl('article', { locale: 'en', slug: 'a b' })).toBe('https://www.example.com/en/news/a%20b');
    expect(site({ SITE_PATH_PATTERNS: 'article=/s/{slug}' }).pageUrl('entity', { slug: 'x' })).toBeNull();
  });
});

describe('about: the entities the headline names', () => {
  const title = 'US Warns Allies of China’s Growing Support for Russia Amid Ukraine Conflict';
  it.each([
    [{ name: 'United States', aliases: ['US'] }, true],
    [{ name: 'China', aliases: [] }, true],
    [{ name: 'Russia-Ukraine conflict', aliases: ['Ukraine Conflict'] }, true],
    [{ name: 'Joe Biden', aliases: ['Biden'] }, false],
    // A whole word only: "Rus" is not named by "Russia".
    [{ name: 'Rus', aliases: [] }, false],
    [{ name: 'us', aliases: [] }, false],
  ])('%j → %s', (entity, named) => expect(headlineNames(title, entity)).toBe(named));
});

describe('dates', () => {
  it('dateModified is the newest log entry, never before the first publication', () => {
    expect(datePublished({ firstPublishedAt: '2024-04-10T00:00:00.000Z', publishedAt: '2026-01-01T00:00:00.000Z' }).toISOString()).toBe('2024-04-10T00:00:00.000Z');
    expect(datePublished({ firstPublishedAt: null, publishedAt: '2026-01-01T00:00:00.000Z' }).toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(dateModified({ firstPublishedAt: '2024-04-10T00:00:00.000Z', lastUpdatedAt: '2024-04-12T08:00:00.000Z' }).toISOString()).toBe('2024-04-12T08:00:00.000Z');
    expect(dateModified({ firstPublishedAt: '2024-04-10T00:00:00.000Z', lastUpdatedAt: '2024-01-01T00:00:00.000Z' }).toISOString()).toBe('2024-04-10T00:00:00.000Z');
    expect(dateModified({ firstPublishedAt: '2024-04-10T00:00:00.000Z', lastUpdatedAt: null }).toISOString()).toBe('2024-04-10T00:00:00.000Z');
  });
});

describe('the tags a change yields', () => {
  const article = (over: Partial<ContentChange> = {}): ContentChange => ({
    action: 'update-published',
    contentType: 'api::article.article',
    documentId: 'a1',
    locale: 'ru',
    slug: 'new',
    affected: [{ contentType: 'api::article.article', documentId: 'a1', locale: 'ru', slug: 'new' }],
    ...over,
  });
  it('a moved article: both slugs, its locale lists, the document', () => {
    expect(tagsFor([article({ previousSlug: 'old' })])).toEqual(['doc:a1', 'list:articles', 'list:articles:ru', 'slug:article:ru:new', 'slug:article:ru:old']);
  });
  it('an image: itself, image lists, and the lists of the articles it shows in', () => {
    const change: ContentChange = { action: 'update-published', contentType: 'api::image.image', documentId: 'i1', locale: null, slug: null, affected: [{ contentType: 'api::article.article', documentId: 'a1', locale: 'en', slug: 's' }] };
    expect(tagsFor([change])).toEqual(['doc:a1', 'doc:i1', 'list:articles:en', 'list:images']);
  });
});
