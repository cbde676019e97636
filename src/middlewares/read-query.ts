/**
 * Route middleware on the content API's read routes (see `content-api/read-query.ts`): a 400 for
 * a bad status, locale, pagination, `_q`, `filters` or `sort`, a 403 for drafts without an API token, and for
 * anonymous readers a 400 for a filter, sort or `_q` no index serves (content-api/public-filters.ts). Runs after
 * authentication, so `ctx.state.auth` is known.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { assertSiteLocale } from '../content-api/default-locale';
import type { ModelOf } from '../content-api/filter-shape';
import { asScan } from '../database-guard/scan-queue';
import { PAGE_SIZE } from '../../config/api';
import { publicFilterProblem, publicPaginationProblem, publicSearchProblem, publicSortProblem, type IndexedModelOf } from '../content-api/public-filters';
import { assertDraftsReadable, assertFilterShape, canReadDrafts, parseReadQuery } from '../content-api/read-query';

const ALL_LOCALES = '*';

/**
 * `uid`: the content type the route reads (its filters are checked against it); `allowedKeys`: for
 * routes Strapi's strictParams does not cover (the upload plugin's), the only top-level parameters accepted.
 */
export default (config: { uid: string; allowedKeys?: string[] }, { strapi }: { strapi: Core.Strapi }): Core.MiddlewareHandler => {
  const modelOf: ModelOf = (uid) => (strapi.db.metadata.has(uid) ? (strapi.db.metadata.get(uid) as ReturnType<ModelOf>) : undefined);
  return async (ctx, next) => {
    const unknown = config?.allowedKeys ? Object.keys(ctx.query).find((key) => !config.allowedKeys!.includes(key)) : undefined;
    if (unknown !== undefined) throw new errors.ValidationError(`unknown query parameter: ${unknown}`, { source: 'query', param: unknown });
    const query = parseReadQuery(ctx.query as Record<string, unknown>);
    assertFilterShape({ ...query, populate: ctx.query.populate }, config.uid, modelOf);
    assertDraftsReadable(query.status, ctx.state);
    // Only what an index serves for anonymous readers (src/content-api/public-filters.ts); with a
    // token, more, one scan at a time (src/database-guard/scan-queue.ts).
    const scan =
      publicSearchProblem(query._q) ??
      publicFilterProblem(query.filters, config.uid, modelOf as IndexedModelOf) ??
      publicSortProblem(query.sort, config.uid, modelOf as IndexedModelOf) ??
      publicPaginationProblem(query.pagination, PAGE_SIZE.default);
    const privileged = canReadDrafts(ctx.state);
    if (scan && !privileged) throw new errors.ValidationError(scan.message, { source: 'query', param: scan.path[0], path: scan.path });
    // `*` is Strapi's "every locale"; any other value must be a locale the site has.
    if (query.locale !== undefined && query.locale !== ALL_LOCALES) await assertSiteLocale(strapi, query.locale);
    if (scan) await asScan(strapi, next);
    else await next();
  };
};
