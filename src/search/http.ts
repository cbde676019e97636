/**
 * GET /api/search and GET /api/search/suggest: parse and check the request (every problem a 400
 * naming the parameter), search the index, answer with what the results show and the tags the
 * answer depends on (the read cache and the edge hold it like any list; any publish in the locale
 * evicts it).
 */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import type { Knex } from 'knex';
import { z } from 'zod';
import { docTag, listTag } from '../changes/tags';
import { assertSiteLocale, defaultLocale } from '../content-api/default-locale';
import { wholeNumber } from '../content-api/read-query';
import { loadEnv } from '../env';
import { mediaUrl } from '../distribution/media';
import { site } from '../distribution/site';
import { loadVocabulary, type VocabularyEntry } from '../ingest/suggest';
import { cacheable } from '../middlewares/http-cache';
import { articleLoader, localeParam, parseQuery, strictQuery } from '../reads/article-reads';
import type { Row } from '../reads/article-loader';
import { searchLocale, tokenize } from './analyse';
import { entitiesByPrefix, entityNames, namedEntities } from './entity-names';
import { dialectOf } from './indexer';
import { parseQuery as parseSearch, toFts5, toTsquery } from './query';
import { search } from './search';
import { DOCUMENTS, FTS } from './store';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const qParam = z
  .string({ error: 'q must be a single string' })
  .refine((q) => q.trim().length > 0, 'q must not be empty')
  .refine((q) => q.length <= 256, 'q must be at most 256 characters')
  .refine((q) => q.trim().split(/\s+/u).length <= 32, 'q must be at most 32 words');

/** A day (YYYY-MM-DD, the whole day in UTC) or an instant (ISO 8601 with a zone). */
const dateParam = (name: string) =>
  z
    .string({ error: `${name} must be a date` })
    .refine((v) => /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/.test(v) && Number.isFinite(Date.parse(v)), `${name} must be a date (YYYY-MM-DD) or a time (ISO 8601 with a zone)`);

export const searchQuery = strictQuery({
  q: qParam,
  locale: localeParam,
  page: wholeNumber('page', 1, 100).optional(),
  pageSize: wholeNumber('pageSize', 1, 50).optional(),
  sort: z.enum(['relevance', 'newest'], { error: 'sort must be relevance or newest' }).optional(),
  entities: z
    .string({ error: 'entities must be entity slugs separated by commas' })
    .refine((v) => v.split(',').every((s) => SLUG.test(s)) && v.split(',').length <= 10, 'entities must be at most 10 entity slugs separated by commas')
    .optional(),
  from: dateParam('from').optional(),
  to: dateParam('to').optional(),
});

export const suggestQuery = strictQuery({ q: qParam, locale: localeParam });

const DAY_MS = 86_400_000;
const isDay = (v: string) => v.length === 10;

async function localeOf(strapi: Core.Strapi, asked: string | undefined): Promise<string> {
  if (!asked) return defaultLocale(strapi);
  await assertSiteLocale(strapi, asked);
  return asked;
}

/** The thumbnail of an article's hero image (its smallest generated format, else the file). */
function thumbnailOf(image: Row | undefined): Record<string, unknown> | null {
  if (!image) return null;
  const asset = image.asset as Row | null;
  const formats = (typeof asset?.formats === 'string' ? JSON.parse(asset.formats) : asset?.formats ?? {}) as Record<string, Row>;
  const file = (formats.thumbnail as Row | undefined) ?? asset;
  const env = loadEnv();
  return {
    documentId: image.documentId ?? null,
    caption: image.caption ?? null,
    altText: image.altText ?? null,
    credit: image.credit ?? null,
    url: file ? mediaUrl(env, site(), file.url) : null,
    width: typeof file?.width === 'number' ? file.width : null,
    height: typeof file?.height === 'number' ? file.height : null,
  };
}

/** An answer and the cache tags it depends on, the same for REST and GraphQL. */
export interface Answer<T> {
  body: T;
  tags: string[];
}

