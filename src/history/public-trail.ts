/**
 * The public revision trail (off unless PUBLIC_REVISIONS=true): every published version of an
 * article locale is a revision, numbered from 1 (its first publication) in the order published;
 * the trail lists when each came out and the updates and corrections it added, and a revision's
 * public text can be read as it was then. A withheld version keeps its number but is left out of
 * the list and answers 451. Each entry of the article's public log names the revision that carried
 * it (`revision` on `updates`, revision-marks.ts).
 */
import type { Context } from 'koa';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { z } from 'zod';
import { docTag, slugTag } from '../changes/tags';
import { defaultLocale } from '../content-api/default-locale';
import { publicFields } from '../content-api/public-projection';
import { loadEnv } from '../env';
import { cacheable } from '../middlewares/http-cache';
import { orMoved } from '../distribution/http';
import { checkSlug, findPublishedBySlug, localeParam, parseQuery, strictQuery } from '../reads/article-reads';
import { ARTICLE_UID } from '../changes';
import { historyStore } from './store';
import type { UpdateNote, VersionRow } from './store';

export const trailQuery = strictQuery({ locale: localeParam });
const revisionNumber = z.coerce.number({ error: 'must be a revision number' }).int('must be a revision number').min(1, 'must be a revision number (1 is the first publication)').max(1_000_000, 'is too large');

const enabled = () => loadEnv().PUBLIC_REVISIONS;

function assertEnabled(): void {
  if (!enabled()) throw new errors.NotFoundError('This site does not publish revision trails');
}

async function trailOf(strapi: Core.Strapi, ctx: Context): Promise<{ versions: VersionRow[]; documentId: string; locale: string; slug: string }> {
  const slug = String(ctx.params.slug);
  checkSlug(slug, 'slug');
  const { locale: asked } = parseQuery(trailQuery, ctx.query);
  const article = await findPublishedBySlug(strapi, slug, asked);
  const locale = asked ?? (await defaultLocale(strapi));
  if (!article) throw new errors.NotFoundError(`No published article with slug ${slug} in locale ${locale}`);
  const documentId = String(article.documentId);
  const versions = await historyStore(strapi).publishedVersions({ uid: ARTICLE_UID, documentId, locale }, false);
  return { versions, documentId, locale, slug };
}

/** GET /api/articles/slug/:slug/revisions — the published versions, oldest first, without the withheld. */
export async function revisions(strapi: Core.Strapi, ctx: Context): Promise<void> {
  assertEnabled();
  await orMoved(strapi, ctx, '/revisions', async () => {
    const { versions, documentId, locale, slug } = await trailOf(strapi, ctx);
    const data = versions
      .map((v, i) => ({ revision: i + 1, publishedAt: v.savedAt, notes: (v.notes ?? []) as UpdateNote[], withheld: v.withheld }))
      .filter((r) => !r.withheld)
      .map(({ withheld: _, ...r }) => r);
    ctx.body = { data, meta: { documentId, locale, revisions: versions.length } };
    cacheable(ctx, [docTag(documentId), slugTag('article', slug, locale)]);
  });
}

/** GET /api/articles/slug/:slug/revisions/:n — the public text of revision n as it was published. */
export async function revision(strapi: Core.Strapi, ctx: Context): Promise<void> {
  assertEnabled();
  const parsed = revisionNumber.safeParse(ctx.params.n);
  if (!parsed.success) throw new errors.ValidationError(`revision ${parsed.error.issues[0].message}`, { source: 'params', param: 'n' });
  await orMoved(strapi, ctx, `/revisions/${parsed.data}`, async () => {
    const { versions, documentId, locale, slug } = await trailOf(strapi, ctx);
    const n = parsed.data;
    const found = versions[n - 1];
    if (!found) throw new errors.NotFoundError(`The article has ${versions.length} revision${versions.length === 1 ? '' : 's'}, not ${n}`);
    const tags = [docTag(documentId), slugTag('article', slug, locale)];
    if (found.withheld) {
      ctx.status = 451;
      ctx.body = { data: null, error: { status: 451, name: 'UnavailableForLegalReasons', message: `Revision ${n} is withheld`, details: {} } };
      cacheable(ctx, tags);
      return;
    }
    const version = await historyStore(strapi).get(found.id);
    ctx.body = { data: { revision: n, publishedAt: found.savedAt, notes: found.notes ?? [], article: await publicText(strapi, version?.content ?? {}) }, meta: { documentId, locale, revisions: versions.length } };
    cacheable(ctx, tags);
  });
}

/** A stored version cut to the fields the Public role may read; relations as their labels. */
async function publicText(strapi: Core.Strapi, content: Record<string, unknown>): Promise<Record<string, unknown>> {
  const visible = new Set(await publicFields(strapi, ARTICLE_UID));
  return Object.fromEntries(Object.entries(content).filter(([field]) => visible.has(field)));
}
