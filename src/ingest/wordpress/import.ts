/**
 * `npm run import:wordpress -- export.xml [--uploads DIR | --media-base URL]`: a WordPress export
 * (WXR 1.1/1.2) becomes articles, read twice as a stream (memory stays flat whatever its size: the
 * first pass keeps only the attachments' URLs, captions and alt texts, the second ingests one post
 * at a time). Posts only (pages, attachments, revisions, nav items are not articles; trash is
 * skipped). Each post goes through the ingest pipeline keyed on its guid, so a second run changes
 * nothing and an interrupted run resumes: published posts are published with `firstPublishedAt` =
 * `post_date_gmt`, drafts stay drafts, a scheduled post gets its `publishAt`; slug = `post_name`; the
 * author → a byline entity (person), categories and tags → topic entities, matched to existing ones
 * first; the featured image (`_thumbnail_id`) → the hero with caption and alt text; images in the
 * body → Images through the upload provider; `[caption]` and `[gallery]` converted, other shortcodes
 * kept as text and counted; the old permalinks (`link`, `/yyyy/mm/dd/slug/`, `/?p=ID`) recorded so
 * `/api/resolve?path=` answers 301 to the new path.
 */
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { writingAs } from '../../changes';
import { LEGACY_PATH_UID } from '../../distribution/resolve';
import { htmlToBlocks, toSections } from '../blocks';
import { cleanText, emptyItem, parseTime, type IngestItem, type Picture } from '../item';
import { checkItem, prepareItem, uploadPrepared, writePrepared, type IngestOptions, type Prepared } from '../pipeline';
import type { FetchOptions } from '../pictures';
import { fold } from '../suggest';
import { convertContent, type Attachment } from './shortcodes';
import { readWxr, type WxrItem } from './wxr';

const ARTICLE = 'api::article.article';
const ENTITY = 'api::entity.entity';
export const IMPORT_ACTOR = { kind: 'system' as const, name: 'WordPress import' };

export interface WordPressOptions {
  /** the export's wp-content/uploads folder on this machine */
  uploads?: string;
  /** where the export's media are served now (its /wp-content/uploads/ prefix is replaced) */
  mediaBase?: string;
  pictures: Omit<FetchOptions, 'local' | 'rewrite'>;
  progress?: (done: number, total: number) => void;
}

export interface ImportSummary {
  posts: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: { post: string; error: string }[];
  skipped: Record<string, number>;
  imagesFetched: number;
  imagesMissing: number;
  shortcodesLeft: Record<string, number>;
  redirects: number;
  entitiesCreated: number;
}

const UPLOADS = '/wp-content/uploads/';

function pictureMapping(options: WordPressOptions): Pick<FetchOptions, 'local' | 'rewrite'> {
  return {
    local: options.uploads
      ? (url) => {
          const at = new URL(url, 'http://x').pathname.indexOf(UPLOADS);
          return at === -1 ? null : path.join(options.uploads as string, decodeURIComponent(new URL(url, 'http://x').pathname.slice(at + UPLOADS.length)));
        }
      : undefined,
    rewrite: options.mediaBase
      ? (url) => {
          const u = new URL(url, 'http://x');
          const at = u.pathname.indexOf(UPLOADS);
          return at === -1 ? url : `${(options.mediaBase as string).replace(/\/$/, '')}/${u.pathname.slice(at + UPLOADS.length)}${u.search}`;
        }
      : undefined,
  };
}

