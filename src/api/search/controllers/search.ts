import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { searchRoute, suggestRoute } from '../../../search/http';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async search(ctx: Context) {
    await searchRoute(strapi, ctx);
  },
  async suggest(ctx: Context) {
    await suggestRoute(strapi, ctx);
  },
});
