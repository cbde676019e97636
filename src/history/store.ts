/**
 * The history tables, read and written with knex directly (one statement each, inside whatever
 * transaction is current): `history_versions` and `history_schemas`. Rows come back normalised
 * (JSON parsed, booleans and dates as such) whichever database holds them.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { Actor, ActorKind } from '../changes';
import { fromRow, type Meta } from '../reads/article-loader';
import type { Content, FieldKinds } from './snapshot';

export const VERSION_UID = 'api::history-version.history-version';
export const SCHEMA_UID = 'api::history-schema.history-schema';
export const HISTORY_UIDS = [VERSION_UID, SCHEMA_UID] as const;

export interface UpdateNote {
  kind: string;
  at: string | null;
  note: string;
}

export interface VersionRow {
  id: number;
  targetUid: string;
  targetDocumentId: string;
  /** null for types that are not localized */
  targetLocale: string | null;
  action: string;
  /** the locale after this save: never or no longer public, public as saved here, or public with a newer draft */
  status: 'draft' | 'published' | 'modified';
  published: boolean;
  by: Actor;
  note: string | null;
  /** the update and correction entries this published version added (articles) */
  notes: UpdateNote[] | null;
  content?: Content;
  fieldHashes?: Record<string, string>;
  schemaHash: string;
  bytes: number;
  pinned: boolean;
  pinnedAt: string | null;
  pinnedBy: string | null;
  withheld: boolean;
  withheldReason: string | null;
  savedAt: string;
}

export type NewVersion = Omit<VersionRow, 'id' | 'pinned' | 'pinnedAt' | 'pinnedBy' | 'withheld' | 'withheldReason' | 'content' | 'fieldHashes'> & {
  content: Content;
  fieldHashes: Record<string, string>;
};

const LIST_COLUMNS = [
  'id', 'target_uid', 'target_document_id', 'target_locale', 'action', 'status', 'published', 'by_kind', 'by_id', 'by_name', 'by_email',
  'note', 'notes', 'schema_hash', 'bytes', 'pinned', 'pinned_at', 'pinned_by', 'withheld', 'withheld_reason', 'saved_at',
];

/** A version from its values (Strapi's converters applied: JSON parsed, booleans, dates as ISO). */
function rowOf(v: Record<string, unknown>): VersionRow {
  const by: Actor = { kind: v.byKind as ActorKind, name: String(v.byName ?? v.byKind) };
  if (v.byId !== null && v.byId !== undefined) by.id = Number(v.byId);
  if (v.byEmail) by.email = String(v.byEmail);
  const row: VersionRow = {
    id: Number(v.id),
    targetUid: String(v.targetUid),
    targetDocumentId: String(v.targetDocumentId),
    targetLocale: v.targetLocale ? String(v.targetLocale) : null,
    action: String(v.action),
    status: v.status as VersionRow['status'],
    published: Boolean(v.published),
    by,
    note: (v.note as string | null) ?? null,
    notes: (v.notes as UpdateNote[] | null) ?? null,
    schemaHash: String(v.schemaHash),
    bytes: Number(v.bytes),
    pinned: Boolean(v.pinned),
    pinnedAt: (v.pinnedAt as string | null) ?? null,
    pinnedBy: (v.pinnedBy as string | null) ?? null,
    withheld: Boolean(v.withheld),
    withheldReason: (v.withheldReason as string | null) ?? null,
    savedAt: String(v.savedAt),
  };
  if ('content' in v) row.content = v.content as Content;
  if ('fieldHashes' in v) row.fieldHashes = v.fieldHashes as Record<string, string>;
  return row;
}

export interface DocumentKey {
  uid: string;
  documentId: string;
  locale: string | null;
}

export class HistoryStore {
  private readonly knownSchemas = new Set<string>();

  constructor(private readonly strapi: Core.Strapi) {}

  /** A raw row's values, through the query engine's own column converters. */
  private values(uid: string, raw: Record<string, unknown>): Record<string, unknown> {
    return fromRow(this.strapi.db.metadata.get(uid) as unknown as Meta, raw);
  }

  private version(raw: Record<string, unknown>): VersionRow {
    return rowOf(this.values(VERSION_UID, raw));
  }

  /** The current transaction's connection, or the pool's. */
  private get knex(): Knex {
    return this.strapi.db.connection;
  }

  private versions(trx?: Knex.Transaction) {
    return (trx ?? this.knex)('history_versions');
  }

  private whereDocument(q: Knex.QueryBuilder, key: DocumentKey) {
    return q.where({ target_uid: key.uid, target_document_id: key.documentId, target_locale: key.locale ?? '' });
  }

  async ensureSchema(tx: { trx: Knex.Transaction; onCommit(cb: () => void): void }, uid: string, hash: string, fields: FieldKinds): Promise<void> {
    if (this.knownSchemas.has(hash)) return;
    const now = new Date();
    await tx.trx('history_schemas').insert({ hash, target_uid: uid, fields: JSON.stringify(fields), created_at: now, updated_at: now }).onConflict('hash').ignore();
    // Remembered after the commit only: a rolled-back first version must not leave the hash "known".
    tx.onCommit(() => this.knownSchemas.add(hash));
  }