const FIGURE = /<figure><img src="([^"]*)" alt="([^"]*)">(?:<figcaption>([^<]*)<\/figcaption>)?<\/figure>/g;
const IMG = /<img\b[^>]*\bsrc\s*=\s*["']([^"']+)["'][^>]*>/gi;
const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&amp;/g, '&');
const picture = (href: string, caption: string | null, alt: string | null): Picture => ({ href, caption, credit: null, copyrightHolder: null, usageTerms: null, altText: alt, renditions: [{ href }] });

/** The post as a normalised item, its pictures (hero first) and the shortcodes left. */
export function postItem(post: WxrItem, attachments: Map<string, Attachment>, language: string | null): { item: IngestItem; left: Map<string, number> } {
  const item = emptyItem('wordpress');
  item.guid = post.guid || `wordpress:${post.postId}`;
  item.language = language;
  item.headline = cleanText(post.title);
  item.standfirst = cleanText(post.excerpt.replace(/<[^>]*>/g, ' '));
  item.versionCreated = parseTime(post.postModifiedGmt && !post.postModifiedGmt.startsWith('0000') ? post.postModifiedGmt : null, 'post_modified_gmt', item.warnings);
  item.firstCreated = parseTime(post.postDateGmt && !post.postDateGmt.startsWith('0000') ? post.postDateGmt : null, 'post_date_gmt', item.warnings);
  item.dateline = /^\d{4}-\d{2}-\d{2}/.test(post.postDate) ? post.postDate.slice(0, 10) : (item.firstCreated?.slice(0, 10) ?? null);
  if (post.status === 'future' && item.firstCreated) item.embargoed = item.firstCreated;
  const { html, left } = convertContent(post.content, attachments);
  const thumbnail = attachments.get(post.meta.find((m) => m.name === '_thumbnail_id')?.value.trim() ?? '');
  if (thumbnail) item.pictures.push(picture(thumbnail.url, cleanText(thumbnail.caption) ?? cleanText(thumbnail.title), cleanText(thumbnail.alt)));
  for (const m of html.matchAll(FIGURE)) item.pictures.push(picture(unescape(m[1]), cleanText(unescape(m[3] ?? '')), cleanText(unescape(m[2]))));
  const inFigures = new Set(item.pictures.map((p) => p.href));
  for (const m of html.replace(FIGURE, '').matchAll(IMG)) if (!inFigures.has(m[1])) item.pictures.push(picture(unescape(m[1]), null, null));
  item.sections = toSections(htmlToBlocks(html.replace(FIGURE, '')), item.warnings);
  return { item, left };
}

/** The old addresses of a post: its permalink, the dated form, and `/?p=ID`. */
export function legacyPaths(post: WxrItem): string[] {
  const paths = new Set<string>();
  try {
    if (post.link) {
      const u = new URL(post.link);
      paths.add(`${u.pathname}${u.search}`);
    }
  } catch {
    // not a URL: the other forms still hold
  }
  const date = /^(\d{4})-(\d{2})-(\d{2})/.exec(post.postDate);
  if (date && post.postName) paths.add(`/${date[1]}/${date[2]}/${date[3]}/${post.postName}/`);
  if (/^\d+$/.test(post.postId)) paths.add(`/?p=${post.postId}`);
  return [...paths].filter((p) => p.length <= 1000 && p !== '/');
}

const slugOf = (text: string) => fold(text).folded.replace(/['’]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 200) || 'topic';

/**
 * An entity for a name (existing by slug, name or alias first), created with `kind` when none; its
 * documentId. One import asks for the same authors, categories and tags post after post: the answer
 * is kept for the run (`known`, by slug and name).
 */
async function ensureEntity(strapi: Core.Strapi, name: string, slug: string, kind: 'person' | 'topic', summary: ImportSummary, known: Map<string, string>): Promise<string> {
  const key = fold(name).folded;
  const memo = `${slug}\u0000${key}`;
  const kept = known.get(memo);
  if (kept) return kept;
  const documentId = await findOrCreateEntity(strapi, name, slug, kind, key, summary);
  known.set(memo, documentId);
  return documentId;
}

async function findOrCreateEntity(strapi: Core.Strapi, name: string, slug: string, kind: 'person' | 'topic', key: string, summary: ImportSummary): Promise<string> {
  const bySlug = (await strapi.db.query(ENTITY).findOne({ where: { slug }, select: ['documentId'] })) as { documentId: string } | null;
  if (bySlug) return bySlug.documentId;
  const candidates = (await strapi.db.query(ENTITY).findMany({ where: { name: { $eqi: name } }, select: ['documentId', 'name'] })) as { documentId: string; name: string }[];
  const byName = candidates.find((c) => fold(c.name).folded === key);
  if (byName) return byName.documentId;
  const created = await strapi.documents(ENTITY).create({ data: { name: name.slice(0, 200), slug, kind } as never });
  summary.entitiesCreated += 1;
  return created.documentId;
}

export async function importWordPress(strapi: Core.Strapi, file: string, options: WordPressOptions): Promise<ImportSummary> {
  const summary: ImportSummary = { posts: 0, created: 0, updated: 0, unchanged: 0, failed: [], skipped: {}, imagesFetched: 0, imagesMissing: 0, shortcodesLeft: {}, redirects: 0, entitiesCreated: 0 };
  const attachments = new Map<string, Attachment>();
  let total = 0;
  // First pass: the attachments (a post may come before its pictures) and how many posts there are.
  await readWxr(file, async (item) => {
    if (item.postType === 'attachment' && item.postId) {
      attachments.set(item.postId, { url: item.attachmentUrl || item.guid, caption: item.excerpt, alt: item.meta.find((m) => m.name === '_wp_attachment_image_alt')?.value ?? '', title: item.title });
    } else if (item.postType === 'post' && item.status !== 'trash' && item.status !== 'auto-draft') total += 1;
  });
  const pictures: FetchOptions = { ...options.pictures, ...pictureMapping(options) };
  const entities = new Map<string, string>();
  let done = 0;
  // Two posts in flight. Post k is read and parsed, its entities found or made and its pictures
  // fetched (a few quick reads); then its pictures' upload (Strapi's resized formats, made on libuv's
  // threads) runs while post k−1 is written in its transaction, which on SQLite holds the one
  // connection. Posts are written in the export's order, one at a time.
  let pending: { post: WxrItem; ready: PreparedPost } | null = null;
  /** A post is done with, written or failed: counted, and the progress told. */
  const finished = (post: WxrItem, error?: unknown) => {
    if (error !== undefined) summary.failed.push({ post: post.guid || post.postId, error: error instanceof Error ? error.message : String(error) });
    done += 1;
    options.progress?.(done, total);
  };
  const write = async (p: { post: WxrItem; ready: PreparedPost } | null) => {
    if (!p) return;
    await writePost(strapi, p.post, p.ready, summary).then(
      () => finished(p.post),
      (error: unknown) => finished(p.post, error ?? new Error('failed')),
    );
  };
  await writingAs({ actor: IMPORT_ACTOR }, () => withUploadSettingsHeld(strapi, async () => {
    await readWxr(file, async (post, channel) => {
      if (post.postType !== 'post' || post.status === 'trash' || post.status === 'auto-draft') {
        const why = post.postType !== 'post' ? post.postType || 'no post_type' : post.status;
        summary.skipped[why] = (summary.skipped[why] ?? 0) + 1;
        return;
      }
      summary.posts += 1;
      const ready = await preparePost(strapi, post, channel.language, channel.authors, attachments, pictures, summary, entities).catch((error: unknown) => {
        finished(post, error ?? new Error('failed'));
        return null;
      });
      const upload = ready ? uploadPrepared(strapi, ready.item, ready.prepared) : Promise.resolve();
      const previous = pending;
      pending = null;
      const [uploaded] = await Promise.allSettled([upload, write(previous)]);
      if (!ready) return;
      if (uploaded.status === 'rejected') {
        finished(post, uploaded.reason ?? new Error('upload failed'));
        return;
      }
      pending = { post, ready };
    });
    await write(pending);
  }));
  return summary;
}

/**
 * For the run, the media library's settings (responsive formats, size optimisation) read once:
 * Strapi's upload reads them four times per picture, and on SQLite each read waits for the post
 * being written, which would keep the pictures' resizing from overlapping the writes. Settings
 * changed in the admin during an import apply from the next run.
 */
async function withUploadSettingsHeld<T>(strapi: Core.Strapi, run: () => Promise<T>): Promise<T> {
  const service = strapi.plugin('upload').service('upload') as { getSettings: () => Promise<unknown> };
  const original = service.getSettings;
  const settings = await original.call(service);
  service.getSettings = async () => settings;
  try {
    return await run();
  } finally {
    service.getSettings = original;
  }
}

interface PreparedPost {
  item: IngestItem;
  options: IngestOptions;
  prepared: Prepared;
}

async function preparePost(
  strapi: Core.Strapi,
  post: WxrItem,
  language: string | null,
  authors: Map<string, string>,
  attachments: Map<string, Attachment>,
  pictures: FetchOptions,
  summary: ImportSummary,
  known: Map<string, string>,
): Promise<PreparedPost> {
  const { item, left } = postItem(post, attachments, language);
  for (const [name, count] of left) summary.shortcodesLeft[name] = (summary.shortcodesLeft[name] ?? 0) + count;
  checkItem(item);
  const author = authors.get(post.creator) ?? post.creator;
  if (author) {
    await ensureEntity(strapi, author, slugOf(author), 'person', summary, known);
    item.bylines = [author];
  }
  const entities: string[] = [];
  for (const c of post.categories) {
    if (c.domain !== 'category' && c.domain !== 'post_tag') continue;
    if (c.domain === 'category' && c.nicename === 'uncategorized') continue;
    entities.push(await ensureEntity(strapi, c.name || c.nicename, /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(c.nicename) ? c.nicename : slugOf(c.name), 'topic', summary, known));
  }
  // A published post is created published, in one write.
  const options: IngestOptions = { link: 'none', pictures, slug: post.postName || undefined, entities, publish: post.status === 'publish' };
  return { item, options, prepared: await prepareItem(strapi, item, options, { upload: false }) };
}

async function writePost(strapi: Core.Strapi, post: WxrItem, { item, options, prepared }: PreparedPost, summary: ImportSummary): Promise<void> {
  const outcome = await writePrepared(strapi, item, options, prepared);
  const warnings = outcome.meta.warnings;
  summary.imagesMissing += warnings.filter((w) => /^picture .* was not fetched/.test(w)).length;
  const action = outcome.data.action;
  if (action === 'unchanged') {
    summary.unchanged += 1;
    return;
  }
  if (action === 'created') summary.created += 1;
  else summary.updated += 1;
  summary.imagesFetched += new Set(item.pictures.filter((p) => p.href).map((p) => p.href)).size - warnings.filter((w) => /^picture .* was not fetched/.test(w)).length;
  const documentId = outcome.data.documentId as string;
  const locale = outcome.data.locale;
  if (post.status === 'publish') {
    if (outcome.data.status !== 'published') await strapi.documents(ARTICLE).publish({ documentId, locale } as never);
    // The post's first publication is when WordPress published it, not now.
    if (item.firstCreated) {
      const table = strapi.db.metadata.get(ARTICLE).tableName;
      await (strapi.db.connection as unknown as Knex)(table).where({ document_id: documentId, locale }).update({ first_published_at: new Date(item.firstCreated) });
    }
  }
  const now = new Date();
  for (const legacy of legacyPaths(post)) {
    await (strapi.db.connection as unknown as Knex)(strapi.db.metadata.get(LEGACY_PATH_UID).tableName)
      .insert({ path: legacy, target: documentId, target_locale: locale, created_at: now, updated_at: now })
      .onConflict('path')
      .merge(['target', 'target_locale', 'updated_at']);
    summary.redirects += 1;
  }
}
