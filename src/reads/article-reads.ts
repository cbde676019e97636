/**
 * The public article reads built on the batched loader: the whole article by slug, the newest
 * articles, and the articles that name an entity. Each is a fixed number of SQL statements
 * (the view: 5, plus 1 to look up the default locale when the request names none), and each
 * answer is sanitized for the Public role, so private fields go and relations stay.
 */
import type { Core } from '@strapi/strapi';
import { markRevisions } from '../history/revision-marks';
import { errors } from '@strapi/utils';
import { z } from 'zod';
import { PAGE_SIZE } from '../../config/api';
import { assertSiteLocale, defaultLocale } from '../content-api/default-locale';
import { publicProjection } from '../content-api/public-projection';
import { localeSchema, wholeNumber } from '../content-api/read-query';
import { ArticleLoader, type ArticleRowKey, type Row } from './article-loader';

const ARTICLE = 'api::article.article';
const ENTITY = 'api::entity.entity';
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const loaders = new WeakMap<Core.Strapi, ArticleLoader>();
export function articleLoader(strapi: Core.Strapi): ArticleLoader {
  let loader = loaders.get(strapi);
  if (!loader) loaders.set(strapi, (loader = new ArticleLoader(strapi)));
  return loader;
}

/** Fills in sections, updates, authors, heroImage (with asset and depicts), entities and localizations. */
export async function populateArticles(strapi: Core.Strapi, articles: Row[]): Promise<Row[]> {
  const loader = articleLoader(strapi);
  const ids = articles.map((a) => Number(a.id));
  const [{ components, heroes, entities }, localizations] = await Promise.all([
    loader.articleParts(ids),
    loader.localizations(articles as unknown as ArticleRowKey[]),
  ]);
  for (const article of articles) {
    const id = Number(article.id);
    Object.assign(article, components.get(id));
    const hero = heroes.get(id) ?? null;
    if (hero) hero.depicts = entities.ofImage.get(Number(hero.id)) ?? [];
    article.heroImage = hero;
    article.authors = entities.authorsOf.get(id) ?? [];
    article.entities = entities.ofArticle.get(id) ?? [];
    article.localizations = localizations.get(id) ?? [];
  }
  return articles;
}

/** What the Public role may see of a value of `uid` (Strapi's sanitizer, compiled: content-api/public-projection.ts). */
export async function sanitizeForPublic(strapi: Core.Strapi, value: unknown, uid: string = ARTICLE): Promise<unknown> {
  return (await publicProjection(strapi, uid))(value);
}

const validation = (message: string, param: string) => new errors.ValidationError(message, { source: 'query', param });

