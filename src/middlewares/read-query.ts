/**
 * Route middleware on the content API's read routes (see `content-api/read-query.ts`): a 400 for
 * a bad status, locale or pagination, a 403 for drafts without an API token. Runs after
 * authentication, so `ctx.state.auth` is known.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { assertDraftsReadable, parseReadQuery } from '../content-api/read-query';

const ALL_LOCALES = '*';

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }): Core.MiddlewareHandler =>
  async (ctx, next) => {
    const query = parseReadQuery(ctx.query as Record<string, unknown>);
    assertDraftsReadable(query.status, ctx.state);
    // `*` is Strapi's "every locale"; any other value must be a locale the site has.
    if (query.locale !== undefined && query.locale !== ALL_LOCALES && !(await strapi.plugin('i18n').service('locales').findByCode(query.locale))) {
      throw new errors.ValidationError(`locale ${query.locale} is not a locale of this site`, {
        source: 'query',
        param: 'locale',
      });
    }
    await next();
  };
