/**
 * Sitemaps, written with the `sitemap` package and streamed (the archive is read in pages of
 * BATCH rows, never whole):
 *   sitemap.xml                 the index: every child by its public URL (SITE_URL + prefix + name),
 *                               read from the per-month summary (sitemap-months.ts), not the archive
 *   articles-YYYY-MM[-N].xml    the articles first published in that month (UTC), at most
 *                               CHILD_URLS each (-2, -3… past that); `lastmod` = dateModified,
 *                               `xhtml:link` hreflang alternates, `image:image` for the hero image
 *   entities-N.xml              entity pages, by entity id in blocks of ENTITY_BLOCK
 *   news.xml                    Google News: first published in the last 48 hours, at most 1,000
 * An article's month is that of its first publication, which never changes, so it stays in the
 * same child as the archive grows: crawlers' and CDNs' copies of older children stay valid.
 */
import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { SitemapIndexStream, SitemapStream, type SitemapItemLoose } from 'sitemap';
import type { Env } from '../env';
import type { Row } from '../reads/article-loader';
import { articleLoader } from '../reads/article-reads';
import { renditions } from './media';
import { articleUrl, dateModified, datePublished, publishedBetween, publishedSince } from './published';
import type { Site } from './site';
import { monthKey, monthRange, monthUrls, sitemapMonths } from './sitemap-months';

export const CHILD_URLS = 5_000;
export const ENTITY_BLOCK = 50_000;
export const NEWS_WINDOW_MS = 48 * 60 * 60 * 1000;
export const NEWS_MAX = 1_000;
const BATCH = 500;

/** Google News wants ISO 639 codes, and zh-cn / zh-tw for Chinese scripts. */
export function newsLanguage(locale: string): string {
  const lower = locale.toLowerCase();
  if (lower === 'zh-hans' || lower === 'zh-cn' || lower === 'zh-sg') return 'zh-cn';
  if (lower === 'zh-hant' || lower === 'zh-tw' || lower === 'zh-hk') return 'zh-tw';
  return lower.split('-')[0];
}

const CHILD = /^(?:articles-(\d{4})-(\d{2})(?:-(\d+))?|entities-(\d+))$/;

export type SitemapName =
  | { kind: 'index' }
  | { kind: 'news' }
  | { kind: 'articles'; year: number; month: number; part: number }
  | { kind: 'entities'; block: number };

/** What a sitemap's file name names; null for a name no sitemap has. */
export function parseSitemapName(file: string): SitemapName | null {
  if (!file.endsWith('.xml')) return null;
  const name = file.slice(0, -'.xml'.length);
  if (name === 'sitemap') return { kind: 'index' };
  if (name === 'news') return { kind: 'news' };
  const m = CHILD.exec(name);
  if (!m) return null;
  if (m[4] !== undefined) {
    const block = Number(m[4]);
    return block >= 1 && block <= 100_000 ? { kind: 'entities', block } : null;
  }
  const [year, month, part] = [Number(m[1]), Number(m[2]), m[3] === undefined ? 1 : Number(m[3])];
  // One spelling per child: part 1 has no suffix.
  if (month < 1 || month > 12 || part < 1 || m[3] === '1' || part > 10_000) return null;
  return { kind: 'articles', year, month, part };
}

const articlesName = (year: number, month: number, part: number) => `articles-${monthKey(year, month)}${part > 1 ? `-${part}` : ''}`;

async function entityBlocks(strapi: Core.Strapi): Promise<number> {
  const knex = strapi.db.connection as unknown as Knex;
  const table = strapi.db.metadata.get('api::entity.entity').tableName;
  const [row] = (await knex(table).max({ top: 'id' })) as Array<{ top: number | string | null }>;
  return row?.top ? Math.ceil(Number(row.top) / ENTITY_BLOCK) : 0;
}

