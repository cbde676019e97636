/**
 * The history's admin API (admin JWT, the admin's error shape):
 *   GET    /newsroom/history/:uid/:documentId?locale=&page=&pageSize=   versions, newest first
 *   GET    /newsroom/history/:uid/:documentId/blame?locale=             who last changed each field
 *   GET    /newsroom/history/versions/:id                               one version with its content
 *   GET    /newsroom/history/versions/:id/diff?against=<id>             field by field, against the current draft by default
 *   POST   /newsroom/history/versions/:id/restore  {"fields"?: [...]}   a new draft save from the version
 *   POST | DELETE /newsroom/history/versions/:id/pin                    legal hold: never pruned
 *   POST | DELETE /newsroom/history/versions/:id/withhold {"reason"?}   kept, but out of the public trail
 * An article's history is for whoever may read the article in the content manager (an Author: the
 * ones they created); restoring needs the right to update it. Entities' and images' history,
 * pinning and withholding are for Editors and admins.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { z } from 'zod';
import { announcePublicUpdate, ARTICLE_UID, isWatched, type Actor } from '../changes';
import { defaultLocale } from '../content-api/default-locale';
import { isLocalized } from '../content-api/model-attribute';
import { blame } from './blame';
import { diffContents } from './diff';
import { restoreData, writeRestore } from './restore';
import { compareSchemas, fieldKinds, snapshot, type FieldKinds } from './snapshot';
import type { HistoryStore, VersionRow } from './store';

interface AdminUser {
  id: number;
  firstname?: string | null;
  lastname?: string | null;
  email?: string | null;
  roles?: { code: string }[];
}

interface AdminContext {
  params: Record<string, string>;
  query: Record<string, unknown>;
  request: { body?: unknown };
  state: { user?: AdminUser; userAbility?: unknown };
  status: number;
  body: unknown;
}

const EDITOR_ROLES = new Set(['strapi-super-admin', 'strapi-editor']);

const actorOf = (user: AdminUser | undefined): Actor => {
  const name = [user?.firstname, user?.lastname].filter(Boolean).join(' ') || user?.email || 'admin';
  return { kind: 'admin', ...(user?.id ? { id: user.id } : {}), name, ...(user?.email ? { email: user.email } : {}) };
};

const isEditor = (ctx: AdminContext) => Boolean(ctx.state.user?.roles?.some((r) => EDITOR_ROLES.has(r.code)));

function zodToValidation(error: z.ZodError, source: string): errors.ValidationError {
  const issues = error.issues.map((i) => ({ path: [source, ...i.path.map(String)], message: i.message }));
  const first = issues[0];
  return new errors.ValidationError(`${first.path.slice(1).join('.') || source}: ${first.message}`, { errors: issues });
}

function parse<T>(schema: z.ZodType<T>, value: unknown, source: string): T {
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw zodToValidation(result.error, source);
  return result.data;
}

const id = z.coerce.number({ error: 'must be a version id' }).int('must be a version id').positive('must be a version id');
const locale = z.string().regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'must be a locale code such as en or fr');
const listQuery = z.strictObject({
  locale: locale.optional(),
  page: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(100_000, 'must be at most 100000').default(1),
  pageSize: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(100, 'must be at most 100').default(20),
});
const blameQuery = z.strictObject({ locale: locale.optional() });
const diffQuery = z.strictObject({ against: id.optional() });
const restoreBody = z.strictObject({ fields: z.array(z.string().min(1).max(100)).min(1, 'must name at least one field').max(100).optional() });
const withholdBody = z.strictObject({ reason: z.string().trim().min(1).max(1000).optional() });

/** A version as the list shows it (and the admin's History panel reads it). */
export const summary = (v: VersionRow) => ({
  id: v.id,
  createdAt: v.savedAt,
  by: v.by,
  action: v.action,
  status: v.status,
  published: v.published,
  pinned: v.pinned,
  withheld: v.withheld,
  note: v.note,
  bytes: v.bytes,
  locale: v.targetLocale,
});

export type VersionSummary = ReturnType<typeof summary>;

