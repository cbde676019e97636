/**
 * GraphQL without N+1: the GraphQL plugin resolves every relation and component once per parent
 * row (a page of 25 articles with sections, hero image and entities is 75+ loads). Here the
 * article's `sections`, `updates`, `heroImage` (with its `asset`), `entities` and `localizations`, and an image's
 * `depicts`, are collected per request with DataLoader and loaded by the batched loader: one
 * statement per part for the whole page, whatever its size. The values are the rows the plugin's
 * own resolvers would return (same converters, same default and maximum page sizes, same order);
 * a field asked with `filters` or `sort` goes to the plugin's resolver unchanged.
 * `articleBySlug(slug, locale)` is the REST article view's query: a published article, or null.
 */
import type { Core } from '@strapi/strapi';
import { pagination } from '@strapi/utils';
import DataLoader from 'dataloader';
import type { ArticleRowKey, Row } from './article-loader';
import { articleLoader, findPublishedBySlug } from './article-reads';
import { keepPlainFieldsPlain } from './graphql-fields';

const ARTICLE = 'api::article.article';
const IMAGE = 'api::image.image';
/** Marks values this module loaded with their relations already attached. */
const PRELOADED_ASSET = Symbol('newsroom.preloadedAsset');

type Args = Record<string, unknown> & { pagination?: Record<string, number>; filters?: unknown; sort?: unknown };
type Resolver = (parent: Row, args: Args, context: object, info: unknown) => unknown;

interface RequestLoaders {
  components: DataLoader<number, Record<string, Row[]>>;
  hero: DataLoader<number, Row | null>;
  entities: DataLoader<number, Row[]>;
  authors: DataLoader<number, Row[]>;
  depicts: DataLoader<number, Row[]>;
  localizations: DataLoader<Row, Row[], number>;
  /**
   * What `preload` loaded, by row id: a field found here resolves to a plain value, not a
   * promise (graphql-js completes a plain value at once; a promise costs it a chain of them per
   * field and per list item).
   */
  preloaded: {
    components: Map<number, Record<string, Row[]>>;
    hero: Map<number, Row | null>;
    entities: Map<number, Row[]>;
    authors: Map<number, Row[]>;
    depicts: Map<number, Row[]>;
    localizations: Map<number, Row[]>;
  };
}

const perRequest = new WeakMap<object, RequestLoaders>();

/** An image as the Image type resolves it, its asset kept aside for `Image.asset`. */
function withPreloadedAsset(image: Row | undefined): Row | null {
  if (!image) return null;
  Object.defineProperty(image, PRELOADED_ASSET, { value: image.asset ?? null });
  delete image.asset;
  return image;
}

/**
 * The whole of one article in the statements of the REST view (entities and depicted entities in
 * one; its localizations too when the query asks for them), put where the field resolvers will
 * look for them. On SQLite the statements run together on one connection.
 */
async function preload(strapi: Core.Strapi, context: object, article: Row, withLocalizations: boolean): Promise<void> {
  const id = article.id as number;
  const loader = articleLoader(strapi);
  const [{ components, heroes, entities }, localizations] = await Promise.all([
    loader.articleParts([id]),
    withLocalizations ? loader.localizations([article as unknown as ArticleRowKey], true) : undefined,
  ]);
  const { preloaded } = loadersFor(strapi, context);
  preloaded.components.set(id, components.get(id) ?? {});
  const hero = withPreloadedAsset(heroes.get(id));
  preloaded.hero.set(id, hero);
  preloaded.entities.set(id, entities.ofArticle.get(id) ?? []);
  preloaded.authors.set(id, entities.authorsOf.get(id) ?? []);
  if (hero) preloaded.depicts.set(hero.id as number, entities.ofImage.get(hero.id as number) ?? []);
  if (localizations) preloaded.localizations.set(id, localizations.get(id) ?? []);
}

interface SelectionInfo {
  fieldNodes: ReadonlyArray<{ selectionSet?: { selections: ReadonlyArray<{ kind: string; name?: { value: string } }> } }>;
}

/** Whether the field's own selection names `field` (fragments are not looked into: then no). */
const selects = (info: SelectionInfo, field: string): boolean =>
  info.fieldNodes.some((node) => node.selectionSet?.selections.some((s) => s.kind === 'Field' && s.name?.value === field));