/** Writes items to a sitemap stream as batches arrive, waiting when the client reads slowly. */
async function pump(stream: SitemapStream | SitemapIndexStream, batches: AsyncIterable<SitemapItemLoose[] | Array<{ url: string; lastmod?: string }>>): Promise<void> {
  try {
    for await (const batch of batches) {
      for (const item of batch) if (!stream.write(item)) await once(stream, 'drain');
    }
    stream.end();
  } catch (error) {
    stream.destroy(error as Error);
  }
}

function output(stream: SitemapStream | SitemapIndexStream): Readable {
  const body = new PassThrough();
  stream.on('error', (error) => body.destroy(error));
  return stream.pipe(body);
}

export interface SitemapContext {
  strapi: Core.Strapi;
  env: Env;
  site: Site;
}

/** The sitemap index; `tags` are what it shows. */
export async function sitemapIndex({ strapi, site }: SitemapContext): Promise<{ body: Readable; tags: string[] }> {
  const [monthly, blocks] = await Promise.all([sitemapMonths(strapi), entityBlocks(strapi)]);
  const items: Array<{ url: string; lastmod?: string }> = [{ url: site.absolute(`${site.sitemapPrefix}news.xml`) }];
  if (site.patterns.article) {
    for (const m of monthly) {
      const [year, month] = m.month.split('-').map(Number);
      const lastmod = m.lastmod.toISOString();
      for (let part = 1; part <= Math.ceil(m.urls / CHILD_URLS); part++) items.push({ url: site.absolute(`${site.sitemapPrefix}${articlesName(year, month, part)}.xml`), lastmod });
    }
  }
  if (site.patterns.entity) for (let b = 1; b <= blocks; b++) items.push({ url: site.absolute(`${site.sitemapPrefix}entities-${b}.xml`) });
  const stream = new SitemapIndexStream();
  void pump(stream, (async function* () {
    yield items;
  })());
  return { body: output(stream), tags: ['list:articles', 'list:entities'] };
}

/** hreflang alternates of each article (itself included), and its hero image. */
async function articleItems(strapi: Core.Strapi, env: Env, site: Site, rows: Row[], news: boolean): Promise<SitemapItemLoose[]> {
  const loader = articleLoader(strapi);
  const ids = rows.map((r) => Number(r.id));
  const [translations, heroes] = await Promise.all([loader.localizations(rows as never), loader.heroImages(ids)]);
  const items: SitemapItemLoose[] = [];
  for (const row of rows) {
    const url = articleUrl(site, row);
    if (!url) continue;
    const others = translations.get(Number(row.id)) ?? [];
    const links =
      others.length > 0
        ? [row, ...others]
            .map((r) => ({ lang: String(r.locale), url: articleUrl(site, { ...r, locale: r.locale, slug: r.slug, documentId: row.documentId }) ?? '' }))
            .filter((l) => l.url)
            .sort((a, b) => a.lang.localeCompare(b.lang))
        : undefined;
    const hero = heroes.get(Number(row.id));
    const [image] = renditions(env, site, hero?.asset as Row | null);
    const item: SitemapItemLoose = {
      url,
      lastmod: dateModified(row).toISOString(),
      ...(links ? { links } : {}),
      ...(image ? { img: [{ url: image.url, ...(typeof hero?.caption === 'string' && hero.caption ? { caption: hero.caption } : {}) }] } : {}),
    };
    if (news) {
      item.news = {
        publication: { name: site.name, language: newsLanguage(String(row.locale)) },
        publication_date: datePublished(row).toISOString(),
        title: String(row.title),
      };
    }
    items.push(item);
  }
  return items;
}

const EMPTY_NEWS =
  '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"></urlset>';

const URLSET_NAMESPACES = (news: boolean) => ({ news, xhtml: true, image: true, video: false });

