import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { articlesFeed, entityFeed, resolve, sitemap } from '../../../distribution/http';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async articlesFeed(ctx: Context) {
    await articlesFeed(strapi, ctx);
  },
  async entityFeed(ctx: Context) {
    await entityFeed(strapi, ctx);
  },
  async sitemap(ctx: Context) {
    await sitemap(strapi, ctx);
  },
  async resolve(ctx: Context) {
    await resolve(strapi, ctx);
  },
});
