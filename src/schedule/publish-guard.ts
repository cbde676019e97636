/**
 * Nothing goes public before its time: a publish of an article locale whose `publishAt` is still
 * ahead (or whose `unpublishAt` has passed) is refused with a 400 naming the field, in the admin,
 * REST and GraphQL alike. The editor's draft keeps the time, and the scheduler publishes it then.
 * Nor does an item its agency withheld or killed (`agencyStatus`, set only by src/ingest).
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

function refuse(field: 'publishAt' | 'unpublishAt' | 'agencyStatus', message: string): never {
  throw new errors.ValidationError(`${field} ${message}`, { errors: [{ path: [field], message, name: 'ValidationError' }] });
}

const when = (value: unknown) => (value ? new Date(value as string) : null);

/** Admin roles that may republish an item its agency killed. */
const KILL_OVERRIDE_ROLES = new Set(['strapi-super-admin', 'strapi-editor']);

function mayOverrideKill(strapi: Core.Strapi): boolean {
  const user = (strapi.requestContext.get() as { state?: { user?: { roles?: { code?: string }[] }; auth?: { strategy?: { name?: string } } } } | undefined)?.state;
  return user?.auth?.strategy?.name === 'admin' && (user.user?.roles ?? []).some((r) => KILL_OVERRIDE_ROLES.has(r.code ?? ''));
}

/**
 * An agency's word on the item an article came from (src/ingest): withheld, it is not published until
 * a newer usable version arrives; canceled (a kill), only an Editor may publish it again.
 */
function checkAgencyStatus(strapi: Core.Strapi, stored: { agencyStatus?: string | null; agencySource?: string | null }): void {
  const source = stored.agencySource ? ` (${stored.agencySource})` : '';
  if (stored.agencyStatus === 'withheld') {
    refuse('agencyStatus', `is withheld: the agency${source} asked not to publish this item yet; it can be published when a newer usable version arrives`);
  }
  if (stored.agencyStatus === 'canceled' && !mayOverrideKill(strapi)) {
    refuse('agencyStatus', `is canceled: the agency${source} killed this item; only an Editor may publish it again`);
  }
}

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
    const drafts: { publishAt: string | null; unpublishAt: string | null; agencyStatus?: string | null; agencySource?: string | null }[] = params.documentId
      ? await strapi.db.query(ARTICLE).findMany({
          where: { documentId: params.documentId, publishedAt: null, ...(locales ? { locale: { $in: locales } } : {}) },
          select: ['publishAt', 'unpublishAt', 'agencyStatus', 'agencySource'],
        })
      : [];
    const now = Date.now();
    // A create has no stored draft yet: only what it sends counts.
    for (const stored of drafts.length ? drafts : [{ publishAt: null, unpublishAt: null }]) {
      checkAgencyStatus(strapi, stored);
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
