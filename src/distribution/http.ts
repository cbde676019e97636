/**
 * The distribution routes' handlers (thin controllers call these): parse and check the request,
 * read, answer with the right type and the tags the answer depends on (http-cache middleware and
 * the read cache take it from there). Every problem with a request is a 400 naming it; an unknown
 * name a 404; a slug that moved a 301 to where it is now; one withdrawn a 410.
 */
import type { Context } from 'koa';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { z } from 'zod';
import { docTag, listTag } from '../changes/tags';
import { assertSiteLocale, defaultLocale } from '../content-api/default-locale';
import { wholeNumber } from '../content-api/read-query';
import { loadEnv } from '../env';
import { cacheable } from '../middlewares/http-cache';
import { documentTags } from '../cache/policy';
import type { Row } from '../reads/article-loader';
import { articleLoader, checkSlug, findPublishedBySlug, localeParam, parseQuery, populateArticles, sanitizeForPublic, strictQuery } from '../reads/article-reads';
import { FEED_FORMATS, FEED_SIZE, renderFeed, type FeedFormat } from './feeds';
import { newestNaming, newestPublished } from './published';
import { resolutionTags, resolvePath, resolveSlug } from './resolve';
import { articlesSitemap, entitiesSitemap, newsSitemap, parseSitemapName, sitemapExists, sitemapIndex } from './sitemaps';
import { site } from './site';
import { newsArticle } from './structured-data';
import { ninjsArticle } from './ninjs';
import { historyStore } from '../history/store';
import { ARTICLE_UID } from '../changes/types';
import { articlesNamingCount, namedWith, relatedArticleIds } from './topics';

const ENTITY = 'api::entity.entity';

/** Strapi's error shape, for answers built here rather than thrown (they are cached). */
const errorBody = (status: number, name: string, message: string) => ({ data: null, error: { status, name, message, details: {} } });

const search = (ctx: Context) => (ctx.querystring ? `?${ctx.querystring}` : '');

/** A permanent redirect to the same route under a document's current slug (the query kept), cached under `tags`. */
function answerRedirect(ctx: Context, route: string, tags: string[]): void {
  const location = `${route}${search(ctx)}`;
  ctx.status = 301;
  ctx.set('Location', location);
  ctx.body = { data: { kind: 'redirect', location, status: 301 } };
  cacheable(ctx, tags);
}

/**
 * A published-article route asked for a slug that has none: if the article moved, a 301 to the
 * same route on its current slug; if it was withdrawn, a 410. False when the slug was never known.
 */
async function answerMovedArticle(strapi: Core.Strapi, ctx: Context, slug: string, suffix = ''): Promise<boolean> {
  const locale = typeof ctx.query.locale === 'string' ? ctx.query.locale : await defaultLocale(strapi);
  const resolution = await resolveSlug(strapi, 'article', slug, locale);
  if (resolution.kind !== 'redirect' && resolution.kind !== 'gone') return false;
  const tags = resolutionTags('article', slug, locale, resolution);
  if (resolution.kind === 'gone') {
    ctx.status = 410;
    ctx.body = errorBody(410, 'GoneError', `The article with slug ${slug} in locale ${locale} was withdrawn`);
    cacheable(ctx, tags);
    return true;
  }
  answerRedirect(ctx, `/api/articles/slug/${resolution.slug}${suffix}`, tags);
  return true;
}

/** Runs an article-by-slug read (`suffix`: the route after the slug), answering a moved or withdrawn slug instead of its 404. */
export async function orMoved(strapi: Core.Strapi, ctx: Context, suffix: string, read: () => Promise<void>): Promise<void> {
  try {
    await read();
  } catch (error) {
    if (error instanceof errors.NotFoundError && (await answerMovedArticle(strapi, ctx, String(ctx.params.slug), suffix))) return;
    throw error;
  }
}

