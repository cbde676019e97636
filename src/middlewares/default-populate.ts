/**
 * Route middleware: when a request shapes nothing (no `populate`, no `fields`), fill in the content
 * type's default populate so every such response has one predictable, complete shape. A request
 * that names `populate` or `fields` gets exactly what it asked for, as in stock Strapi.
 */
import type { Core } from '@strapi/strapi';

export interface DefaultPopulateConfig {
  populate: Record<string, unknown>;
}

export default (config: DefaultPopulateConfig): Core.MiddlewareHandler =>
  async (ctx, next) => {
    const query = ctx.query as Record<string, unknown>;
    if (query.populate === undefined && query.fields === undefined) {
      query.populate = config.populate;
    }
    await next();
  };
