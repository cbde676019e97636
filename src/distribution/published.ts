/**
 * Reads of published articles for the distribution outputs, on the batched loader (src/reads):
 * the newest of a locale (or naming an entity) by first publication, those first published
 * since a time, one month of the archive in pages, and each article's dates and site URLs.
 * Every read is a fixed number of statements on an index (articles_first_published_idx).
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { Row } from '../reads/article-loader';
import { articleLoader } from '../reads/article-reads';
import type { Site } from './site';

const ARTICLE = 'api::article.article';

const time = (v: unknown): number | null => {
  if (v === null || v === undefined || v === '') return null;
  const t = new Date(v as string).getTime();
  return Number.isNaN(t) ? null : t;
};

/** When the locale was first published (the publish time for one published before it was kept). */
export function datePublished(article: Row): Date {
  return new Date(time(article.firstPublishedAt) ?? time(article.publishedAt) ?? 0);
}

/** The newest update or correction in the public log, else the first publication; never Strapi's updatedAt. */
export function dateModified(article: Row): Date {
  const published = datePublished(article).getTime();
  const updated = time(article.lastUpdatedAt);
  return new Date(updated !== null && updated > published ? updated : published);
}

/** The site URL of an article locale; null when the site has no article pages. */
export const articleUrl = (site: Site, article: Row): string | null =>
  site.pageUrl('article', { locale: String(article.locale), slug: String(article.slug), documentId: String(article.documentId) });

function byFirstPublication(q: Knex.QueryBuilder, table: string, order: 'asc' | 'desc'): void {
  q.orderBy([
    { column: `${table}.first_published_at`, order },
    { column: `${table}.id`, order },
  ]);
}

/** The newest published articles of a locale by first publication, `offset` on, at most `limit`. */
export async function newestPublished(strapi: Core.Strapi, locale: string, limit: number, offset = 0): Promise<Row[]> {
  const loader = articleLoader(strapi);
  const table = loader.articleTable;
  return loader.articles('distribution:newest', [locale, offset, limit], (q, [l, o, n]) => {
    q.where(`${table}.locale`, l as string).whereNotNull(`${table}.published_at`).whereNotNull(`${table}.first_published_at`);
    byFirstPublication(q, table, 'desc');
    q.offset(o as number).limit(n as number);
  });
}

/** The newest published articles of a locale that name the entity (row id), by first publication. */
export async function newestNaming(strapi: Core.Strapi, entityId: number, locale: string, limit: number, offset = 0): Promise<Row[]> {
  const loader = articleLoader(strapi);
  const table = loader.articleTable;
  const { joinTable } = strapi.db.metadata.get(ARTICLE).attributes.entities as unknown as {
    joinTable: { name: string; joinColumn: { name: string }; inverseJoinColumn: { name: string } };
  };
  return loader.articles('distribution:naming', [entityId, locale, offset, limit], (q, [e, l, o, n]) => {
    q.whereIn(`${table}.id`, (sub) => sub.select(joinTable.joinColumn.name).from(joinTable.name).where(joinTable.inverseJoinColumn.name, e as number));
    q.where(`${table}.locale`, l as string).whereNotNull(`${table}.published_at`).whereNotNull(`${table}.first_published_at`);
    byFirstPublication(q, table, 'desc');
    q.offset(o as number).limit(n as number);
  });
}

/** Published articles of every locale first published at or after `since`, newest first, at most `limit`. */
export async function publishedSince(strapi: Core.Strapi, since: Date, limit: number): Promise<Row[]> {
  const loader = articleLoader(strapi);
  const table = loader.articleTable;
  return loader.articles('distribution:since', [since, limit], (q, [s, n]) => {
    q.where(`${table}.first_published_at`, '>=', s as Date).whereNotNull(`${table}.published_at`);
    byFirstPublication(q, table, 'desc');
    q.limit(n as number);
  });
}

/**
 * One page of the published articles first published in [from, to), oldest first, after the
 * (firstPublishedAt, id) key given: the archive is read in pages, never whole.
 */
export async function publishedBetween(strapi: Core.Strapi, from: Date, to: Date, after: { at: Date; id: number } | null, limit: number): Promise<Row[]> {
  const loader = articleLoader(strapi);
  const table = loader.articleTable;
  const start = after ?? { at: from, id: 0 };
  return loader.articles('distribution:between', [from, to, start.at, start.id, limit], (q, [f, t, at, id, n]) => {
    q.where(`${table}.first_published_at`, '>=', f as Date).where(`${table}.first_published_at`, '<', t as Date);
    q.whereNotNull(`${table}.published_at`);
    // Keyset: past the last row of the previous page.
    q.where((w) => w.where(`${table}.first_published_at`, '>', at as Date).orWhere((o) => o.where(`${table}.first_published_at`, at as Date).where(`${table}.id`, '>', id as number)));
    byFirstPublication(q, table, 'asc');
    q.limit(n as number);
  });
}

/** The other published locales of each article: `{ locale, slug }` per article id. */
export async function publishedTranslations(strapi: Core.Strapi, articles: Row[]): Promise<Map<number, Row[]>> {
  return articleLoader(strapi).localizations(articles as never);
}