async function publishedArticle(strapi: Core.Strapi, slug: string, locale: string | undefined): Promise<Row> {
  const article = await findPublishedBySlug(strapi, slug, locale);
  if (!article) throw new errors.NotFoundError(`No published article with slug ${slug} in locale ${locale ?? (await defaultLocale(strapi))}`);
  return article;
}

const viewQuery = strictQuery({ locale: localeParam });
export { viewQuery as structuredDataQuery };

/** The published article the route's slug and `locale` name, populated as the view and sanitized for the public. */
async function publicArticleOf(strapi: Core.Strapi, ctx: Context): Promise<Row> {
  const slug = String(ctx.params.slug);
  checkSlug(slug, 'slug');
  const { locale } = parseQuery(viewQuery, ctx.query);
  const article = await publishedArticle(strapi, slug, locale);
  await populateArticles(strapi, [article]);
  return (await sanitizeForPublic(strapi, article)) as Row;
}

/** GET /api/articles/slug/:slug/structured-data — schema.org NewsArticle as application/ld+json. */
export async function structuredData(strapi: Core.Strapi, ctx: Context): Promise<void> {
  await orMoved(strapi, ctx, '/structured-data', async () => {
    const publicArticle = await publicArticleOf(strapi, ctx);
    ctx.type = 'application/ld+json; charset=utf-8';
    ctx.body = JSON.stringify(newsArticle(loadEnv(), site(), publicArticle));
    cacheable(ctx, documentTags(publicArticle));
  });
}

/** GET /api/articles/slug/:slug/ninjs — the published article as IPTC ninjs 2.2, for syndication; version = its revision. */
export async function ninjs(strapi: Core.Strapi, ctx: Context): Promise<void> {
  await orMoved(strapi, ctx, '/ninjs', async () => {
    const publicArticle = await publicArticleOf(strapi, ctx);
    const published = await historyStore(strapi).publishedVersions({ uid: ARTICLE_UID, documentId: String(publicArticle.documentId), locale: String(publicArticle.locale) });
    ctx.type = 'application/vnd.iptc.ninjs+json; charset=utf-8';
    ctx.body = JSON.stringify(ninjsArticle(loadEnv(), site(), publicArticle, Math.max(1, published.length)));
    cacheable(ctx, documentTags(publicArticle));
  });
}

export const relatedQuery = strictQuery({ locale: localeParam, limit: wholeNumber('limit', 1, 20).optional() });

/** GET /api/articles/slug/:slug/related — published articles sharing its entities, best first. */
export async function related(strapi: Core.Strapi, ctx: Context): Promise<void> {
  await orMoved(strapi, ctx, '/related', async () => {
    const slug = String(ctx.params.slug);
    checkSlug(slug, 'slug');
    const params = parseQuery(relatedQuery, ctx.query);
    const article = await publishedArticle(strapi, slug, params.locale);
    const ids = await relatedArticleIds(strapi, article, params.limit ?? 5);
    const loader = articleLoader(strapi);
    const rows = ids.length === 0 ? [] : await loader.articles(`related:${ids.length}`, ids, (q, p) => q.whereIn('id', p as number[]));
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    const ordered = ids.map((id) => byId.get(id)).filter((r): r is Row => Boolean(r));
    const heroes = await loader.heroImages(ids);
    for (const r of ordered) r.heroImage = heroes.get(Number(r.id)) ?? null;
    const data = (await sanitizeForPublic(strapi, ordered)) as Row[];
    ctx.body = { data, meta: { article: { documentId: article.documentId, locale: article.locale } } };
    // Any publish in the locale can change the ranking.
    cacheable(ctx, [...documentTags(data), docTag(String(article.documentId)), listTag('articles', String(article.locale))]);
  });
}