  async schemaFields(hash: string): Promise<FieldKinds | null> {
    const row = await this.knex('history_schemas').where({ hash }).first('fields');
    return row ? (this.values(SCHEMA_UID, row).fields as FieldKinds) : null;
  }

  async insert(trx: Knex.Transaction, v: NewVersion): Promise<void> {
    const now = new Date();
    await trx('history_versions').insert({
      target_uid: v.targetUid,
      target_document_id: v.targetDocumentId,
      target_locale: v.targetLocale ?? '',
      action: v.action,
      status: v.status,
      published: v.published,
      by_kind: v.by.kind,
      by_id: v.by.id ?? null,
      by_name: v.by.name,
      by_email: v.by.email ?? null,
      note: v.note,
      notes: v.notes ? JSON.stringify(v.notes) : null,
      content: JSON.stringify(v.content),
      field_hashes: JSON.stringify(v.fieldHashes),
      schema_hash: v.schemaHash,
      bytes: v.bytes,
      pinned: false,
      withheld: false,
      saved_at: new Date(v.savedAt),
      created_at: now,
      updated_at: now,
    });
  }

  /** The newest published version of a document locale, with its content. */
  async lastPublished(key: DocumentKey, trx?: Knex.Transaction): Promise<VersionRow | null> {
    const r = await this.whereDocument(this.versions(trx), key).andWhere({ published: true }).orderBy('id', 'desc').first([...LIST_COLUMNS, 'content']);
    return r ? this.version(r) : null;
  }

  /** The newest version's status and field hashes (is a save a change at all?). */
  async newestHashes(key: DocumentKey, trx: Knex.Transaction): Promise<{ status: string; fieldHashes: Record<string, string> } | null> {
    const r = await this.whereDocument(this.versions(trx), key).orderBy('id', 'desc').first(['status', 'field_hashes']);
    if (!r) return null;
    const v = this.values(VERSION_UID, r);
    return { status: String(v.status), fieldHashes: v.fieldHashes as Record<string, string> };
  }

  /** One page of a document locale's versions, newest first, without their content. */
  async list(key: DocumentKey, page: number, pageSize: number): Promise<{ rows: VersionRow[]; total: number }> {
    const [rows, count] = await Promise.all([
      this.whereDocument(this.versions(), key).orderBy('id', 'desc').limit(pageSize).offset((page - 1) * pageSize).select(LIST_COLUMNS),
      this.whereDocument(this.versions(), key).count({ n: '*' }).first(),
    ]);
    return { rows: rows.map((r: Record<string, unknown>) => this.version(r)), total: Number((count as { n: unknown } | undefined)?.n ?? 0) };
  }

  async get(id: number, withContent = true): Promise<VersionRow | null> {
    const r = await this.versions().where({ id }).first(withContent ? [...LIST_COLUMNS, 'content', 'field_hashes'] : LIST_COLUMNS);
    return r ? this.version(r) : null;
  }

  /** The newest version of a document locale, with its content (what the current draft was saved as). */
  async latest(key: DocumentKey): Promise<VersionRow | null> {
    const r = await this.whereDocument(this.versions(), key).orderBy('id', 'desc').first([...LIST_COLUMNS, 'content', 'field_hashes']);
    return r ? this.version(r) : null;
  }

  /** Every version's field hashes, oldest first (blame). */
  async hashes(key: DocumentKey): Promise<VersionRow[]> {
    const rows = await this.whereDocument(this.versions(), key).orderBy('id', 'asc').select([...LIST_COLUMNS, 'field_hashes']);
    return rows.map((r: Record<string, unknown>) => this.version(r));
  }

  /** The published versions of an article locale, oldest first (the public trail), content optional. */
  async publishedVersions(key: DocumentKey, withContent = false): Promise<VersionRow[]> {
    const rows = await this.whereDocument(this.versions(), key)
      .andWhere({ published: true })
      .orderBy('id', 'asc')
      .select(withContent ? [...LIST_COLUMNS, 'content'] : LIST_COLUMNS);
    return rows.map((r: Record<string, unknown>) => this.version(r));
  }

  async setPinned(id: number, pinned: boolean, by: string | null): Promise<void> {
    await this.versions().where({ id }).update({ pinned, pinned_at: pinned ? new Date() : null, pinned_by: pinned ? by : null, updated_at: new Date() });
  }

  async setWithheld(id: number, withheld: boolean, reason: string | null, trx?: Knex.Transaction): Promise<void> {
    await this.versions(trx).where({ id }).update({ withheld, withheld_reason: withheld ? reason : null, updated_at: new Date() });
  }
}

const stores = new WeakMap<Core.Strapi, HistoryStore>();

/** The history store of one Strapi instance. */
export function historyStore(strapi: Core.Strapi): HistoryStore {
  let store = stores.get(strapi);
  if (!store) stores.set(strapi, (store = new HistoryStore(strapi)));
  return store;
}
