/**
 * Route middleware: when a request names no `populate`, fill in the content type's default so
 * every response has one predictable shape. A request that names its own `populate` keeps it.
 */
import type { Core } from '@strapi/strapi';

export interface DefaultPopulateConfig {
  populate: Record<string, unknown>;
}

export default (config: DefaultPopulateConfig): Core.MiddlewareHandler =>
  async (ctx, next) => {
    const query = ctx.query as Record<string, unknown>;
    if (query.populate === undefined) {
      query.populate = config.populate;
    }
    await next();
  };
