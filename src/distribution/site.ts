/**
 * The public site the CMS feeds: its origin, name and logo, and its URL patterns (one place for
 * rebuild webhooks, preview, the resolver, feeds, sitemaps and structured data). Outside
 * production a missing SITE_URL / SITE_NAME falls back to a local site; production requires them
 * (src/env.ts).
 */
import { loadEnv, type Env } from '../env';
import { renderPath } from '../rebuild/payload';

export const DEVELOPMENT_SITE_URL = 'http://localhost:3000';
export const DEVELOPMENT_SITE_NAME = 'Newsroom';

export type PageType = 'article' | 'articles' | 'entity';

export interface Site {
  url: string;
  name: string;
  logoUrl: string | null;
  patterns: Env['SITE_PATH_PATTERNS'];
  sitemapPrefix: string;
  /** The site path of a page, or null when the site has no such page (no pattern, or a value missing). */
  path(type: PageType, values: Record<string, string | null>): string | null;
  /** `path` made absolute on the site. */
  pageUrl(type: PageType, values: Record<string, string | null>): string | null;
  /** A site path made absolute. */
  absolute(path: string): string;
}

export function siteOf(env: Env): Site {
  const url = env.SITE_URL ?? DEVELOPMENT_SITE_URL;
  const absolute = (path: string) => new URL(path, url).toString();
  const path = (type: PageType, values: Record<string, string | null>) => renderPath(env.SITE_PATH_PATTERNS[type], values);
  return {
    url,
    name: env.SITE_NAME ?? DEVELOPMENT_SITE_NAME,
    logoUrl: env.SITE_LOGO_URL ?? null,
    patterns: env.SITE_PATH_PATTERNS,
    sitemapPrefix: env.SITEMAP_PUBLIC_PREFIX,
    path,
    pageUrl: (type, values) => {
      const p = path(type, values);
      return p === null ? null : absolute(p);
    },
    absolute,
  };
}

let current: Site | undefined;

/** This process's site, from its environment. */
export function site(): Site {
  return (current ??= siteOf(loadEnv()));
}
