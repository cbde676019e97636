/**
 * Rebuild targets: where they come from (the admin panel, or REBUILD_WEBHOOK_URLS), how they are
 * checked and stored (URL and secrets encrypted, shown as a hint only), and how the dispatcher
 * reads them back.
 */
import { createHash } from 'node:crypto';
import type { Core, Modules } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { z } from 'zod';
import { pathPatternsSchema, WEBHOOK_SECRET } from '../env';
import { WATCHED_TYPES, type ContentChange } from '../changes';
import { TARGET_KINDS, type ResolvedTarget, type TargetKind } from './kinds';
import { decryptSecret, encryptSecret, urlHint } from './secrets';
import type { RebuildSettings } from './settings';

export const TARGET_UID = 'api::rebuild-target.rebuild-target';
export const DELIVERY_UID = 'api::rebuild-delivery.rebuild-delivery';
export const OUTBOX_UID = 'api::rebuild-outbox.rebuild-outbox';
export const REBUILD_UIDS = [TARGET_UID, DELIVERY_UID, OUTBOX_UID] as const;

export interface TargetRow {
  id: number;
  documentId: string;
  name: string;
  kind: TargetKind;
  enabled: boolean;
  source: 'admin' | 'env';
  envKey: string | null;
  contentTypes: string | null;
  locales: string | null;
  eventType: string | null;
  pathPatterns: string | null;
  urlEncrypted: string | null;
  secretEncrypted: string | null;
  previousSecretEncrypted: string | null;
  softPurge: boolean | null;
}

const list = (value: string | null | undefined) => (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);

const SHORT_TYPES = Object.values(WATCHED_TYPES) as string[];
const GITHUB_DISPATCH_PATH = /\/repos\/[^/]+\/[^/]+\/dispatches$/;
const FASTLY_PURGE_PATH = /^\/service\/[A-Za-z0-9]+\/purge$/;
const CLOUDFLARE_PURGE_PATH = /^\/client\/v4\/zones\/[a-f0-9]{32}\/purge_cache$/;

const optionalText = z.string().trim().nullish().transform((v) => v || null);

/** A target's fields once merged with what is stored; every rule names its field. */
const targetInput = z
  .object({
    name: z.string({ error: 'is required' }).trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
    kind: z.enum(TARGET_KINDS, { error: `must be one of ${TARGET_KINDS.join(', ')}` }),
    url: z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }),
    secret: optionalText,
    previousSecret: optionalText,
    contentTypes: optionalText.refine((v) => list(v).every((t) => SHORT_TYPES.includes(t)), `must be a comma-separated list of ${SHORT_TYPES.join(', ')}`),
    locales: optionalText.refine((v) => list(v).every((l) => /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(l)), 'must be a comma-separated list of locale codes'),
    eventType: optionalText.refine((v) => v === null || /^[\w.:-]{1,100}$/.test(v), 'must be letters, digits, . : _ or -, at most 100'),
    pathPatterns: optionalText.refine((v) => v === null || pathPatternsSchema.safeParse(v).success, 'must be type=/path pairs, e.g. article=/{locale}/news/{slug}'),
    softPurge: z.boolean().nullish().transform((v) => v ?? false),
  })
  .superRefine((t, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (t.kind === 'standard') {
      if (!t.secret) issue('secret', 'is required for a standard target (whsec_ followed by base64)');
      for (const field of ['secret', 'previousSecret'] as const) {
        if (t[field] && !WEBHOOK_SECRET.test(t[field])) issue(field, 'must be whsec_ followed by base64 (the Standard Webhooks format)');
      }
    } else if (t.previousSecret) {
      issue('previousSecret', 'is only used by standard targets');
    }
    if (t.kind === 'github-dispatch') {
      if (!t.secret) issue('secret', 'is required for a github-dispatch target (a token allowed to dispatch)');
      if (!GITHUB_DISPATCH_PATH.test(new URL(t.url).pathname)) issue('url', 'must be https://api.github.com/repos/{owner}/{repo}/dispatches');
    }
    if (t.kind === 'build-hook' && t.secret) issue('secret', 'is not used by build-hook targets: the hook URL is the secret');
    if (t.kind === 'varnish' && t.secret) issue('secret', 'is not used by varnish targets: Varnish accepts purges from the addresses in its ACL');
    if (t.kind === 'fastly') {
      if (!t.secret) issue('secret', 'is required for a fastly target (an API token allowed to purge)');
      if (!FASTLY_PURGE_PATH.test(new URL(t.url).pathname)) issue('url', 'must be https://api.fastly.com/service/{service_id}/purge');
    }
    if (t.kind === 'cloudflare') {
      if (!t.secret) issue('secret', 'is required for a cloudflare target (an API token with Cache Purge permission)');
      if (!CLOUDFLARE_PURGE_PATH.test(new URL(t.url).pathname)) issue('url', 'must be https://api.cloudflare.com/client/v4/zones/{zone_id}/purge_cache');
    }
    if (t.softPurge && t.kind !== 'fastly') issue('softPurge', 'is only used by fastly targets');
  });