function loadersFor(strapi: Core.Strapi, context: object): RequestLoaders {
  let loaders = perRequest.get(context);
  if (loaders) return loaders;
  const loader = articleLoader(strapi);
  loaders = {
    components: new DataLoader(async (ids) => {
      const found = await loader.components(ids);
      return ids.map((id) => found.get(id) ?? {});
    }),
    hero: new DataLoader(async (ids) => {
      const found = await loader.heroImages(ids);
      return ids.map((id) => withPreloadedAsset(found.get(id)));
    }),
    entities: new DataLoader(async (ids) => {
      const { ofArticle } = await loader.entities({ articleIds: ids });
      return ids.map((id) => ofArticle.get(id) ?? []);
    }),
    authors: new DataLoader(async (ids) => {
      const { authorsOf } = await loader.entities({ bylineOf: ids });
      return ids.map((id) => authorsOf.get(id) ?? []);
    }),
    depicts: new DataLoader(async (ids) => {
      const { ofImage } = await loader.entities({ imageIds: ids });
      return ids.map((id) => ofImage.get(id) ?? []);
    }),
    localizations: new DataLoader(
      async (articles) => {
        const found = await loader.localizations(articles as unknown as ArticleRowKey[], true);
        return articles.map((a) => found.get(a.id as number) ?? []);
      },
      { cacheKeyFn: (article) => article.id as number },
    ),
    preloaded: { components: new Map(), hero: new Map(), entities: new Map(), authors: new Map(), depicts: new Map(), localizations: new Map() },
  };
  perRequest.set(context, loaders);
  return loaders;
}

/** The plugin's own resolver for a field, for arguments the batched path does not handle. */
function stockResolver(strapi: Core.Strapi, kind: 'component' | 'association', contentTypeUID: string, attributeName: string, many: boolean): Resolver {
  let resolver: Resolver | undefined;
  return async (parent, args, context, info) => {
    if (!resolver) {
      const builders = strapi.plugin('graphql').service('builders').get('content-api');
      resolver = kind === 'component' ? builders.buildComponentResolver({ contentTypeUID, attributeName, strapi }) : builders.buildAssociationResolver({ contentTypeUID, attributeName });
    }
    const result = (await (resolver as Resolver)(parent, args, context, info)) as { nodes?: unknown; value?: unknown } | unknown;
    if (kind === 'component') return result;
    const wrapped = result as { nodes?: unknown; value?: unknown };
    return many ? (wrapped.nodes ?? []) : wrapped.value;
  };
}

/** Arguments the batched path answers as the plugin would: pagination only (GraphQL's default `sort: []` included). */
const isPlain = (args: Args): boolean =>
  Object.entries(args).every(([key, value]) => key === 'pagination' || (key === 'sort' && (value === undefined || (Array.isArray(value) && value.length === 0))));

/** The page of a list the plugin would return: its default and maximum limits, from `pagination`. */
function page<T>(strapi: Core.Strapi, items: T[], args: Args): T[] {
  if (!args.pagination) {
    // No pagination argument: the plugin's default page, from its start.
    const { defaultLimit } = limitsOf(strapi);
    return defaultLimit < 0 ? items : items.slice(0, defaultLimit);
  }
  const { start, limit } = pageOf(strapi, args.pagination);
  return limit < 0 ? items.slice(start) : items.slice(start, start + limit);
}

const pages = new WeakMap<Core.Strapi, Map<string, { start: number; limit: number }>>();
/**
 * Strapi's own start and limit for a `pagination` argument (`withDefaultPagination`, with the
 * plugin's defaults), kept per distinct argument: it merges its defaults with lodash on every call,
 * once per list field per row, and GraphQL passes `pagination: {}` to every list field. Refused
 * arguments are not kept (they throw each time).
 */
function pageOf(strapi: Core.Strapi, args: Record<string, number>): { start: number; limit: number } {
  let known = pages.get(strapi);
  if (!known) pages.set(strapi, (known = new Map()));
  const key = `${args.start}|${args.limit}|${args.page}|${args.pageSize}|${Object.keys(args).length}`;
  let found = known.get(key);
  if (!found) {
    const { defaultLimit, maxLimit } = limitsOf(strapi);
    const { start, limit } = pagination.withDefaultPagination(args as never, {
      maxLimit,
      defaults: { offset: { limit: defaultLimit }, page: { pageSize: defaultLimit } },
    }) as { start: number; limit: number };
    found = { start, limit };
    if (known.size >= 1_000) known.clear();
    known.set(key, found);
  }
  return found;
}

