/**
 * Preview for editors (Strapi 5's Preview, free tier: full screen). When PREVIEW_URL is set, the
 * admin's Preview opens the site's page for the article with a token that reads its draft through
 * GET /api/preview/articles/:documentId (src/api/preview); unset, the admin shows no Preview.
 */
import type { Core } from '@strapi/strapi';
import type { Env } from '../env';
import { defaultLocale } from '../content-api/default-locale';
import { renderPath } from '../rebuild/payload';
import { ARTICLE_UID } from '../changes';
import { createPreviewToken } from './token';

/** The admin's preview config (config/admin.ts). */
export function previewConfig(env: Env): NonNullable<Core.Config.Admin['preview']> {
  const { PREVIEW_URL: site, PREVIEW_SECRET: secret } = env;
  if (!site || !secret) return { enabled: false, config: { handler: async () => null } };
  return {
    enabled: true,
    config: {
      allowedOrigins: [new URL(site).origin],
      async handler(uid: string, { documentId, locale }: { documentId: string; locale?: string }) {
        if (uid !== ARTICLE_UID) return null;
        const strapi = (global as unknown as { strapi: Core.Strapi }).strapi;
        const lang = locale ?? (await defaultLocale(strapi));
        const draft = await strapi.db.query(ARTICLE_UID).findOne({ where: { documentId, locale: lang, publishedAt: null }, select: ['slug'] });
        if (!draft?.slug) return null;
        const path = renderPath(env.SITE_PATH_PATTERNS.article, { locale: lang, slug: draft.slug, documentId }) ?? `/${lang}/${draft.slug}`;
        const url = new URL(path, site);
        url.searchParams.set('documentId', documentId);
        url.searchParams.set('locale', lang);
        url.searchParams.set('token', createPreviewToken({ documentId, locale: lang }, secret, env.PREVIEW_TOKEN_TTL_SECONDS));
        return url.toString();
      },
    },
  };
}