/** GET /api/entities/slug/:slug — a topic page: the entity, its article count and the entities named with it. */
export async function topic(strapi: Core.Strapi, ctx: Context): Promise<void> {
  const slug = String(ctx.params.slug);
  checkSlug(slug, 'entity slug');
  const params = parseQuery(viewQuery, ctx.query);
  const locale = params.locale ?? (await defaultLocale(strapi));
  const entity = await strapi.db.query(ENTITY).findOne({ where: { slug } });
  if (!entity) {
    const moved = await resolveSlug(strapi, 'entity', slug, null);
    if (moved.kind === 'redirect') return answerRedirect(ctx, `/api/entities/slug/${moved.slug}`, resolutionTags('entity', slug, null, moved));
    if (params.locale) await assertSiteLocale(strapi, params.locale);
    throw new errors.NotFoundError(`No entity with slug ${slug}`);
  }
  const [articles, withIt] = await Promise.all([articlesNamingCount(strapi, Number(entity.id), locale), namedWith(strapi, Number(entity.id), locale)]);
  const others = withIt.length === 0 ? [] : await strapi.db.query(ENTITY).findMany({ where: { id: { $in: withIt.map((w) => w.entityId) } } });
  const byId = new Map(others.map((o: Row) => [Number(o.id), o]));
  const namedWithIt = await Promise.all(
    withIt.filter((w) => byId.has(w.entityId)).map(async (w) => ({ entity: await sanitizeForPublic(strapi, byId.get(w.entityId), ENTITY), articles: w.articles })),
  );
  const data = { entity: await sanitizeForPublic(strapi, entity, ENTITY), locale, articles, namedWith: namedWithIt };
  ctx.body = { data, meta: {} };
  cacheable(ctx, [...documentTags(data), listTag('articles', locale)]);
}

const FEED_FILE = /^(.+)\.(rss|atom|json)$/;
export const feedQuery = strictQuery({ locale: localeParam, page: wholeNumber('page', 1, 200).optional() });

function feedFile(file: string): { name: string; format: FeedFormat } {
  const m = FEED_FILE.exec(file);
  if (!m) throw new errors.NotFoundError(`No feed ${file}: feeds end in .rss, .atom or .json`);
  return { name: m[1], format: m[2] as FeedFormat };
}

async function answerFeed(strapi: Core.Strapi, ctx: Context, what: { entity?: Row }, format: FeedFormat): Promise<void> {
  const env = loadEnv();
  const s = site();
  const params = parseQuery(feedQuery, ctx.query);
  if (params.page !== undefined && format !== 'json') throw new errors.ValidationError('page is for the JSON Feed only (RSS and Atom hold the newest 50)', { source: 'query', param: 'page' });
  if (params.locale) await assertSiteLocale(strapi, params.locale);
  const locale = params.locale ?? (await defaultLocale(strapi));
  const page = params.page ?? 1;
  const offset = (page - 1) * FEED_SIZE;
  const rows = what.entity ? await newestNaming(strapi, Number(what.entity.id), locale, FEED_SIZE + 1, offset) : await newestPublished(strapi, locale, FEED_SIZE + 1, offset);
  const articles = rows.slice(0, FEED_SIZE);
  await populateArticles(strapi, articles);
  const publicArticles = (await sanitizeForPublic(strapi, articles)) as Row[];
  const base = env.PUBLIC_URL ?? s.url;
  const path = what.entity ? `/api/feeds/entities/${String(what.entity.slug)}` : '/api/feeds/articles';
  const selfUrl = (f: FeedFormat, p?: number) => {
    const q = new URLSearchParams();
    if (params.locale) q.set('locale', params.locale);
    if (p && p > 1) q.set('page', String(p));
    const qs = q.toString();
    return new URL(`${path}.${f}${qs ? `?${qs}` : ''}`, base).toString();
  };
  const entityName = what.entity ? String(what.entity.name) : null;
  const link = what.entity
    ? (s.pageUrl('entity', { slug: String(what.entity.slug), documentId: String(what.entity.documentId) }) ?? s.url)
    : (s.pageUrl('articles', { locale }) ?? s.url);
  ctx.type = `${FEED_FORMATS[format]}; charset=utf-8`;
  ctx.body = renderFeed(env, s, {
    title: entityName ? `${s.name}: ${entityName}` : s.name,
    description: entityName ? `The newest stories from ${s.name} naming ${entityName}` : `The newest stories from ${s.name}`,
    locale,
    link,
    selfUrl,
    page,
    hasNextPage: rows.length > FEED_SIZE,
    articles: publicArticles,
  }, format);
  cacheable(ctx, [...documentTags(publicArticles), ...(what.entity ? [docTag(String(what.entity.documentId))] : []), listTag('articles', locale)]);
}

