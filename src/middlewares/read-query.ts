/**
 * Route middleware on the content API's read routes (see `content-api/read-query.ts`): a 400 for
 * a bad status, locale, pagination, `_q`, `filters` or `sort`, a 403 for drafts without an API token. Runs after
 * authentication, so `ctx.state.auth` is known.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { assertSiteLocale } from '../content-api/default-locale';
import { assertDraftsReadable, parseReadQuery } from '../content-api/read-query';

const ALL_LOCALES = '*';

/** `allowedKeys`: for routes Strapi's strictParams does not cover (the upload plugin's), the only top-level parameters accepted. */
export default (config: { allowedKeys?: string[] } | undefined, { strapi }: { strapi: Core.Strapi }): Core.MiddlewareHandler =>
  async (ctx, next) => {
    const unknown = config?.allowedKeys ? Object.keys(ctx.query).find((key) => !config.allowedKeys!.includes(key)) : undefined;
    if (unknown !== undefined) throw new errors.ValidationError(`unknown query parameter: ${unknown}`, { source: 'query', param: unknown });
    const query = parseReadQuery(ctx.query as Record<string, unknown>);
    assertDraftsReadable(query.status, ctx.state);
    // `*` is Strapi's "every locale"; any other value must be a locale the site has.
    if (query.locale !== undefined && query.locale !== ALL_LOCALES) await assertSiteLocale(strapi, query.locale);
    await next();
  };