type TargetInput = z.infer<typeof targetInput>;

function validationError(issues: { path: PropertyKey[]; message: string }[]): errors.ValidationError {
  const first = issues[0];
  return new errors.ValidationError(`${String(first.path[0] ?? 'data')} ${first.message}`, {
    errors: issues.map((i) => ({ path: i.path.map(String), message: i.message, name: 'ValidationError' })),
  });
}

export function parseTargetInput(input: Record<string, unknown>): TargetInput {
  const result = targetInput.safeParse(input);
  if (!result.success) throw validationError(result.error.issues);
  return result.data;
}

/** What is stored for a checked target: secrets encrypted, password fields left empty. */
function storedFields(strapi: Core.Strapi, t: TargetInput) {
  return {
    name: t.name,
    kind: t.kind,
    url: null,
    secret: null,
    previousSecret: null,
    urlHint: urlHint(t.url),
    urlEncrypted: encryptSecret(strapi, t.url),
    secretEncrypted: t.secret ? encryptSecret(strapi, t.secret) : null,
    previousSecretEncrypted: t.previousSecret ? encryptSecret(strapi, t.previousSecret) : null,
    contentTypes: t.contentTypes,
    locales: t.locales,
    eventType: t.eventType,
    pathPatterns: t.pathPatterns,
    softPurge: t.softPurge,
  };
}

const EDITABLE = ['name', 'kind', 'contentTypes', 'locales', 'eventType', 'pathPatterns', 'softPurge'] as const;
const blank = (v: unknown) => v === undefined || v === null || v === '';

/**
 * Document Service middleware for the admin's writes: targets are checked (400 naming the field)
 * and encrypted before they are stored; an empty URL or secret field on an edit keeps the stored
 * one. Deliveries are written by the dispatcher only.
 */
export function rebuildWriteMiddleware(strapi: Core.Strapi): Modules.Documents.Middleware.Middleware {
  return async (ctx, next) => {
    if (ctx.uid === DELIVERY_UID && (ctx.action === 'create' || ctx.action === 'update')) {
      throw new errors.ValidationError('Deliveries are written by the dispatcher; use Redeliver to send one again');
    }
    if (ctx.uid !== TARGET_UID || (ctx.action !== 'create' && ctx.action !== 'update')) return next();

    const params = ctx.params as { documentId?: string; data?: Record<string, unknown> };
    const data = { ...(params.data ?? {}) };
    const existing: TargetRow | null =
      ctx.action === 'update' && params.documentId
        ? await strapi.db.query(TARGET_UID).findOne({ where: { documentId: params.documentId } })
        : null;

    if (existing?.source === 'env') {
      const changed = EDITABLE.filter((k) => !blank(data[k]) && data[k] !== existing[k]);
      if (changed.length > 0 || !blank(data.url) || !blank(data.secret) || !blank(data.previousSecret)) {
        throw validationError([{ path: [changed[0] ?? 'url'], message: 'is set by the environment (REBUILD_WEBHOOK_URLS or PURGE_*); only Enabled can be changed here' }]);
      }
      params.data = { enabled: data.enabled ?? existing.enabled, ...(data.enabled ? { disabledReason: null } : {}) };
      return next();
    }

    const pick = (field: 'url' | 'secret' | 'previousSecret', stored: string | null | undefined) =>
      blank(data[field]) ? decryptSecret(strapi, stored) : data[field];
    const merged = {
      ...Object.fromEntries(EDITABLE.map((k) => [k, k in data ? data[k] : existing?.[k]])),
      url: pick('url', existing?.urlEncrypted),
      secret: pick('secret', existing?.secretEncrypted),
      previousSecret: pick('previousSecret', existing?.previousSecretEncrypted),
    };
    const checked = parseTargetInput(merged);
    params.data = {
      ...data,
      ...storedFields(strapi, checked),
      source: 'admin',
      envKey: null,
      ...(data.enabled === true ? { disabledReason: null } : {}),
    };
    return next();
  };
}

