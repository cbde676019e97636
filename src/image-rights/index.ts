/**
 * Image rights: an image whose `rightsExpireAt` has come leaves every public answer.
 *   - reads: the content API and GraphQL never return it (its own reads are 404, lists leave it
 *     out) and an article shows `heroImage: null` in its place — on REST's core routes here, on
 *     the fast reads, feeds, sitemaps and structured data in the article loader (src/reads);
 *   - the moment it expires, the scheduler writes it (`rightsExpiryAnnouncedFor`) through the
 *     Document Service, so the change feed announces a change of that image then: caches evict,
 *     sites rebuild, edges purge;
 *   - publishing an article whose hero image has expired is a 400 naming `heroImage`.
 * The edit view says when an image's (or an article's hero image's) rights have expired or end
 * within 7 days (GET /newsroom/rights/..., src/admin/image-rights.tsx), and the image list shows it.
 * The admin (content manager) still sees and edits expired images: renewing the rights (a later
 * `rightsExpireAt`, or none) is an edit like any other and brings the image back.
 */
import type { Core, Modules } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Knex } from 'knex';
import { SCHEDULER, writingAs } from '../changes';
import { defaultLocale } from '../content-api/default-locale';
import { storedTime } from '../content-api/stored-time';

export const IMAGE_UID = 'api::image.image';
const ARTICLE_UID = 'api::article.article';
/** The edit view and the list warn this long before an image's rights expire. */
export const EXPIRY_WARNING_MS = 7 * 86_400_000;

/** Whether an image row (with `rightsExpireAt`) may no longer be shown. */
export const rightsExpired = (image: { rightsExpireAt?: unknown } | null | undefined, now = Date.now()): boolean => {
  const at = storedTime(image?.rightsExpireAt);
  return at !== null && at <= now;
};

/** Still shown: no expiry, or one still ahead (a Document Service / query engine filter). */
export const notExpired = (now = new Date()) => ({ $or: [{ rightsExpireAt: { $null: true } }, { rightsExpireAt: { $gt: now } }] });

interface HttpContext {
  path?: string;
}

/** A public read: the content API or GraphQL, not the admin. */
function isPublicRequest(strapi: Core.Strapi): boolean {
  const ctx = strapi.requestContext.get() as HttpContext | undefined;
  const path = ctx?.path ?? '';
  return path.startsWith('/api/') || path === '/graphql' || path.startsWith('/graphql/');
}

const READS = new Set(['findMany', 'findOne', 'findFirst', 'count']);

type Params = { filters?: unknown; documentId?: string; locale?: string | string[]; status?: string; data?: Record<string, unknown> };

/** Ids of the images among `ids` whose rights have expired. */
async function expiredAmong(strapi: Core.Strapi, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows: { id: number }[] = await strapi.db.query(IMAGE_UID).findMany({ where: { id: { $in: ids }, rightsExpireAt: { $lte: new Date() } }, select: ['id'] });
  return new Set(rows.map((r) => Number(r.id)));
}

type Hero = { id?: number; rightsExpireAt?: unknown } | null | undefined;

/**
 * Public reads of images leave expired ones out; public reads of articles show a null hero image
 * in place of an expired one (whatever fields the request populated).
 */
export function hideExpiredImages(strapi: Core.Strapi): Modules.Documents.Middleware.Middleware {
  return async (ctx, next) => {
    if (!READS.has(ctx.action) || (ctx.uid !== IMAGE_UID && ctx.uid !== ARTICLE_UID) || !isPublicRequest(strapi)) return next();
    const params = ctx.params as Params;
    if (ctx.uid === IMAGE_UID) {
      params.filters = params.filters ? { $and: [params.filters, notExpired()] } : notExpired();
      return next();
    }
    const result = await next();
    const articles = (Array.isArray(result) ? result : result ? [result] : []) as { heroImage?: Hero }[];
    // A hero populated with its rightsExpireAt is judged as it is; one read without it is looked up.
    const unknown = articles.map((a) => a?.heroImage).filter((h): h is NonNullable<Hero> => typeof h?.id === 'number' && !('rightsExpireAt' in h));
    const expired = await expiredAmong(strapi, unknown.map((h) => h.id as number));
    for (const a of articles) {
      const hero = a?.heroImage;
      if (hero && ('rightsExpireAt' in hero ? rightsExpired(hero) : expired.has(Number(hero.id)))) a.heroImage = null;
    }
    return result;
  };
}