/** The search: ranked published articles of a locale, highlighted, with facets (query: GET /api/search's parameters). */
export async function searchAnswer(strapi: Core.Strapi, query: unknown): Promise<Answer<SearchBody>> {
  const params = parseQuery(searchQuery, query);
  const locale = await localeOf(strapi, params.locale);
  const knex = strapi.db.connection as unknown as Knex;
  const names = entityNames(await loadVocabulary(strapi));
  const { bySlug, byId } = names;
  const slugs = params.entities ? [...new Set(params.entities.split(','))] : [];
  const filter = slugs.map((s) => bySlug.get(s)?.documentId);
  const fromMs = params.from ? Date.parse(params.from) : undefined;
  const toMs = params.to ? Date.parse(params.to) + (isDay(params.to) ? DAY_MS : 0) : undefined;
  const words = parseSearch(params.q, searchLocale(locale)).words;
  const outcome = await search(knex, dialectOf(strapi), {
    q: params.q,
    locale,
    page: params.page ?? 1,
    pageSize: params.pageSize ?? 10,
    sort: params.sort ?? 'relevance',
    entities: filter.every((d): d is string => Boolean(d)) ? filter : null,
    fromMs,
    toMs,
    named: namedEntities(words, names),
    window: loadEnv().SEARCH_WINDOW,
  });
  const heroes = await articleLoader(strapi).heroImages(outcome.hits.map((h) => h.articleId));
  const data = outcome.hits.map((h) => ({
    documentId: h.documentId,
    locale: h.locale,
    slug: h.slug,
    path: site().path('article', { locale: h.locale, slug: h.slug, documentId: h.documentId }),
    title: h.title,
    standfirst: h.standfirst,
    firstPublishedAt: new Date(h.publishedMs).toISOString(),
    heroImage: thumbnailOf(heroes.get(h.articleId)),
    highlights: h.highlights,
    score: h.score,
  }));
  const facets = {
    entities: outcome.entities
      .map((f) => ({ entity: byId.get(f.documentId), count: f.count }))
      .filter((f): f is { entity: VocabularyEntry; count: number } => Boolean(f.entity))
      .map((f) => ({ slug: f.entity.slug, name: f.entity.name, kind: f.entity.kind, count: f.count })),
    months: outcome.months,
  };
  const body = {
    data,
    meta: {
      pagination: { page: params.page ?? 1, pageSize: params.pageSize ?? 10, total: outcome.total },
      facets,
      query: outcome.query,
      // A query matching more than the window: the newest `size` matches were ranked, counted and faceted; `total` is that many (at least).
      window: outcome.window ? { size: outcome.window.size, since: new Date(outcome.window.sinceMs).toISOString() } : null,
    },
  };
  // Any publish, withdrawal or change of an article in the locale can change the answer; an
  // entity's rename alters its articles, whose locale lists the feed evicts.
  return { body, tags: [listTag('articles', locale), ...data.map((d) => docTag(d.documentId))] };
}

export type SearchBody = {
  data: Array<Record<string, unknown>>;
  meta: { pagination: { page: number; pageSize: number; total: number }; facets: Record<string, unknown>; query: Record<string, unknown>; window: { size: number; since: string } | null };
};

/** GET /api/search */
export async function searchRoute(strapi: Core.Strapi, ctx: Context): Promise<void> {
  const { body, tags } = await searchAnswer(strapi, ctx.query);
  ctx.body = body;
  cacheable(ctx, tags);
}

const SUGGESTIONS = 8;
const ENTITY_SUGGESTIONS = 3;

/** Up to 8 entities and article titles starting with what the reader typed (query: GET /api/search/suggest's parameters). */
export async function suggestAnswer(strapi: Core.Strapi, asked: unknown): Promise<Answer<{ data: Array<Record<string, unknown>>; meta: { locale: string } }>> {
  const params = parseQuery(suggestQuery, asked);
  const locale = await localeOf(strapi, params.locale);
  const typed = tokenize(params.q, 'en')
    .map((t) => t.word)
    .join(' ');
  const vocabulary = await loadVocabulary(strapi);
  const entities = entitiesByPrefix(typed, entityNames(vocabulary), ENTITY_SUGGESTIONS).map((e) => ({ type: 'entity' as const, documentId: e.documentId, slug: e.slug, name: e.name, kind: e.kind, path: site().path('entity', { slug: e.slug, documentId: e.documentId }) }));
  const knex = strapi.db.connection as unknown as Knex;
  const dialect = dialectOf(strapi);
  const query = parseSearch(params.q, searchLocale(locale));
  const limit = SUGGESTIONS - entities.length;
  let rows: Array<{ document_id: string; slug: string | null; title: string }> = [];
  if (dialect === 'postgres') {
    const titles = toTsquery(query, 'A');
    if (titles) {
      const result = await knex.raw(`select document_id, slug, title from ${DOCUMENTS} where tsv @@ ?::tsquery and locale = ? order by id desc limit ?`, [titles, locale, limit]);
      rows = (result as { rows: typeof rows }).rows;
    }
  } else {
    const fts = toFts5(query);
    // The newest first by the index's own order (ids follow first publication): FTS5 reads the
    // newest matches first and stops at the limit, with no sort of every title that matched.
    if (fts) rows = (await knex.raw(`select d.document_id, d.slug, d.title from ${FTS} f join ${DOCUMENTS} d on d.id = f.rowid where ${FTS} match ? and d.locale = ? order by f.rowid desc limit ?`, [`{title} : (${fts})`, locale, limit])) as typeof rows;
  }
  const articles = rows.map((r) => ({ type: 'article' as const, documentId: r.document_id, slug: r.slug, title: r.title, path: site().path('article', { locale, slug: r.slug, documentId: r.document_id }) }));
  return { body: { data: [...entities, ...articles], meta: { locale } }, tags: [listTag('articles', locale), listTag('entities'), ...articles.map((a) => docTag(a.documentId))] };
}

/** GET /api/search/suggest */
export async function suggestRoute(strapi: Core.Strapi, ctx: Context): Promise<void> {
  const { body, tags } = await suggestAnswer(strapi, ctx.query);
  ctx.body = body;
  cacheable(ctx, tags);
}
