/**
 * Nothing goes public before its time: a publish of an article locale whose `publishAt` is still
 * ahead (or whose `unpublishAt` has passed) is refused with a 400 naming the field, in the admin,
 * REST and GraphQL alike. The editor's draft keeps the time, and the scheduler publishes it then.
 */
import type { Core, Modules } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { defaultLocale } from '../content-api/default-locale';

const ARTICLE = 'api::article.article';

interface Params {
  documentId?: string;
  locale?: string | string[];
  status?: string;
  data?: { publishAt?: unknown; unpublishAt?: unknown };
}

function refuse(field: 'publishAt' | 'unpublishAt', message: string): never {
  throw new errors.ValidationError(`${field} ${message}`, { errors: [{ path: [field], message, name: 'ValidationError' }] });
}

const when = (value: unknown) => (value ? new Date(value as string) : null);

export function publishGuard(strapi: Core.Strapi): Modules.Documents.Middleware.Middleware {
  return async (ctx, next) => {
    if (ctx.uid !== ARTICLE) return next();
    const params = ctx.params as Params;
    // create/update with status published publish too (Strapi calls publish internally).
    const publishes = ctx.action === 'publish' || ((ctx.action === 'create' || ctx.action === 'update') && params.status === 'published');
    if (!publishes) return next();

    // One locale, several (an array) or every one ('*'): each draft that would go out is checked.
    const requested = params.locale ?? (await defaultLocale(strapi));
    const locales = requested === '*' ? undefined : ([] as string[]).concat(requested);
    const drafts: { publishAt: string | null; unpublishAt: string | null }[] = params.documentId
      ? await strapi.db.query(ARTICLE).findMany({
          where: { documentId: params.documentId, publishedAt: null, ...(locales ? { locale: { $in: locales } } : {}) },
          select: ['publishAt', 'unpublishAt'],
        })
      : [];
    const now = Date.now();
    // A create has no stored draft yet: only what it sends counts.
    for (const stored of drafts.length ? drafts : [{ publishAt: null, unpublishAt: null }]) {
      const publishAt = when(params.data && 'publishAt' in params.data ? params.data.publishAt : stored.publishAt);
      const unpublishAt = when(params.data && 'unpublishAt' in params.data ? params.data.unpublishAt : stored.unpublishAt);
      if (publishAt && publishAt.getTime() > now) {
        refuse('publishAt', `is ${publishAt.toISOString()}: not published before then. Save the draft; it is published automatically at that time`);
      }
      if (unpublishAt && unpublishAt.getTime() <= now) {
        refuse('unpublishAt', `is ${unpublishAt.toISOString()}, already past: clear or move it to publish`);
      }
    }
    return next();
  };
}