/** GET /api/feeds/articles.rss|.atom|.json */
export async function articlesFeed(strapi: Core.Strapi, ctx: Context): Promise<void> {
  const { name, format } = feedFile(String(ctx.params.file));
  if (name !== 'articles') throw new errors.NotFoundError(`No feed ${String(ctx.params.file)}: the site's feed is articles.${format}; an entity's is entities/<slug>.${format}`);
  await answerFeed(strapi, ctx, {}, format);
}

/** GET /api/feeds/entities/:slug.rss|.atom|.json */
export async function entityFeed(strapi: Core.Strapi, ctx: Context): Promise<void> {
  const { name: slug, format } = feedFile(String(ctx.params.file));
  checkSlug(slug, 'entity slug');
  const entity = await strapi.db.query(ENTITY).findOne({ where: { slug }, select: ['id', 'documentId', 'name', 'slug'] });
  if (!entity) {
    const moved = await resolveSlug(strapi, 'entity', slug, null);
    if (moved.kind !== 'redirect') throw new errors.NotFoundError(`No entity with slug ${slug}`);
    return answerRedirect(ctx, `/api/feeds/entities/${moved.slug}.${format}`, resolutionTags('entity', slug, null, moved));
  }
  await answerFeed(strapi, ctx, { entity }, format);
}

export const noQuery = strictQuery({});

/** GET /api/sitemaps/:file — the index, a child, or the news sitemap. */
export async function sitemap(strapi: Core.Strapi, ctx: Context): Promise<void> {
  parseQuery(noQuery, ctx.query);
  const file = String(ctx.params.file);
  const name = parseSitemapName(file);
  const context = { strapi, env: loadEnv(), site: site() };
  if (!name || !(await sitemapExists(context, name))) throw new errors.NotFoundError(`No sitemap ${file}; the index is sitemap.xml`);
  const { body, tags } =
    name.kind === 'index'
      ? await sitemapIndex(context)
      : name.kind === 'news'
        ? await newsSitemap(context)
        : name.kind === 'articles'
          ? articlesSitemap(context, name)
          : entitiesSitemap(context, name.block);
  ctx.type = 'application/xml; charset=utf-8';
  ctx.body = body;
  cacheable(ctx, tags);
}

export const resolveQuery = strictQuery({
  path: z
    .string({ error: 'path is required: a site path such as /en/news/some-slug' })
    .max(2_000, 'path is too long')
    // A WordPress site's default permalinks are `/?p=123`: that one query is a path too (legacy paths).
    .regex(/^\/[^?#\s]*(\?p=\d{1,19})?$/, 'path must be a site path starting with /, without query or fragment (except a legacy /?p=ID)'),
});

/** GET /api/resolve?path= — what a site path is now. */
export async function resolve(strapi: Core.Strapi, ctx: Context): Promise<void> {
  const { path } = parseQuery(resolveQuery, ctx.query);
  const { answer, tags } = await resolvePath(strapi, site(), path);
  if (answer.status === 404) throw new errors.NotFoundError(answer.message);
  cacheable(ctx, tags);
  if (answer.status === 410) {
    ctx.status = 410;
    ctx.body = errorBody(410, 'GoneError', answer.message);
    return;
  }
  ctx.body = { data: answer.data, meta: {} };
}
