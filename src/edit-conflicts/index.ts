/**
 * No lost edits. A save that names the version it was made from is refused when the document
 * changed since, instead of silently overwriting someone else's work:
 * - the admin sends `x-newsroom-version` (the updatedAt of the version its form loaded; see
 *   src/admin/app.tsx) on the content manager's save and publish; a conflict is a 400
 *   ValidationError (the one error the 5.54 edit view shows without resetting the form), naming
 *   who saved last and when;
 * - the content API takes `If-Match: "<updatedAt>"`; a conflict is a 412.
 * The check runs inside the write's transaction, holding the row (FOR UPDATE on PostgreSQL), so
 * two saves of one version cannot both pass. Requests without a version behave as before.
 */
import type { Core, Modules } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import createHttpError from 'http-errors';
import { defaultLocale } from '../content-api/default-locale';

export const VERSION_HEADER = 'x-newsroom-version';
const GUARDED = new Set(['api::article.article', 'api::entity.entity', 'api::image.image']);

interface HttpContext {
  get(header: string): string;
  path: string;
  state: { newsroomVersionChecked?: boolean };
}

interface Row {
  id: number;
  updatedAt: string;
  updatedBy?: { firstname?: string | null; lastname?: string | null; email?: string | null } | null;
}

/** The version an `If-Match` names: `"<updatedAt>"` or `W/"<updatedAt>"`; none for `*` or garbage. */
export function versionFromIfMatch(header: string | undefined): string | undefined {
  const match = /^\s*(?:W\/)?"([^"]+)"\s*$/.exec(header ?? '');
  return match && !Number.isNaN(Date.parse(match[1])) ? match[1] : undefined;
}

const who = (row: Row) => {
  const user = row.updatedBy;
  const name = [user?.firstname, user?.lastname].filter(Boolean).join(' ');
  return name || user?.email || 'an API client';
};

export function editConflictGuard(strapi: Core.Strapi): Modules.Documents.Middleware.Middleware {
  return async (ctx, next) => {
    if (!GUARDED.has(ctx.uid) || (ctx.action !== 'update' && ctx.action !== 'publish')) return next();
    const http = strapi.requestContext.get() as HttpContext | undefined;
    // Once per request: the admin's publish saves, then publishes, in one request.
    if (!http || http.state.newsroomVersionChecked) return next();
    const fromAdmin = http.get(VERSION_HEADER);
    const expected = fromAdmin || versionFromIfMatch(http.get('if-match'));
    if (!expected || Number.isNaN(Date.parse(expected))) return next();
    http.state.newsroomVersionChecked = true;

    const params = ctx.params as { documentId?: string; locale?: string };
    const contentType = ctx.contentType as { options?: { draftAndPublish?: boolean }; pluginOptions?: { i18n?: { localized?: boolean } } };
    return strapi.db.transaction(async ({ trx }) => {
      const locale = contentType.pluginOptions?.i18n?.localized
        ? { locale: params.locale ?? (await defaultLocale(strapi)) }
        : {};
      const where = { documentId: params.documentId, ...locale, ...(contentType.options?.draftAndPublish ? { publishedAt: null } : {}) };
      const found: Row | null = await strapi.db.query(ctx.uid).findOne({ where, select: ['id'] });
      if (!found) return next();
      if (strapi.db.dialect.client === 'postgres') {
        await trx(strapi.db.metadata.get(ctx.uid).tableName).where({ id: found.id }).forUpdate().select('id');
      }
      const row: Row = await strapi.db
        .query(ctx.uid)
        .findOne({ where: { id: found.id }, select: ['id', 'updatedAt'], populate: { updatedBy: { select: ['firstname', 'lastname', 'email'] } } });
      if (new Date(row.updatedAt).getTime() !== new Date(expected).getTime()) {
        const at = new Date(row.updatedAt).toISOString();
        const message = `${who(row)} saved this at ${at.slice(0, 16).replace('T', ' ')} UTC, after the version you opened. Your changes are not saved: copy them, reload, and apply them again.`;
        // `errors` (none on a field) keeps the admin's error handler on its ValidationError path.
        const details = { errors: [], conflict: { updatedAt: at, updatedBy: who(row), yourVersion: expected } };
        if (http.path.startsWith('/api/')) throw Object.assign(createHttpError(412, message), { details });
        throw new errors.ValidationError(message, details);
      }
      return next();
    });
  };
}