const limits = new WeakMap<Core.Strapi, { defaultLimit: number; maxLimit: number }>();
/** The plugin's page limits (its config is fixed once the server runs). */
function limitsOf(strapi: Core.Strapi): { defaultLimit: number; maxLimit: number } {
  let found = limits.get(strapi);
  if (!found) {
    const config = strapi.plugin('graphql').config as (key: string) => number;
    found = { defaultLimit: config('defaultLimit'), maxLimit: config('maxLimit') };
    limits.set(strapi, found);
  }
  return found;
}

export function registerBatchedGraphql(strapi: Core.Strapi): void {
  keepPlainFieldsPlain();
  const batched = (fallback: Resolver, load: (parent: Row, args: Args, context: object) => unknown): Resolver =>
    (parent, args, context, info) => (isPlain(args) && typeof parent?.id === 'number' ? load(parent, args, context) : fallback(parent, args, context, info));

  /** What `preload` put aside for row `id` (a plain value), else the batched load of it (a promise). */
  const preloadedOr = <V, T>(preloaded: Map<number, V>, id: number, load: () => Promise<V>, then: (value: V) => T): T | Promise<T> =>
    preloaded.has(id) ? then(preloaded.get(id) as V) : load().then(then);
  type ListPart = 'entities' | 'authors' | 'depicts';
  const listOf = (part: ListPart) => (parent: Row, args: Args, context: object) => {
    const loaders = loadersFor(strapi, context);
    const id = parent.id as number;
    return preloadedOr(loaders.preloaded[part], id, () => loaders[part].load(id), (rows) => page(strapi, rows, args));
  };

  const component = (name: string): Resolver =>
    batched(stockResolver(strapi, 'component', ARTICLE, name, true), (parent, args, context) => {
      const loaders = loadersFor(strapi, context);
      const id = parent.id as number;
      return preloadedOr(loaders.preloaded.components, id, () => loaders.components.load(id), (parts) => page(strapi, parts[name] ?? [], args));
    });

  const signed = async (file: Row | null): Promise<Row | null> =>
    file ? ((await strapi.plugin('upload').service('file').signFileUrls(file)) as Row) : null;

  const resolvers = {
    Article: {
      sections: component('sections'),
      updates: component('updates'),
      heroImage: batched(stockResolver(strapi, 'association', ARTICLE, 'heroImage', false), (parent, _args, context) => {
        const loaders = loadersFor(strapi, context);
        const id = parent.id as number;
        return preloadedOr(loaders.preloaded.hero, id, () => loaders.hero.load(id), (hero) => hero);
      }),
      entities: batched(stockResolver(strapi, 'association', ARTICLE, 'entities', true), listOf('entities')),
      authors: batched(stockResolver(strapi, 'association', ARTICLE, 'authors', true), listOf('authors')),
      localizations: batched(stockResolver(strapi, 'association', ARTICLE, 'localizations', true), (parent, args, context) => {
        if (typeof parent.documentId !== 'string') return [];
        const loaders = loadersFor(strapi, context);
        return preloadedOr(loaders.preloaded.localizations, parent.id as number, () => loaders.localizations.load(parent), (rows) => page(strapi, rows, args));
      }),
    },
    Image: {
      asset: ((fallback: Resolver): Resolver => (parent, args, context, info) =>
        parent && PRELOADED_ASSET in parent ? signed((parent as Record<symbol, Row | null>)[PRELOADED_ASSET]) : fallback(parent, args, context, info))(
        stockResolver(strapi, 'association', IMAGE, 'asset', false),
      ),
      depicts: batched(stockResolver(strapi, 'association', IMAGE, 'depicts', true), listOf('depicts')),
    },
  };
  strapi.plugin('graphql').service('extension').use({
    // The REST view's read for GraphQL: one published article by slug, its relations batched as above.
    typeDefs: 'extend type Query { articleBySlug(slug: String!, locale: I18NLocaleCode): Article }',
    resolvers: {
      ...resolvers,
      Query: {
        articleBySlug: async (_parent: unknown, args: { slug: string; locale?: string }, context: object, info: SelectionInfo) => {
          const article = await findPublishedBySlug(strapi, args.slug, args.locale);
          if (article) await preload(strapi, context, article, selects(info, 'localizations'));
          return article;
        },
      },
    },
    // Published content only, which the Public role may always read (as GET /api/articles/slug/:slug).
    resolversConfig: { 'Query.articleBySlug': { auth: false } },
  });
}
