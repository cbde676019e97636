/**
 * What a slug or a site path is now: the page itself, a permanent redirect to the document's
 * current slug, gone (its document is no longer published), or unknown. Reads the published
 * rows first (a current slug is always itself) and the slug history second (slug-history.ts),
 * so a redirect never points at a slug that is not served and cannot loop. A path of the site
 * before this CMS (a WordPress permalink) redirects to the article's path now.
 */
import type { Core } from '@strapi/strapi';
import { slugTag } from '../changes/tags';
import { defaultLocale } from '../content-api/default-locale';
import { historyLocale, SLUG_HISTORY_UID, type SlugKind } from './slug-history';
import type { PageType, Site } from './site';

const ARTICLE = 'api::article.article';
const ENTITY = 'api::entity.entity';
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export type Resolution =
  | { kind: 'article' | 'entity'; documentId: string; locale: string | null; slug: string }
  | { kind: 'redirect'; to: SlugKind; documentId: string; locale: string | null; slug: string }
  | { kind: 'gone'; to: SlugKind; documentId: string; locale: string | null; slug: string }
  | { kind: 'unknown' };

async function current(strapi: Core.Strapi, kind: SlugKind, where: Record<string, unknown>): Promise<{ documentId: string; slug: string } | null> {
  const uid = kind === 'article' ? ARTICLE : ENTITY;
  const published = kind === 'article' ? { publishedAt: { $notNull: true } } : {};
  const row = await strapi.db.query(uid).findOne({ where: { ...where, ...published }, select: ['documentId', 'slug'] });
  return row ? { documentId: String(row.documentId), slug: String(row.slug) } : null;
}

/** What `slug` of `kind` (in `locale`, for articles) is now. */
export async function resolveSlug(strapi: Core.Strapi, kind: SlugKind, slug: string, locale: string | null): Promise<Resolution> {
  if (!SLUG.test(slug) || slug.length > 200) return { kind: 'unknown' };
  const inLocale = kind === 'article' ? { locale } : {};
  const here = await current(strapi, kind, { slug, ...inLocale });
  if (here) return { kind, documentId: here.documentId, locale: kind === 'article' ? locale : null, slug };
  const history = await strapi.db.query(SLUG_HISTORY_UID).findOne({ where: { kind, pathLocale: historyLocale(kind, locale), slug }, select: ['target'] });
  if (!history) return { kind: 'unknown' };
  const documentId = String(history.target);
  const now = await current(strapi, kind, { documentId, ...inLocale });
  const where = { to: kind, documentId, locale: kind === 'article' ? locale : null };
  return now ? { kind: 'redirect', ...where, slug: now.slug } : { kind: 'gone', ...where, slug };
}

/** The tags of a resolution: the slug asked for, and the document it led to. */
export function resolutionTags(kind: SlugKind, slug: string, locale: string | null, resolution: Resolution): string[] {
  const tags = [slugTag(kind, slug, locale)];
  if (resolution.kind !== 'unknown') tags.push(`doc:${resolution.documentId}`, slugTag(kind, resolution.slug, locale));
  return tags;
}

interface PathMatcher {
  type: 'article' | 'entity';
  regex: RegExp;
  names: string[];
}

/** A site pattern as a matcher: `/{locale}/news/{slug}` → /^\/([^/]+)\/news\/([^/]+)$/. */
function matcherOf(type: 'article' | 'entity', pattern: string): PathMatcher {
  const names: string[] = [];
  const source = pattern
    .split(/(\{\w+\})/)
    .map((part) => {
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      if (!name) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(name);
      return '([^/]+)';
    })
    .join('');
  return { type, regex: new RegExp(`^${source}/?$`), names };
}

export interface SitePath {
  type: 'article' | 'entity';
  values: Record<string, string>;
}