/**
 * Targets from the environment, kept with source `env`: REBUILD_WEBHOOK_URLS as `standard`
 * targets, PURGE_VARNISH_URLS, PURGE_FASTLY_* and PURGE_CLOUDFLARE_* as purge targets.
 */
export async function syncEnvTargets(strapi: Core.Strapi, settings: RebuildSettings): Promise<void> {
  const query = strapi.db.query(TARGET_UID);
  const existing: TargetRow[] = await query.findMany({ where: { source: 'env' } });
  const [secret, previousSecret] = settings.envTargets.secrets;
  const wanted = [
    ...settings.envTargets.urls.map((url) => ({ key: url, input: { name: `${new URL(url).host} (env)`, kind: 'standard', url, secret, previousSecret } })),
    ...settings.envPurges.map((p) => ({
      // Keyed by kind and address, not the token: a rotated token updates the same target.
      key: `${p.kind} ${p.url}`,
      input: { name: `${p.kind} ${new URL(p.url).host} (env)`, kind: p.kind, url: p.url, secret: p.token, softPurge: p.softPurge },
    })),
  ];
  const keys = new Set<string>();
  for (const { key, input } of wanted) {
    // The key a REBUILD_WEBHOOK_URLS target always had: the hash of its URL.
    const envKey = createHash('sha256').update(key).digest('hex').slice(0, 32);
    keys.add(envKey);
    const fields = storedFields(strapi, parseTargetInput(input));
    const row = existing.find((t) => t.envKey === envKey);
    if (row) await query.update({ where: { id: row.id }, data: fields });
    else await query.create({ data: { ...fields, source: 'env', envKey, enabled: true } });
  }
  const gone = existing.filter((t) => !t.envKey || !keys.has(t.envKey));
  if (gone.length > 0) await query.deleteMany({ where: { id: { $in: gone.map((t) => t.id) } } });
}

/** A stored target, decrypted for sending; null (with a log line) when it cannot be decrypted. */
export function resolveTarget(strapi: Core.Strapi, row: TargetRow, settings: RebuildSettings): ResolvedTarget | null {
  const url = decryptSecret(strapi, row.urlEncrypted);
  if (!url) {
    strapi.log.error(`[rebuild] target "${row.name}" cannot be decrypted (ENCRYPTION_KEY changed?); skipped`);
    return null;
  }
  const secrets = [decryptSecret(strapi, row.secretEncrypted), decryptSecret(strapi, row.previousSecretEncrypted)].filter(
    (s): s is string => Boolean(s),
  );
  const own = row.pathPatterns ? pathPatternsSchema.parse(row.pathPatterns) : {};
  return {
    documentId: row.documentId,
    name: row.name,
    kind: row.kind,
    url,
    secrets,
    eventType: row.eventType,
    pathPatterns: { ...settings.pathPatterns, ...own },
    softPurge: row.softPurge === true,
  };
}

/** Whether a change concerns a target: its own type and locale, or any article it alters. */
export function concerns(row: Pick<TargetRow, 'contentTypes' | 'locales'>, change: ContentChange): boolean {
  const types = list(row.contentTypes);
  const locales = list(row.locales);
  const pairs = [
    { type: WATCHED_TYPES[change.contentType], locale: change.locale },
    ...change.affected.map((a) => ({ type: 'article', locale: a.locale })),
  ];
  return pairs.some(
    ({ type, locale }) => (types.length === 0 || types.includes(type)) && (locales.length === 0 || locale === null || locales.includes(locale)),
  );
}
