/**
 * RSS 2.0, Atom 1.0 and JSON Feed 1.1 of the newest published articles of a locale, or of those
 * naming an entity, built with the `feed` package. An item's id is a tag URI on the site's host,
 * the date of the locale's first publication and the documentId and locale, so it never changes
 * (a slug change, a correction, a republish keep it). pubDate/published = firstPublishedAt,
 * updated = dateModified; the body is the whole story as HTML (body-html.ts); the hero image is
 * an enclosure (RSS also `media:content` with its credit); bylines are authors (RSS
 * `dc:creator`); entities are categories. JSON Feed pages with `next_url`.
 */
import { Feed, type Item } from 'feed';
import type { Env } from '../env';
import type { Row } from '../reads/article-loader';
import { bodyHtml } from './body-html';
import { renditions } from './media';
import { articleUrl, dateModified, datePublished } from './published';
import type { Site } from './site';

export const FEED_FORMATS = { rss: 'application/rss+xml', atom: 'application/atom+xml', json: 'application/feed+json' } as const;
export type FeedFormat = keyof typeof FEED_FORMATS;

export const FEED_SIZE = 50;

export interface FeedSpec {
  title: string;
  description: string;
  locale: string;
  /** the site page the feed follows (the locale's list, an entity's page) */
  link: string;
  /** the feed's own URL in each format, and JSON Feed's next page */
  selfUrl: (format: FeedFormat, page?: number) => string;
  page: number;
  hasNextPage: boolean;
  /** populated as the REST view populates an article */
  articles: Row[];
}

/** `tag:www.example.com,2024-04-10:article/<documentId>/<locale>` */
export function itemId(site: Site, article: Row): string {
  return `tag:${new URL(site.url).hostname},${datePublished(article).toISOString().slice(0, 10)}:article/${String(article.documentId)}/${String(article.locale)}`;
}

const entityLink = (site: Site, e: Row) => site.pageUrl('entity', { slug: String(e.slug), documentId: String(e.documentId) }) ?? undefined;

function item(env: Env, site: Site, article: Row, format: FeedFormat): Item {
  const hero = article.heroImage as Row | null;
  const [largest] = renditions(env, site, hero?.asset as Row | null);
  const caption = typeof hero?.caption === 'string' ? hero.caption : null;
  const credit = typeof hero?.credit === 'string' && hero.credit ? hero.credit : null;
  const authors = ((article.authors ?? []) as Row[]).map((a) => ({ name: String(a.name), link: entityLink(site, a) }));
  const link = articleUrl(site, article) ?? site.url;
  const extensions: Item['extensions'] = [];
  if (format === 'rss') {
    for (const a of authors) extensions.push({ name: 'dc:creator', objects: { _text: a.name } });
    if (largest) {
      extensions.push({
        name: 'media:content',
        objects: {
          _attributes: { url: largest.url, medium: 'image', ...(largest.mime ? { type: largest.mime } : {}), ...(largest.width ? { width: largest.width } : {}), ...(largest.height ? { height: largest.height } : {}) },
          ...(caption ? { 'media:description': { _text: caption } } : {}),
          ...(credit ? { 'media:credit': { _text: credit } } : {}),
        },
      });
    }
  }
  return {
    id: itemId(site, article),
    title: String(article.title),
    link,
    date: dateModified(article),
    published: datePublished(article),
    ...(typeof article.standfirst === 'string' && article.standfirst ? { description: article.standfirst } : {}),
    content: bodyHtml(article, largest ? { url: largest.url, alt: String(hero?.altText ?? caption ?? ''), caption, credit } : null),
    // RSS names authors by dc:creator (its own <author> wants an email address).
    ...(format !== 'rss' && authors.length > 0 ? { author: authors } : {}),
    category: ((article.entities ?? []) as Row[]).map((e) => ({ name: String(e.name), term: String(e.slug), ...(entityLink(site, e) ? { scheme: entityLink(site, e), domain: entityLink(site, e) } : {}) })),
    ...(largest ? { image: { url: largest.url, ...(largest.mime ? { type: largest.mime } : {}), ...(largest.size ? { length: largest.size } : {}), ...(credit ? { title: credit } : {}) } } : {}),
    ...(extensions.length > 0 ? { extensions } : {}),
  };
}

/** The feed in one format, as a string. Nothing in it depends on the time of the request. */
export function renderFeed(env: Env, site: Site, spec: FeedSpec, format: FeedFormat): string {
  const newest = spec.articles.reduce((max, a) => Math.max(max, dateModified(a).getTime()), 0);
  const feed = new Feed({
    id: spec.selfUrl('atom'),
    title: spec.title,
    description: spec.description,
    link: spec.link,
    language: spec.locale,
    updated: new Date(newest),
    generator: 'Newsroom CMS',
    copyright: `© ${site.name}`,
    ...(site.logoUrl ? { image: site.logoUrl } : {}),
    feedLinks: { rss: spec.selfUrl('rss'), atom: spec.selfUrl('atom'), json: spec.selfUrl('json') },
    // Atom wants an author on the feed or on every entry: the publication.
    author: { name: site.name, link: site.url },
  });
  for (const article of spec.articles) feed.addItem(item(env, site, article, format));
  if (format === 'rss') {
    // The package writes neither the Media RSS namespace nor isPermaLink="false" (our guids are tag URIs, not links).
    return feed
      .rss2()
      .replace('<rss version="2.0"', '<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"')
      .replace(/<guid>/g, '<guid isPermaLink="false">');
  }
  if (format === 'atom') return feed.atom1();
  return jsonFeed11(feed.json1(), spec, site);
}

/** The package writes JSON Feed 1.0; 1.1 has `authors` lists, `language` and paging. */
function jsonFeed11(json: string, spec: FeedSpec, site: Site): string {
  const doc = JSON.parse(json) as Record<string, unknown> & { items: Array<Record<string, unknown>> };
  doc.version = 'https://jsonfeed.org/version/1.1';
  delete doc.author;
  doc.authors = [{ name: site.name, url: site.url }];
  doc.language = spec.locale;
  if (spec.hasNextPage) doc.next_url = spec.selfUrl('json', spec.page + 1);
  doc.items.forEach((entry, i) => {
    delete entry.author;
    const authors = ((spec.articles[i].authors ?? []) as Row[]).map((a) => ({ name: String(a.name), ...(entityLink(site, a) ? { url: entityLink(site, a) } : {}) }));
    if (authors.length > 0) entry.authors = authors;
    entry.language = String(spec.articles[i].locale);
  });
  return JSON.stringify(doc);
}