/** Which page pattern a site path matches, and the values it holds; null when none does. */
export function matchPath(site: Site, path: string): SitePath | null {
  const matchers = (['article', 'entity'] as const).filter((t) => site.patterns[t]).map((t) => matcherOf(t, site.patterns[t]!));
  for (const m of matchers) {
    const found = m.regex.exec(path);
    if (!found) continue;
    const values: Record<string, string> = {};
    try {
      m.names.forEach((name, i) => (values[name] = decodeURIComponent(found[i + 1])));
    } catch {
      return null;
    }
    return { type: m.type, values };
  }
  return null;
}

export type PathAnswer =
  | { status: 200; data: { kind: 'article' | 'entity'; documentId: string; locale: string | null; slug: string; path: string } }
  | { status: 200; data: { kind: 'redirect'; location: string; status: 301 } }
  | { status: 410; message: string }
  | { status: 404; message: string };

/** What a site path is, for the resolver; `tags` are what the answer depends on. */
export const LEGACY_PATH_UID = 'api::legacy-path.legacy-path';

/** The same path with and without its trailing slash: old permalinks were written both ways. */
const pathVariants = (path: string) => (path.includes('?') || path === '/' ? [path] : [path, path.endsWith('/') ? path.slice(0, -1) : `${path}/`]);

/**
 * A path an article had before this CMS (legacy_paths, from the WordPress import): a 301 to where
 * the article is now, a 410 once it is not published; null when the path was never one.
 */
async function legacyPath(strapi: Core.Strapi, site: Site, path: string): Promise<{ answer: PathAnswer; tags: string[] } | null> {
  const row = (await strapi.db.query(LEGACY_PATH_UID).findOne({ where: { path: { $in: pathVariants(path) } }, select: ['target', 'targetLocale'] })) as { target: string; targetLocale: string } | null;
  if (!row) return null;
  const tags = [`doc:${row.target}`];
  const now = await strapi.db.query(ARTICLE).findOne({ where: { documentId: row.target, locale: row.targetLocale, publishedAt: { $notNull: true } }, select: ['slug'] });
  if (!now) return { answer: { status: 410, message: `The page at ${path} was withdrawn` }, tags };
  const location = site.path('article', { locale: row.targetLocale, slug: String(now.slug), documentId: row.target });
  return { answer: { status: 200, data: { kind: 'redirect', location: location ?? path, status: 301 } }, tags: [...tags, slugTag('article', String(now.slug), row.targetLocale)] };
}

export async function resolvePath(strapi: Core.Strapi, site: Site, path: string): Promise<{ answer: PathAnswer; tags: string[] }> {
  const matched = matchPath(site, path);
  if (!matched || !matched.values.slug) return (await legacyPath(strapi, site, path)) ?? { answer: { status: 404, message: `No page of the site has the path ${path}` }, tags: [] };
  const kind = matched.type;
  const locale = kind === 'article' ? (matched.values.locale ?? (await defaultLocale(strapi))) : null;
  const resolution = await resolveSlug(strapi, kind, matched.values.slug, locale);
  const tags = resolutionTags(kind, matched.values.slug, locale, resolution);
  const pathOf = (slug: string, documentId: string) => site.path(kind as PageType, { locale, slug, documentId }) ?? path;
  switch (resolution.kind) {
    case 'unknown':
      return (await legacyPath(strapi, site, path)) ?? { answer: { status: 404, message: `No page of the site has the path ${path}` }, tags };
    case 'gone':
      return { answer: { status: 410, message: `The page at ${path} was withdrawn` }, tags };
    case 'redirect':
      return { answer: { status: 200, data: { kind: 'redirect', location: pathOf(resolution.slug, resolution.documentId), status: 301 } }, tags };
    default:
      return {
        answer: { status: 200, data: { kind: resolution.kind, documentId: resolution.documentId, locale: resolution.locale, slug: resolution.slug, path: pathOf(resolution.slug, resolution.documentId) } },
        tags,
      };
  }
}