export const strictQuery = <T extends z.ZodRawShape>(shape: T) =>
  z.strictObject(shape, { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown query parameter: ${issue.keys.join(', ')}` : undefined) });

export function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.infer<T> {
  const result = schema.safeParse(query ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw validation(issue.message, issue.code === 'unrecognized_keys' ? issue.keys[0] : String(issue.path[0] ?? 'query'));
}

// The locale is checked against the site's only once a read has found nothing (assertSiteLocale).
export const localeParam = localeSchema.max(35, 'locale is too long').optional();
export const viewQuery = strictQuery({ locale: localeParam });
export const pageQuery = strictQuery({
  locale: localeParam,
  page: wholeNumber('page', 1, 10_000).optional(),
  pageSize: wholeNumber('pageSize', 1, PAGE_SIZE.max).optional(),
});

export function checkSlug(slug: string, what: string): void {
  if (slug.length > 200 || !SLUG.test(slug)) throw new errors.ValidationError(`${what} must be lower-case words joined by hyphens`, { source: 'params', param: 'slug' });
}

/** The published article row with this slug, in `locale` or the default locale; null when there is none. */
export async function findPublishedBySlug(strapi: Core.Strapi, slug: string, locale?: string): Promise<Row | null> {
  checkSlug(slug, 'slug');
  const [article] = await articleLoader(strapi).articles('by-slug', [slug, locale ?? (await defaultLocale(strapi))], (q, [s, l]) =>
    q.where({ slug: s, locale: l }).whereNotNull('published_at').orderBy('id').limit(1),
  );
  if (!article && locale) await assertSiteLocale(strapi, locale);
  return article ?? null;
}

/** GET /api/articles/slug/:slug — the whole published article, as the core route gives it with full populate. */
export async function articleBySlug(strapi: Core.Strapi, slug: string, query: unknown): Promise<{ data: unknown; meta: Record<string, never> }> {
  checkSlug(slug, 'slug');
  const params = parseQuery(viewQuery, query);
  const article = await findPublishedBySlug(strapi, slug, params.locale);
  if (!article) throw new errors.NotFoundError(`No published article with slug ${slug} in locale ${params.locale ?? (await defaultLocale(strapi))}`);
  await populateArticles(strapi, [article]);
  const data = (await sanitizeForPublic(strapi, article)) as Record<string, unknown>;
  await markRevisions(strapi, data);
  return { data, meta: {} };
}

interface Page {
  data: unknown[];
  meta: { pagination: { page: number; pageSize: number; hasNextPage: boolean } } & Record<string, unknown>;
}

/** Article summaries for lists: the article's own fields and its hero image with asset. */
async function summaries(strapi: Core.Strapi, rows: Row[], page: number, pageSize: number, meta: Record<string, unknown> = {}): Promise<Page> {
  const hasNextPage = rows.length > pageSize;
  const articles = rows.slice(0, pageSize);
  const heroes = await articleLoader(strapi).heroImages(articles.map((a) => Number(a.id)));
  for (const article of articles) article.heroImage = heroes.get(Number(article.id)) ?? null;
  const data = (await sanitizeForPublic(strapi, articles)) as unknown[];
  return { data, meta: { ...meta, pagination: { page, pageSize, hasNextPage } } };
}

/**
 * Newest first: by dateline, then publication time. Pages are counted without a total (a
 * `count(*)` grows with the archive); `hasNextPage` says whether to ask for the next one.
 */
function newestFirst(q: { orderBy(columns: Array<{ column: string; order: 'desc' }>): unknown }, table: string): void {
  q.orderBy([
    { column: `${table}.dateline`, order: 'desc' },
    { column: `${table}.published_at`, order: 'desc' },
    { column: `${table}.id`, order: 'desc' },
  ]);
}

/** GET /api/articles/newest — published articles of a locale, newest first. */
export async function newestArticles(strapi: Core.Strapi, query: unknown): Promise<Page> {
  const params = parseQuery(pageQuery, query);
  const locale = params.locale ?? (await defaultLocale(strapi));
  const page = params.page ?? 1;
  const pageSize = params.pageSize ?? PAGE_SIZE.default;
  const loader = articleLoader(strapi);
  const table = loader.articleTable;
  const rows = await loader.articles('newest', [locale, (page - 1) * pageSize, pageSize + 1], (q, [l, offset, limit]) => {
    q.where(`${table}.locale`, l as string).whereNotNull(`${table}.published_at`);
    newestFirst(q, table);
    q.offset(offset as number).limit(limit as number);
  });
  if (rows.length === 0 && params.locale) await assertSiteLocale(strapi, locale);
  return summaries(strapi, rows, page, pageSize);
}

/** Link rows past which an entity counts as common: its articles are found by walking the newest first. */
const COMMON_ENTITY = 2_000;

/** GET /api/entities/:slug/articles — published articles of a locale that name the entity, newest first. */
export async function articlesNaming(strapi: Core.Strapi, slug: string, query: unknown): Promise<Page> {
  checkSlug(slug, 'entity slug');
  const params = parseQuery(pageQuery, query);
  const locale = params.locale ?? (await defaultLocale(strapi));
  const page = params.page ?? 1;
  const pageSize = params.pageSize ?? PAGE_SIZE.default;
  const entity = await strapi.db.query(ENTITY).findOne({ where: { slug }, select: ['id', 'documentId', 'name', 'slug', 'kind'] });
  if (!entity) throw new errors.NotFoundError(`No entity with slug ${slug}`);
  const loader = articleLoader(strapi);
  const table = loader.articleTable;
  const link = strapi.db.metadata.get(ARTICLE).attributes.entities as unknown as { joinTable: { name: string; joinColumn: { name: string }; inverseJoinColumn: { name: string } } };
  const { name: linkTable, joinColumn, inverseJoinColumn } = link.joinTable;
  // Two plans, by how many articles name the entity (counted up to COMMON_ENTITY, on the link
  // table's index). A rare one: its articles by the link table, then sorted (a few hundred rows).
  // A common one (the most named synthetic entity is in 60 % of 100,000 articles): that plan sorts
  // tens of thousands of rows (160-210 ms on SQLite, holding the process), so walk the articles
  // newest first on their index and stop at the page, checking the link for each (the link's
  // unique index on article and entity). SQLite only: PostgreSQL's planner already takes the right
  // plan for the first (24-59 ms at 100k for the most named entity) and a poor one for the second (470 ms).
  const sqlite = strapi.db.dialect.client === 'sqlite';
  const named = !sqlite ? undefined : (await strapi.db.connection
    .count({ n: '*' })
    .from(strapi.db.connection(linkTable).select(joinColumn.name).where(inverseJoinColumn.name, entity.id).limit(COMMON_ENTITY).as('named'))
    .first()) as { n: number | string } | undefined;
  const common = sqlite && Number(named?.n ?? 0) >= COMMON_ENTITY;
  const rows = await loader.articles(common ? 'naming-common' : 'naming', [entity.id, locale, (page - 1) * pageSize, pageSize + 1], (q, [e, l, offset, limit]) => {
    if (common) {
      q.whereExists((sub) => sub.select(strapi.db.connection.raw('1')).from(linkTable).whereRaw('??.?? = ??.??', [linkTable, joinColumn.name, table, 'id']).andWhere(inverseJoinColumn.name, e as number));
    } else {
      q.whereIn(`${table}.id`, (sub) => sub.select(joinColumn.name).from(linkTable).where(inverseJoinColumn.name, e as number));
    }
    q.where(`${table}.locale`, l as string).whereNotNull(`${table}.published_at`);
    newestFirst(q, table);
    q.offset(offset as number).limit(limit as number);
  });
  if (rows.length === 0 && params.locale) await assertSiteLocale(strapi, locale);
  return summaries(strapi, rows, page, pageSize, { entity });
}