/** A month's child sitemap (one part of it), streamed in batches. */
export function articlesSitemap({ strapi, env, site }: SitemapContext, name: Extract<SitemapName, { kind: 'articles' }>): { body: Readable; tags: string[] } {
  const { from, to } = monthRange(monthKey(name.year, name.month));
  const stream = new SitemapStream({ xmlns: URLSET_NAMESPACES(false) });
  const batches = async function* () {
    if (!site.patterns.article) return;
    // Skip to the part's first row by keyset, a batch at a time.
    let after: { at: Date; id: number } | null = null;
    let skipped = 0;
    const skip = (name.part - 1) * CHILD_URLS;
    while (skipped < skip) {
      const rows = await publishedBetween(strapi, from, to, after, Math.min(BATCH * 10, skip - skipped));
      if (rows.length === 0) return;
      skipped += rows.length;
      const last = rows[rows.length - 1];
      after = { at: datePublished(last), id: Number(last.id) };
    }
    for (let sent = 0; sent < CHILD_URLS; ) {
      const rows = await publishedBetween(strapi, from, to, after, Math.min(BATCH, CHILD_URLS - sent));
      if (rows.length === 0) return;
      sent += rows.length;
      const last = rows[rows.length - 1];
      after = { at: datePublished(last), id: Number(last.id) };
      yield await articleItems(strapi, env, site, rows, false);
    }
  };
  void pump(stream, batches());
  return { body: output(stream), tags: ['list:articles'] };
}

/** Google News: the articles first published in the last 48 hours, newest first. */
export async function newsSitemap({ strapi, env, site }: SitemapContext, now = new Date()): Promise<{ body: Readable; tags: string[] }> {
  const rows = site.patterns.article ? await publishedSince(strapi, new Date(now.getTime() - NEWS_WINDOW_MS), NEWS_MAX) : [];
  const items = await articleItems(strapi, env, site, rows, true);
  // A quiet two days: an empty set (the package refuses to write one).
  if (items.length === 0) return { body: Readable.from([EMPTY_NEWS]), tags: ['list:articles'] };
  const stream = new SitemapStream({ xmlns: URLSET_NAMESPACES(true) });
  void pump(stream, (async function* () {
    yield items;
  })());
  return { body: output(stream), tags: ['list:articles'] };
}

/** A block of entity pages, streamed in batches. */
export function entitiesSitemap({ strapi, site }: SitemapContext, block: number): { body: Readable; tags: string[] } {
  const knex = strapi.db.connection as unknown as Knex;
  const table = strapi.db.metadata.get('api::entity.entity').tableName;
  const stream = new SitemapStream({ xmlns: { news: false, xhtml: false, image: false, video: false } });
  const first = (block - 1) * ENTITY_BLOCK + 1;
  const lastId = block * ENTITY_BLOCK;
  const batches = async function* () {
    if (!site.patterns.entity) return;
    for (let after = first - 1; ; ) {
      const rows = (await knex(table).select('id', 'document_id', 'slug').where('id', '>', after).where('id', '<=', lastId).orderBy('id').limit(BATCH * 2)) as Array<{
        id: number;
        document_id: string;
        slug: string;
      }>;
      if (rows.length === 0) return;
      after = Number(rows[rows.length - 1].id);
      yield rows.map((r) => ({ url: site.pageUrl('entity', { slug: r.slug, documentId: r.document_id }) ?? '' })).filter((i) => i.url);
    }
  };
  void pump(stream, batches());
  return { body: output(stream), tags: ['list:entities'] };
}

/** Whether a child sitemap has any URL (a name past the archive is a 404, not an empty file); one row read. */
export async function sitemapExists({ strapi }: SitemapContext, name: SitemapName): Promise<boolean> {
  const knex = strapi.db.connection as unknown as Knex;
  if (name.kind === 'index' || name.kind === 'news') return true;
  if (name.kind === 'entities') {
    const table = strapi.db.metadata.get('api::entity.entity').tableName;
    const row = await knex(table).first('id').where('id', '>', (name.block - 1) * ENTITY_BLOCK).where('id', '<=', name.block * ENTITY_BLOCK);
    return Boolean(row);
  }
  return (await monthUrls(strapi, monthKey(name.year, name.month))) > (name.part - 1) * CHILD_URLS;
}