/** A publish of an article locale whose hero image's rights have expired is refused. */
export function refuseExpiredHeroOnPublish(strapi: Core.Strapi): Modules.Documents.Middleware.Middleware {
  return async (ctx, next) => {
    if (ctx.uid !== ARTICLE_UID) return next();
    const params = ctx.params as Params;
    const publishes = ctx.action === 'publish' || ((ctx.action === 'create' || ctx.action === 'update') && params.status === 'published');
    if (!publishes || !params.documentId) return next();
    const requested = params.locale ?? (await defaultLocale(strapi));
    const locales = requested === '*' ? undefined : ([] as string[]).concat(requested);
    const drafts: { heroImage?: { caption?: string; rightsExpireAt?: unknown } | null }[] = await strapi.db.query(ARTICLE_UID).findMany({
      where: { documentId: params.documentId, publishedAt: null, ...(locales ? { locale: { $in: locales } } : {}) },
      select: ['id'],
      populate: { heroImage: { select: ['caption', 'rightsExpireAt'] } },
    });
    const expired = drafts.find((d) => rightsExpired(d.heroImage));
    if (expired) {
      const at = new Date(storedTime(expired.heroImage?.rightsExpireAt) as number).toISOString();
      const message = `has rights that expired at ${at}: choose another picture, or renew the image's rights, before publishing`;
      throw new errors.ValidationError(`heroImage ${message}`, { errors: [{ path: ['heroImage'], message, name: 'ValidationError' }] });
    }
    return next();
  };
}

/**
 * The scheduler's part: each image whose expiry has come and was not announced yet is written
 * (`rightsExpiryAnnouncedFor` = its `rightsExpireAt`) as the scheduler, so the change feed
 * announces it once. Runs inside the scheduler's locked transaction.
 */
export async function announceExpiredRights(strapi: Core.Strapi, trx: Knex.Transaction, now: Date): Promise<string[]> {
  const table = strapi.db.metadata.get(IMAGE_UID).tableName;
  const due: { document_id: string; rights_expire_at: unknown }[] = await trx(table)
    .where('rights_expire_at', '<=', now)
    .andWhere((q) => q.whereNull('rights_expiry_announced_for').orWhereRaw('rights_expiry_announced_for <> rights_expire_at'))
    .select('document_id', 'rights_expire_at')
    .limit(500);
  const announced: string[] = [];
  for (const row of due) {
    const at = new Date(storedTime(row.rights_expire_at) as number);
    await writingAs({ actor: SCHEDULER, note: `Rights expired at ${at.toISOString()}` }, () =>
      strapi.documents(IMAGE_UID as never).update({ documentId: row.document_id, data: { rightsExpiryAnnouncedFor: at } } as never),
    );
    announced.push(row.document_id);
  }
  return announced;
}

export type RightsState = 'none' | 'ok' | 'expiring' | 'expired';

/** How an image's rights stand: no end date, fine, ending within EXPIRY_WARNING_MS, or over. */
export function rightsState(image: { rightsExpireAt?: unknown } | null | undefined, now = Date.now()): RightsState {
  const at = storedTime(image?.rightsExpireAt);
  if (at === null) return 'none';
  if (at <= now) return 'expired';
  return at - now <= EXPIRY_WARNING_MS ? 'expiring' : 'ok';
}

/**
 * GET /newsroom/rights/:uid/:documentId?locale= (admin JWT): an image's rights, or an article
 * draft's hero image's, for the edit view's notice.
 */
function registerRightsRoute(strapi: Core.Strapi): void {
  const handler = async (ctx: { params: Record<string, string>; query: Record<string, unknown>; body: unknown }) => {
    const { uid, documentId } = ctx.params;
    const locale = typeof ctx.query.locale === 'string' ? ctx.query.locale : undefined;
    let image: { documentId?: string; caption?: string; licence?: string | null; rightsExpireAt?: unknown } | null;
    if (uid === IMAGE_UID) {
      image = await strapi.db.query(IMAGE_UID).findOne({ where: { documentId }, select: ['documentId', 'caption', 'licence', 'rightsExpireAt'] });
      if (!image) throw new errors.NotFoundError('No such image');
    } else if (uid === ARTICLE_UID) {
      const draft = await strapi.db.query(ARTICLE_UID).findOne({
        where: { documentId, publishedAt: null, locale: locale ?? (await defaultLocale(strapi)) },
        select: ['id'],
        populate: { heroImage: { select: ['documentId', 'caption', 'licence', 'rightsExpireAt'] } },
      });
      if (!draft) throw new errors.NotFoundError('No such article');
      image = draft.heroImage ?? null;
    } else {
      throw new errors.ValidationError(`${uid} has no image rights`, { errors: [{ path: ['uid'], message: 'must be api::image.image or api::article.article' }] });
    }
    const at = storedTime(image?.rightsExpireAt);
    ctx.body = {
      data: image
        ? { documentId: image.documentId, caption: image.caption, licence: image.licence ?? null, rightsExpireAt: at === null ? null : new Date(at).toISOString(), state: rightsState(image) }
        : null,
    };
  };
  strapi.server.routes({
    type: 'admin',
    prefix: '/newsroom',
    routes: [{ method: 'GET', path: '/rights/:uid/:documentId', handler, config: { policies: ['admin::isAuthenticatedAdmin'] } }],
  } as never);
}

export function registerImageRights(strapi: Core.Strapi): void {
  strapi.documents.use(hideExpiredImages(strapi));
  strapi.documents.use(refuseExpiredHeroOnPublish(strapi));
  registerRightsRoute(strapi);
}
