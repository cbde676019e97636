/**
 * The history tables, read and written with knex directly (one statement each, inside whatever
 * transaction is current): `history_versions` and `history_schemas`. Rows come back normalised
 * (JSON parsed, booleans and dates as such) whichever database holds them.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { Actor, ActorKind } from '../changes';
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

const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : (v ?? null));
const date = (v: unknown) => (v === null || v === undefined ? null : new Date(typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : (v as string)).toISOString());
const bool = (v: unknown) => v === true || v === 1 || v === '1' || v === 't';

function rowOf(r: Record<string, unknown>): VersionRow {
  const by: Actor = { kind: r.by_kind as ActorKind, name: String(r.by_name ?? r.by_kind) };
  if (r.by_id !== null && r.by_id !== undefined) by.id = Number(r.by_id);
  if (r.by_email) by.email = String(r.by_email);
  const row: VersionRow = {
    id: Number(r.id),
    targetUid: String(r.target_uid),
    targetDocumentId: String(r.target_document_id),
    targetLocale: r.target_locale ? String(r.target_locale) : null,
    action: String(r.action),
    status: r.status as VersionRow['status'],
    published: bool(r.published),
    by,
    note: (r.note as string | null) ?? null,
    notes: json(r.notes),
    schemaHash: String(r.schema_hash),
    bytes: Number(r.bytes),
    pinned: bool(r.pinned),
    pinnedAt: date(r.pinned_at),
    pinnedBy: (r.pinned_by as string | null) ?? null,
    withheld: bool(r.withheld),
    withheldReason: (r.withheld_reason as string | null) ?? null,
    savedAt: date(r.saved_at) as string,
  };
  if ('content' in r) row.content = json(r.content);
  if ('field_hashes' in r) row.fieldHashes = json(r.field_hashes);
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
    return row ? json(row.fields) : null;
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
    return r ? rowOf(r) : null;
  }

  /** The newest version's status and field hashes (is a save a change at all?). */
  async newestHashes(key: DocumentKey, trx: Knex.Transaction): Promise<{ status: string; fieldHashes: Record<string, string> } | null> {
    const r = await this.whereDocument(this.versions(trx), key).orderBy('id', 'desc').first(['status', 'field_hashes']);
    return r ? { status: String(r.status), fieldHashes: json(r.field_hashes) } : null;
  }

  /** One page of a document locale's versions, newest first, without their content. */
  async list(key: DocumentKey, page: number, pageSize: number): Promise<{ rows: VersionRow[]; total: number }> {
    const [rows, count] = await Promise.all([
      this.whereDocument(this.versions(), key).orderBy('id', 'desc').limit(pageSize).offset((page - 1) * pageSize).select(LIST_COLUMNS),
      this.whereDocument(this.versions(), key).count({ n: '*' }).first(),
    ]);
    return { rows: rows.map(rowOf), total: Number((count as { n: unknown } | undefined)?.n ?? 0) };
  }

  async get(id: number, withContent = true): Promise<VersionRow | null> {
    const r = await this.versions().where({ id }).first(withContent ? [...LIST_COLUMNS, 'content', 'field_hashes'] : LIST_COLUMNS);
    return r ? rowOf(r) : null;
  }

  /** The newest version of a document locale, with its content (what the current draft was saved as). */
  async latest(key: DocumentKey): Promise<VersionRow | null> {
    const r = await this.whereDocument(this.versions(), key).orderBy('id', 'desc').first([...LIST_COLUMNS, 'content', 'field_hashes']);
    return r ? rowOf(r) : null;
  }

  /** Every version's field hashes, oldest first (blame). */
  async hashes(key: DocumentKey): Promise<VersionRow[]> {
    const rows = await this.whereDocument(this.versions(), key).orderBy('id', 'asc').select([...LIST_COLUMNS, 'field_hashes']);
    return rows.map(rowOf);
  }

  /** The published versions of an article locale, oldest first (the public trail), content optional. */
  async publishedVersions(key: DocumentKey, withContent = false): Promise<VersionRow[]> {
    const rows = await this.whereDocument(this.versions(), key)
      .andWhere({ published: true })
      .orderBy('id', 'asc')
      .select(withContent ? [...LIST_COLUMNS, 'content'] : LIST_COLUMNS);
    return rows.map(rowOf);
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
