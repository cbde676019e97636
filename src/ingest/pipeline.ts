/**
 * One normalised item → one article locale, in one transaction, through the Document Service (so
 * the write rules, the history and the change feed see it like any save). An agency item is known
 * by its guid and locale (`ingest_items`, unique on both, so two processes ingesting the same item
 * make one article): the same version again is `unchanged` (no write), an older one a 409 naming
 * the version held, a newer one `updated` — applied when nobody has saved the article since the
 * last ingest (a published article is republished), else kept as a history version "<agency> v3,
 * not applied" that editors compare and restore from. `withheld` marks the article (publishing it
 * is refused), `canceled` (a kill) unpublishes it at once, `sig:correction` on a published article
 * adds a correction to its log, `embargoed` becomes its `publishAt`.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { currentIntent, writingAs } from '../changes';
import { defaultLocale } from '../content-api/default-locale';
import { fieldHashes, fieldKinds, schemaHash, snapshot, type Content } from '../history/snapshot';
import { historyStore } from '../history/store';
import { writingAgencyFields } from './agency-fields';
import { IngestError, invalidItem } from './errors';
import type { IngestItem, PubStatus } from './item';
import { fold, loadVocabulary, suggestKnown, type KnownSuggestion, type VocabularyEntry } from './suggest';
import { suggestCandidates, type Candidate } from './candidates';
import { fetchItemPictures, removeFetched, removeUnused, splitCredit, storePictures, uploadFetched, type Fetched, type FetchOptions } from './pictures';

const ARTICLE = 'api::article.article';
const IMAGE = 'api::image.image';
const TABLE = 'ingest_items';

export type IngestAction = 'created' | 'updated' | 'unchanged' | 'withheld' | 'killed';

export interface IngestOptions {
  /** `known`: link every entity the vocabulary matched to the article */
  link: 'known' | 'none';
  /** how pictures are fetched; none are fetched without it */
  pictures?: FetchOptions;
  /** the slug a new article takes (a WordPress post's), made free if taken */
  slug?: string;
  /** entities to link besides the known matches (a WordPress post's categories and tags, what an editor ticked) */
  entities?: string[];
  /** the admin user a new draft belongs to (the Import page's user: an Author may edit what they imported) */
  createdBy?: number;
  /** a new article is published at once, in the same write (a published WordPress post); an existing one keeps its state */
  publish?: boolean;
}

export interface IngestOutcome {
  status: 200 | 201;
  data: {
    documentId: string | null;
    locale: string;
    status: 'draft' | 'published';
    action: IngestAction;
    /** false when a newer version was kept in the history because the article was edited here since */
    applied: boolean;
    guid: string | null;
    version: string | null;
  };
  meta: { suggestions: { known: KnownSuggestion[]; candidates: Candidate[] }; warnings: string[] };
}

interface HeldRow {
  id: number;
  claim: string | null;
  version: string | null;
  versionCreated: string | null;
  contentHash: string | null;
  pubStatus: PubStatus;
  articleDocumentId: string | null;
  appliedUpdatedAt: string | null;
}

/** No headline and no body is nothing to ingest: a 422 naming both. */
export function checkItem(item: IngestItem, index?: number): void {
  if (item.headline || item.sections.length) return;
  const at = index === undefined ? '' : `item ${index + 1}: `;
  throw invalidItem(`${at}the item has no headline and no body`, [
    { path: 'headline', message: 'is missing' },
    { path: 'body', message: 'is missing or empty' },
  ]);
}

interface LocaleRow {
  code: string;
}

/** The site locale for an item's language: exact, else its base language (`en-GB` → `en`), else a locale of that language (`zh` → `zh-Hans`). */
export async function localeFor(strapi: Core.Strapi, language: string | null): Promise<string> {
  if (!language) return defaultLocale(strapi);
  const codes = ((await strapi.plugin('i18n').service('locales').find()) as LocaleRow[]).map((l) => l.code);
  const wanted = language.toLowerCase();
  const base = wanted.split(/[-_]/)[0];
  const found = codes.find((c) => c.toLowerCase() === wanted) ?? codes.find((c) => c.toLowerCase() === base) ?? codes.find((c) => c.toLowerCase().split('-')[0] === base);
  if (!found) throw invalidItem(`language ${language} is not a locale of this site (${codes.join(', ')})`, [{ path: 'language', message: `${language} is not one of ${codes.join(', ')}` }]);
  return found;
}

