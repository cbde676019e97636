import { factories } from '@strapi/strapi';
import { ninjs, orMoved, related, structuredData } from '../../../distribution/http';
import { revision, revisions } from '../../../history';
import { articleBySlug, newestArticles } from '../../../reads/article-reads';

import type { Context } from 'koa';

export default factories.createCoreController('api::article.article', ({ strapi }) => ({
  /** GET /api/articles/slug/:slug — the whole published article in one call (src/reads); an old slug is a 301. */
  async bySlug(ctx: Context) {
    await orMoved(strapi, ctx, '', async () => {
      ctx.body = await articleBySlug(strapi, String(ctx.params.slug), ctx.query);
    });
  },
  /** GET /api/articles/slug/:slug/structured-data — NewsArticle JSON-LD (src/distribution). */
  async structuredData(ctx: Context) {
    await structuredData(strapi, ctx);
  },
  /** GET /api/articles/slug/:slug/ninjs — the article as IPTC ninjs 2.2 (src/distribution/ninjs.ts). */
  async ninjs(ctx: Context) {
    await ninjs(strapi, ctx);
  },
  /** GET /api/articles/slug/:slug/related — related stories (src/distribution). */
  async related(ctx: Context) {
    await related(strapi, ctx);
  },
  /** GET /api/articles/slug/:slug/revisions — the public revision trail (src/history, PUBLIC_REVISIONS). */
  async revisions(ctx: Context) {
    await revisions(strapi, ctx);
  },
  /** GET /api/articles/slug/:slug/revisions/:n — revision n's public text. */
  async revision(ctx: Context) {
    await revision(strapi, ctx);
  },
  /** GET /api/articles/newest — published articles, newest first (src/reads). */
  async newest(ctx: Context) {
    ctx.body = await newestArticles(strapi, ctx.query);
  },
}));