export function registerHistoryAdminRoutes(strapi: Core.Strapi, store: HistoryStore): void {
  const watchedUid = (uid: string) => {
    if (!isWatched(uid)) throw new errors.ValidationError(`${uid} has no history: it is one of ${['api::article.article', 'api::entity.entity', 'api::image.image'].join(', ')}`, { errors: [{ path: ['uid'], message: 'has no history' }] });
    return uid;
  };

  const localeOf = async (uid: string, asked: string | undefined): Promise<string | null> => {
    if (!isLocalized(strapi, uid)) return null;
    return asked ?? (await defaultLocale(strapi));
  };

  /** Refused unless the admin may read (or update) the document this history is of. */
  const assertMay = async (ctx: AdminContext, uid: string, documentId: string, targetLocale: string | null, action: 'read' | 'update') => {
    if (uid !== ARTICLE_UID) {
      if (!isEditor(ctx)) throw new errors.ForbiddenError('Only Editors and admins can see the history of entities and images');
      return;
    }
    if (isEditor(ctx)) return;
    const where: Record<string, unknown> = { documentId, publishedAt: null };
    if (targetLocale) where.locale = targetLocale;
    const row = await strapi.db.query(uid).findOne({ where, select: ['id', 'documentId', 'locale'], populate: { createdBy: { select: ['id'] } } });
    const checker = strapi.plugin('content-manager').service('permission-checker').create({ userAbility: ctx.state.userAbility, model: uid });
    if (!row || checker.cannot[action](row)) throw new errors.ForbiddenError(`You may not ${action} this article, nor its history`);
  };

  const versionOf = async (ctx: AdminContext, action: 'read' | 'update' = 'read'): Promise<VersionRow> => {
    const versionId = parse(id, ctx.params.id, 'params');
    const version = await store.get(versionId);
    if (!version) throw new errors.NotFoundError(`No version ${versionId}`);
    await assertMay(ctx, version.targetUid, version.targetDocumentId, version.targetLocale, action);
    return version;
  };

  const kindsOf = async (version: VersionRow): Promise<FieldKinds> => (await store.schemaFields(version.schemaHash)) ?? fieldKinds(strapi, version.targetUid);

  const requireEditor = (ctx: AdminContext, what: string) => {
    if (!isEditor(ctx)) throw new errors.ForbiddenError(`Only Editors and admins can ${what}`);
  };

  const config = { policies: ['admin::isAuthenticatedAdmin'] };
  const route = (method: string, path: string, handler: (ctx: AdminContext) => Promise<void>) => ({ method, path, config, handler });

  const setPinned = (pinned: boolean) => async (ctx: AdminContext) => {
    requireEditor(ctx, 'pin versions');
    const version = await versionOf(ctx);
    await store.setPinned(version.id, pinned, pinned ? actorOf(ctx.state.user).name : null);
    ctx.body = { data: summary({ ...version, pinned }) };
  };

  const setWithheld = (withheld: boolean) => async (ctx: AdminContext) => {
    requireEditor(ctx, 'withhold versions from the public trail');
    const { reason } = withheld ? parse(withholdBody, ctx.request.body, 'body') : { reason: undefined };
    const version = await versionOf(ctx);
    if (version.targetUid !== ARTICLE_UID) throw new errors.ValidationError('only article versions are in a public trail', { errors: [{ path: ['id'], message: 'is not an article version' }] });
    if (!version.published) throw new errors.ValidationError(`version ${version.id} was never published: it is not in the public trail`, { errors: [{ path: ['id'], message: 'was never published' }] });
    // The trail is public: its answers (cached, on sites, at the edge) change with it.
    await strapi.db.transaction(async ({ trx, onCommit }) => {
      await store.setWithheld(version.id, withheld, reason ?? null, trx);
      await announcePublicUpdate(strapi, ARTICLE_UID, version.targetDocumentId, version.targetLocale, { trx, onCommit });
    });
    ctx.body = { data: { ...summary({ ...version, withheld }), withheldReason: withheld ? (reason ?? null) : null } };
  };

  strapi.server.routes({
    type: 'admin',
    prefix: '/newsroom',
    routes: [
      // The version routes first: `/history/versions/:id` would otherwise match `/history/:uid/:documentId`.
      route('GET', '/history/versions/:id', async (ctx) => {
        const version = await versionOf(ctx);
        const saved = await kindsOf(version);
        const current = fieldKinds(strapi, version.targetUid);
        const { missing, unknown } = compareSchemas(saved, current);
        const content = version.content ?? {};
        ctx.body = {
          data: {
            ...summary(version),
            documentId: version.targetDocumentId,
            uid: version.targetUid,
            content: Object.fromEntries(Object.entries(content).filter(([f]) => Object.hasOwn(current, f))),
            schema: { missing, unknown: Object.fromEntries(unknown.map((f) => [f, content[f] ?? null])) },
          },
        };
      }),
      route('GET', '/history/versions/:id/diff', async (ctx) => {
        const { against } = parse(diffQuery, ctx.query, 'query');
        const version = await versionOf(ctx);
        const before = { content: version.content ?? {}, kinds: await kindsOf(version) };
        let after;
        let to;
        if (against) {
          const other = await store.get(against);
          if (!other || other.targetUid !== version.targetUid || other.targetDocumentId !== version.targetDocumentId || other.targetLocale !== version.targetLocale) {
            throw new errors.NotFoundError(`No version ${against} of this document and locale`);
          }
          after = { content: other.content ?? {}, kinds: await kindsOf(other) };
          to = { id: other.id, createdAt: other.savedAt };
        } else {
          const draft = await snapshot(strapi, version.targetUid, version.targetDocumentId, version.targetLocale);
          if (!draft) throw new errors.NotFoundError('The document was deleted: compare with another version (?against=<id>)');
          after = { content: draft, kinds: fieldKinds(strapi, version.targetUid) };
          to = { id: null, draft: true };
        }
        ctx.body = { data: { from: { id: version.id, createdAt: version.savedAt }, to, fields: diffContents(before, after) } };
      }),
      route('POST', '/history/versions/:id/restore', async (ctx) => {
        const { fields } = parse(restoreBody, ctx.request.body, 'body');
        const version = await versionOf(ctx, 'update');
        const current = await snapshot(strapi, version.targetUid, version.targetDocumentId, version.targetLocale);
        if (!current) throw new errors.NotFoundError('The document was deleted since: there is nothing to restore into');
        const { data, result } = await restoreData(strapi, version, await kindsOf(version), fields);
        await writeRestore(strapi, version, data, actorOf(ctx.state.user), fields);
        const latest = await store.latest({ uid: version.targetUid, documentId: version.targetDocumentId, locale: version.targetLocale });
        ctx.body = {
          data: { documentId: version.targetDocumentId, locale: version.targetLocale, restoredFrom: version.id, version: latest ? summary(latest) : null, restored: result.restored },
          meta: { dropped: result.dropped, missing: result.missing },
        };
      }),
      route('POST', '/history/versions/:id/pin', setPinned(true)),
      route('DELETE', '/history/versions/:id/pin', setPinned(false)),
      route('POST', '/history/versions/:id/withhold', setWithheld(true)),
      route('DELETE', '/history/versions/:id/withhold', setWithheld(false)),
      route('GET', '/history/:uid/:documentId/blame', async (ctx) => {
        const uid = watchedUid(ctx.params.uid);
        const { locale: asked } = parse(blameQuery, ctx.query, 'query');
        const targetLocale = await localeOf(uid, asked);
        await assertMay(ctx, uid, ctx.params.documentId, targetLocale, 'read');
        const rows = await store.hashes({ uid, documentId: ctx.params.documentId, locale: targetLocale });
        if (rows.length === 0) throw new errors.NotFoundError('No versions of this document in this locale');
        ctx.body = { data: blame(rows), meta: { versions: rows.length } };
      }),
      route('GET', '/history/:uid/:documentId', async (ctx) => {
        const uid = watchedUid(ctx.params.uid);
        const { locale: asked, page, pageSize } = parse(listQuery, ctx.query, 'query');
        const targetLocale = await localeOf(uid, asked);
        await assertMay(ctx, uid, ctx.params.documentId, targetLocale, 'read');
        const { rows, total } = await store.list({ uid, documentId: ctx.params.documentId, locale: targetLocale }, page, pageSize);
        ctx.body = { data: rows.map(summary), meta: { pagination: { page, pageSize, pageCount: Math.ceil(total / pageSize), total } } };
      }),
    ],
  } as never);
}
