/**
 * Absolute URLs of uploaded media. Files on a bucket or CDN have absolute URLs already; files the
 * CMS serves (`/uploads/...`) are made absolute on PUBLIC_URL (this server's public address) when
 * it is set, else on SITE_URL (a site that proxies /uploads to the CMS).
 */
import type { Env } from '../env';
import type { Row } from '../reads/article-loader';
import type { Site } from './site';

export const mediaUrl = (env: Env, site: Site, url: unknown): string | null => {
  if (typeof url !== 'string' || url === '') return null;
  try {
    return new URL(url, env.PUBLIC_URL ?? site.url).toString();
  } catch {
    return null;
  }
};

export interface Rendition {
  url: string;
  width: number | null;
  height: number | null;
  mime: string | null;
  size: number | null;
}

/** The image's file and its generated formats, largest first. */
export function renditions(env: Env, site: Site, asset: Row | null | undefined): Rendition[] {
  if (!asset) return [];
  const out: Rendition[] = [];
  const add = (f: Row) => {
    const url = mediaUrl(env, site, f.url);
    if (!url) return;
    out.push({
      url,
      width: typeof f.width === 'number' ? f.width : null,
      height: typeof f.height === 'number' ? f.height : null,
      mime: typeof f.mime === 'string' ? f.mime : null,
      // Strapi keeps sizes in KB.
      size: typeof f.size === 'number' ? Math.round(f.size * 1024) : null,
    });
  };
  add(asset);
  const formats = (asset.formats ?? {}) as Record<string, Row>;
  for (const format of Object.values(formats)) if (format && typeof format === 'object') add(format);
  return out.sort((a, b) => (b.width ?? 0) - (a.width ?? 0));
}
