import { factories } from '@strapi/strapi';
import { topic } from '../../../distribution/http';
import { articlesNaming } from '../../../reads/article-reads';

import type { Context } from 'koa';

export default factories.createCoreController('api::entity.entity', ({ strapi }) => ({
  /** GET /api/entities/:slug/articles — published articles that name the entity, newest first (src/reads). */
  async articles(ctx: Context) {
    ctx.body = await articlesNaming(strapi, String(ctx.params.slug), ctx.query);
  },
  /** GET /api/entities/slug/:slug — the topic page (src/distribution). */
  async topic(ctx: Context) {
    await topic(strapi, ctx);
  },
}));
