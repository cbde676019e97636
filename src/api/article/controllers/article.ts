import { factories } from '@strapi/strapi';
import { articleBySlug, newestArticles } from '../../../reads/article-reads';

import type { Context } from 'koa';

export default factories.createCoreController('api::article.article', ({ strapi }) => ({
  /** GET /api/articles/slug/:slug — the whole published article in one call (src/reads). */
  async bySlug(ctx: Context) {
    ctx.body = await articleBySlug(strapi, String(ctx.params.slug), ctx.query);
  },
  /** GET /api/articles/newest — published articles, newest first (src/reads). */
  async newest(ctx: Context) {
    ctx.body = await newestArticles(strapi, ctx.query);
  },
}));