const cut = (text: string | null, max: number, field: string, warnings: string[]) => {
  if (text === null || text.length <= max) return text;
  warnings.push(`${field} is ${text.length} characters: cut to ${max}`);
  return `${text.slice(0, max - 1).replace(/\s+\S*$/, '')}…`;
};

function slugify(text: string): string {
  const slug = fold(text)
    .folded.replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 120)
    .replace(/-+$/, '');
  return slug || 'story';
}

async function freeSlug(strapi: Core.Strapi, base: string, locale: string): Promise<string> {
  const taken = new Set(
    ((await strapi.db.query(ARTICLE).findMany({ where: { locale, slug: { $startsWith: base } }, select: ['slug'] })) as { slug: string }[]).map((r) => r.slug),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** Byline names (`A and B`, `A, B`, `A/Reuters`) → person or organisation entities of the vocabulary; the rest named in warnings. */
function bylineEntities(item: IngestItem, vocabulary: VocabularyEntry[], warnings: string[]): string[] {
  const index = new Map<string, VocabularyEntry>();
  for (const v of vocabulary) if (v.kind === 'person' || v.kind === 'organization') for (const n of [v.name, ...v.aliases]) index.set(fold(n).folded, v);
  const ids: string[] = [];
  for (const byline of item.bylines) {
    for (const name of byline.split(/\s+and\s+|\s*[,/|;&]\s*/i).map((n) => n.trim()).filter(Boolean)) {
      const entry = index.get(fold(name).folded);
      if (entry) {
        if (!ids.includes(entry.documentId)) ids.push(entry.documentId);
      } else warnings.push(`byline "${name}" is not an entity yet: create it (person or organisation) to credit it`);
    }
  }
  return ids;
}

/** A picture already in the library with the same caption and credit (a paste of a story we hold). */
async function existingImage(strapi: Core.Strapi, item: IngestItem): Promise<string | null> {
  const picture = item.pictures[0];
  if (!picture?.caption) return null;
  const { credit, agency } = splitCredit(picture.credit, picture.copyrightHolder);
  const where: Record<string, unknown> = { caption: picture.caption };
  if (credit) where.credit = credit;
  if (agency) where.agency = agency;
  const row = (await strapi.db.query(IMAGE).findOne({ where, select: ['documentId'] })) as { documentId: string } | null;
  return row?.documentId ?? null;
}

export interface ArticleInput {
  data: Record<string, unknown>;
  warnings: string[];
}

async function articleInput(strapi: Core.Strapi, item: IngestItem, locale: string, links: { authors: string[]; entities: string[]; heroImage: string | null; slug?: string }): Promise<ArticleInput> {
  const warnings: string[] = [];
  const firstText = item.sections[0]?.body.map((b) => (b.type === 'list' ? '' : b.children.map((c) => (c.type === 'text' ? c.text : '')).join(''))).join(' ') ?? '';
  const made = item.headline ?? item.slugline ?? (firstText.trim().split(/(?<=[.!?])\s/)[0] || null);
  // No headline, no slugline and no paragraph to take a first sentence from (the body is only lists or quotes).
  if (!made) throw invalidItem('the item has no headline, and its body starts with no paragraph to make a title from', [{ path: 'headline', message: 'is missing' }]);
  const title = cut(made, 300, 'headline', warnings) as string;
  if (!item.headline) warnings.push(`no headline: the title "${title.slice(0, 80)}" was made from the ${item.slugline ? 'slugline' : 'first sentence'}`);
  const today = new Date().toISOString().slice(0, 10);
  const data: Record<string, unknown> = {
    title,
    slug: await freeSlug(strapi, links.slug && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(links.slug) ? links.slug.slice(0, 200) : slugify(title), locale),
    standfirst: cut(item.standfirst, 600, 'standfirst', warnings),
    dateline: item.dateline ?? item.firstCreated?.slice(0, 10) ?? today,
    sections: item.sections.map((s) => ({ heading: cut(s.heading, 200, 'a subheading', warnings), body: s.body })),
    authors: links.authors,
    entities: links.entities,
  };
  if (links.heroImage) data.heroImage = links.heroImage;
  if (item.embargoed && Date.parse(item.embargoed) > Date.now()) data.publishAt = item.embargoed;
  return { data, warnings };
}

export const agencySource = (item: IngestItem) => [item.provider, item.guid, item.version ? `v${item.version}` : null].filter(Boolean).join(' · ').slice(0, 500);

const contentHash = (item: IngestItem) =>
  createHash('sha256')
    .update(JSON.stringify([item.headline, item.standfirst, item.sections, item.bylines, item.pubStatus, item.embargoed, item.pictures.map((p) => [p.href, p.caption, p.credit])]))
    .digest('hex');

/** Is `item` newer than what is held? Integer versions compare as numbers, else `versionCreated`, else the content. */
export function compareVersion(held: Pick<HeldRow, 'version' | 'versionCreated' | 'contentHash'>, item: IngestItem, hash: string): 'same' | 'newer' | 'older' {
  if (held.version && item.version && /^\d+$/.test(held.version) && /^\d+$/.test(item.version)) {
    const a = BigInt(held.version);
    const b = BigInt(item.version);
    return a === b ? 'same' : b > a ? 'newer' : 'older';
  }
  if (held.versionCreated && item.versionCreated) {
    const a = Date.parse(held.versionCreated);
    const b = Date.parse(item.versionCreated);
    if (a !== b) return b > a ? 'newer' : 'older';
  }
  if (held.version && item.version && held.version !== item.version) return 'newer';
  return held.contentHash === hash ? 'same' : 'newer';
}

const time = (v: unknown) => (v ? new Date(v as string).getTime() : null);

function heldRow(raw: Record<string, unknown> | undefined): HeldRow | null {
  if (!raw) return null;
  // pg gives Dates, better-sqlite3 numbers or strings; String(date) would drop the milliseconds.
  const iso = (v: unknown) => (v === null || v === undefined ? null : (v instanceof Date ? v : new Date(typeof v === 'number' ? v : String(v))).toISOString());
  return {
    id: Number(raw.id),
    claim: (raw.claim as string | null) ?? null,
    version: (raw.version as string | null) ?? null,
    versionCreated: iso(raw.version_created),
    contentHash: (raw.content_hash as string | null) ?? null,
    pubStatus: raw.pub_status as PubStatus,
    articleDocumentId: (raw.article_document_id as string | null) ?? null,
    appliedUpdatedAt: iso(raw.applied_updated_at),
  };
}

interface DraftState {
  updatedAt: string | null;
  published: boolean;
  agencyStatus: string | null;
  updates: { kind: string; at: string | null; note: string }[];
}

async function draftState(strapi: Core.Strapi, documentId: string, locale: string): Promise<DraftState | null> {
  const rows = (await strapi.db.query(ARTICLE).findMany({ where: { documentId, locale }, select: ['updatedAt', 'publishedAt', 'agencyStatus'], populate: { updates: true } })) as Record<string, unknown>[];
  const draft = rows.find((r) => !r.publishedAt);
  if (!draft) return null;
  const updates = ((draft.updates as Record<string, unknown>[] | undefined) ?? []).map((u) => ({ kind: String(u.kind), at: (u.at as string | null) ?? null, note: String(u.note) }));
  return { updatedAt: (draft.updatedAt as string | null) ?? null, published: rows.some((r) => r.publishedAt), agencyStatus: (draft.agencyStatus as string | null) ?? null, updates };
}

/** Stores the agency's newer text as a history version of the article, without touching the article. */
async function keepAsVersion(strapi: Core.Strapi, tx: { trx: Knex.Transaction; onCommit(cb: () => void): void }, documentId: string, locale: string, data: Record<string, unknown>, note: string): Promise<void> {
  const current = await snapshot(strapi, ARTICLE, documentId, locale);
  if (!current) return;
  const content: Content = { ...current, title: data.title, standfirst: data.standfirst ?? null, dateline: data.dateline, sections: data.sections };
  const kinds = fieldKinds(strapi, ARTICLE);
  const hash = schemaHash(ARTICLE, kinds);
  const store = historyStore(strapi);
  await store.ensureSchema(tx, ARTICLE, hash, kinds);
  await store.insert(tx.trx, {
    targetUid: ARTICLE,
    targetDocumentId: documentId,
    targetLocale: locale,
    action: 'ingest',
    status: 'draft',
    published: false,
    by: currentIntent(strapi).actor,
    note,
    notes: null,
    content,
    fieldHashes: fieldHashes(content, kinds),
    schemaHash: hash,
    bytes: Buffer.byteLength(JSON.stringify(content)),
    savedAt: new Date().toISOString(),
  });
}

const isPostgres = (strapi: Core.Strapi) => strapi.db.dialect.client === 'postgres';

/** Ingests one item (already checked by `checkItem`). */
export async function ingestItem(strapi: Core.Strapi, item: IngestItem, options: IngestOptions): Promise<IngestOutcome> {
  return writePrepared(strapi, item, options, await prepareItem(strapi, item, options));
}

/**
 * What an item's write needs, made before its transaction: the locale, the suggestions, the byline
 * entities, and its pictures fetched and uploaded (the upload makes Strapi's resized formats, which
 * no transaction should wait for). A version already held (or an older one) fetches nothing: the
 * transaction will answer unchanged or 409 without them.
 */
export async function prepareItem(strapi: Core.Strapi, item: IngestItem, options: IngestOptions, { upload = true } = {}): Promise<Prepared> {
  const locale = await localeFor(strapi, item.language);
  const vocabulary = await loadVocabulary(strapi);
  const known = suggestKnown(item, vocabulary);
  const candidates = suggestCandidates(item, vocabulary);
  const warnings = [...item.warnings];
  const authors = bylineEntities(item, vocabulary, warnings);
  // A paste of a story we hold names its picture by caption and credit only: the library's copy is its hero.
  const existing = await existingImage(strapi, item);
  for (const p of existing ? [] : item.pictures.filter((p) => !p.href)) {
    warnings.push(`picture "${(p.caption ?? p.credit ?? '').slice(0, 60)}" has no file: caption and credit are in the preview, attach the picture by hand`);
  }
  const hash = contentHash(item);
  const wanted = !existing && options.pictures && item.pictures.some((p) => p.href) && !(await alreadyHeld(strapi, item, locale, hash));
  const fetched: Fetched[] = wanted ? await fetchItemPictures(strapi, item, options.pictures as FetchOptions, warnings) : [];
  const prepared = { locale, hash, known, candidates, warnings, authors, existing, fetched };
  if (upload) await uploadPrepared(strapi, item, prepared);
  return prepared;
}

/** The prepared item's pictures through the upload provider (`prepareItem` does it unless told not to); a failure leaves nothing behind. */
export async function uploadPrepared(strapi: Core.Strapi, item: IngestItem, prepared: Prepared): Promise<void> {
  try {
    await uploadFetched(strapi, item, prepared.fetched);
  } catch (error) {
    await removeUnused(strapi, prepared.fetched, false);
    await removeFetched(prepared.fetched);
    throw error;
  }
}

/** The item's transaction, then the pictures' leftovers: temporary files, and uploads no Image kept. */
export async function writePrepared(strapi: Core.Strapi, item: IngestItem, options: IngestOptions, prepared: Prepared): Promise<IngestOutcome> {
  let committed = false;
  try {
    const outcome = await ingestFetched(strapi, item, options, prepared);
    committed = true;
    return outcome;
  } finally {
    await removeUnused(strapi, prepared.fetched, committed);
    await removeFetched(prepared.fetched);
  }
}

/** Is this version of the item (or a newer one) held already? Read without a lock: only to skip fetching pictures. */
async function alreadyHeld(strapi: Core.Strapi, item: IngestItem, locale: string, hash: string): Promise<boolean> {
  if (!item.guid) return false;
  const held = heldRow(await (strapi.db.connection as unknown as Knex)(TABLE).where({ guid: item.guid, target_locale: locale }).first());
  return Boolean(held?.articleDocumentId) && compareVersion(held as HeldRow, item, hash) !== 'newer';
}

export interface Prepared {
  locale: string;
  /** the item's content hash (what compareVersion compares), made once */
  hash: string;
  known: KnownSuggestion[];
  candidates: Candidate[];
  warnings: string[];
  authors: string[];
  existing: string | null;
  fetched: Fetched[];
}

async function ingestFetched(strapi: Core.Strapi, item: IngestItem, options: IngestOptions, prepared: Prepared): Promise<IngestOutcome> {
  const { locale, hash, known, candidates, warnings, authors, existing, fetched } = prepared;
  const linked = [...new Set([...(options.entities ?? []), ...(options.link === 'known' ? known.map((k) => k.documentId) : [])])];
  const input = await articleInput(strapi, item, locale, { authors, entities: linked, heroImage: existing, slug: options.slug });
  warnings.push(...input.warnings);
  const meta = { suggestions: { known, candidates }, warnings };
  const source = agencySource(item);
  const outcome = (status: 200 | 201, action: IngestAction, documentId: string | null, published: boolean, applied = true): IngestOutcome => ({
    status,
    data: { documentId, locale, status: published ? 'published' : 'draft', action, applied, guid: item.guid, version: item.version },
    meta,
  });
  const agencyStatus = item.pubStatus;

  return strapi.db.transaction(async (tx: { trx: Knex.Transaction; onCommit(cb: () => void): void }) => {
    const { trx } = tx;
    // The pictures go in with the text: a rollback leaves no Image (an uploaded file may stay on disk or in the bucket).
    const withPictures = async () => {
      if (!fetched.length || input.data.heroImage) return;
      const images = await storePictures(strapi, item, fetched);
      if (images[0]) input.data.heroImage = images[0];
    };
    const create = async () => {
      await withPictures();
      const publish = Boolean(options.publish) && item.pubStatus === 'usable';
      const created = await writingAgencyFields(() =>
        strapi.documents(ARTICLE).create({ locale, data: { ...input.data, agencyStatus, agencySource: source || null, ...(options.createdBy ? { createdBy: options.createdBy, updatedBy: options.createdBy } : {}) } as never, status: publish ? 'published' : 'draft' } as never),
      );
      const { documentId, updatedAt } = created as { documentId: string; updatedAt?: string | null };
      // A publish answers with the published row: the draft's own updatedAt is what a later ingest compares.
      const draftUpdatedAt = publish ? ((await draftState(strapi, String(documentId), locale))?.updatedAt ?? null) : (updatedAt ?? null);
      return { documentId: String(documentId), updatedAt: draftUpdatedAt, published: publish };
    };
    if (!item.guid) {
      const { documentId, published } = await create();
      return outcome(201, 'created', documentId, published);
    }

    const claim = randomUUID();
    const now = new Date();
    await trx(TABLE)
      .insert({ guid: item.guid, target_locale: locale, format: item.format, provider: item.provider?.slice(0, 200) ?? null, pub_status: item.pubStatus, claim, created_at: now, updated_at: now })
      .onConflict(['guid', 'target_locale'])
      .ignore();
    const query = trx(TABLE).where({ guid: item.guid, target_locale: locale }).first();
    const held = heldRow(await (isPostgres(strapi) ? query.forUpdate() : query));
    if (!held) throw new Error('ingest: the item row vanished inside its transaction');
    const record = (fields: Record<string, unknown>) => trx(TABLE).where({ id: held.id }).update({ ...fields, updated_at: new Date() });
    const versionFields = { version: item.version?.slice(0, 100) ?? null, version_created: item.versionCreated ? new Date(item.versionCreated) : null, content_hash: hash, pub_status: item.pubStatus, format: item.format };

    const fresh = held.claim === claim && !held.articleDocumentId;
    if (!fresh) {
      const comparison = compareVersion(held, item, hash);
      if (comparison === 'same') return outcome(200, 'unchanged', held.articleDocumentId, Boolean(held.articleDocumentId && (await draftState(strapi, held.articleDocumentId, locale))?.published));
      if (comparison === 'older') {
        throw new IngestError('VersionConflict', `version ${item.version ?? item.versionCreated} of ${item.guid} is older than the version held (${held.version ?? held.versionCreated})`, [
          { path: 'version', message: `version ${held.version ?? held.versionCreated} is held` },
        ]);
      }
    }
    const state = held.articleDocumentId ? await draftState(strapi, held.articleDocumentId, locale) : null;

    // A kill: nothing is created; what is public goes at once.
    if (item.pubStatus === 'canceled') {
      await record(versionFields);
      if (!state || !held.articleDocumentId) return outcome(200, 'killed', held.articleDocumentId, false);
      const documentId = held.articleDocumentId;
      const why = `Killed by ${item.provider ?? 'the agency'}${item.ednote ? `: ${item.ednote}` : ''}`.slice(0, 1000);
      await writingAs({ note: why }, async () => {
        if (state.published) await strapi.documents(ARTICLE).unpublish({ documentId, locale } as never);
        await writingAgencyFields(() => strapi.documents(ARTICLE).update({ documentId, locale, data: { agencyStatus: 'canceled', agencySource: source || null } as never } as never));
      });
      return outcome(200, 'killed', documentId, false);
    }

    if (!state || !held.articleDocumentId) {
      // The new draft's own updatedAt: the next ingest compares it to tell whether somebody saved since.
      const { documentId, updatedAt, published } = await create();
      await record({ ...versionFields, article_document_id: documentId, applied_updated_at: updatedAt ? new Date(updatedAt) : null });
      return outcome(item.pubStatus === 'withheld' ? 200 : 201, item.pubStatus === 'withheld' ? 'withheld' : 'created', documentId, published);
    }

    const documentId = held.articleDocumentId;
    const action: IngestAction = item.pubStatus === 'withheld' ? 'withheld' : 'updated';
    // A kill stays until an Editor publishes again; a usable version lifts a withhold.
    const nextStatus = state.agencyStatus === 'canceled' ? 'canceled' : item.pubStatus;
    const editedHere = time(state.updatedAt) !== time(held.appliedUpdatedAt);
    if (editedHere) {
      const label = `${item.provider ?? 'Agency'} v${item.version ?? item.versionCreated ?? '?'}, not applied`;
      await keepAsVersion(strapi, tx, documentId, locale, input.data, `${label}: the article was edited here since the last ingest`);
      if (nextStatus !== state.agencyStatus) {
        await writingAgencyFields(() => strapi.documents(ARTICLE).update({ documentId, locale, data: { agencyStatus: nextStatus, agencySource: source || null } as never } as never));
      }
      await record(versionFields);
      warnings.push(`${label}: the article was edited here since the last ingest; the agency's text is kept in its history`);
      return outcome(200, action, documentId, state.published, false);
    }

    await withPictures();
    const { slug: _keep, ...data } = input.data;
    const correcting = item.signals.includes('correction') || item.correction !== null;
    if (correcting && state.published) {
      const note = (item.correction ?? item.ednote ?? `Corrected by ${item.provider ?? 'the agency'} (version ${item.version ?? item.versionCreated ?? 'new'})`).slice(0, 1000);
      data.updates = [...state.updates, { kind: 'correction', at: new Date().toISOString(), note }];
    }
    await writingAgencyFields(() => strapi.documents(ARTICLE).update({ documentId, locale, data: { ...data, agencyStatus: nextStatus, agencySource: source || null } as never } as never));
    let published = state.published;
    if (state.published && nextStatus === 'usable') {
      if (data.publishAt) warnings.push(`embargoed until ${String(data.publishAt)}: the published version stays as it was until then`);
      else await strapi.documents(ARTICLE).publish({ documentId, locale } as never);
    }
    if (nextStatus !== 'usable') published = state.published;
    const after = await draftState(strapi, documentId, locale);
    await record({ ...versionFields, applied_updated_at: after?.updatedAt ? new Date(after.updatedAt) : null });
    return outcome(200, action, documentId, published);
  });
}
