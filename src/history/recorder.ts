/**
 * The history consumer of the change feed: for every write of an article locale, an entity or an
 * image (draft saves included, whoever made it) it stores the document as it stands after the
 * write, in the write's own transaction: a write that rolls back leaves no version. A save that
 * changed nothing the editor sees is not recorded.
 */
import type { Core } from '@strapi/strapi';
import type { DocumentWrite, WriteSubscriber } from '../changes';
import { fieldHashes, fieldKinds, schemaHash, snapshot, type Content } from './snapshot';
import type { HistoryStore, UpdateNote } from './store';

const noteKey = (n: UpdateNote) => JSON.stringify([n.kind, n.at, n.note]);

/** The update and correction entries of `content` that `before` did not have. */
export function addedNotes(content: Content, before: Content | undefined): UpdateNote[] {
  const now = Array.isArray(content.updates) ? (content.updates as UpdateNote[]) : [];
  const had = new Set((Array.isArray(before?.updates) ? (before?.updates as UpdateNote[]) : []).map(noteKey));
  return now.filter((n) => n && !had.has(noteKey(n))).map((n) => ({ kind: n.kind, at: n.at ?? null, note: n.note }));
}

const sameHashes = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length && Object.keys(a).every((k) => a[k] === b[k]);

const isPublic = (write: DocumentWrite, locale: string | null) =>
  write.changes.some((c) => c.documentId === write.documentId && (c.locale ?? null) === locale && (c.action === 'publish' || c.action === 'update-published'));

export function historyRecorder(strapi: Core.Strapi, store: HistoryStore): WriteSubscriber {
  return async (write, tx) => {
    if (write.action === 'delete') return;
    const uid = write.contentType;
    const kinds = fieldKinds(strapi, uid);
    const hash = schemaHash(uid, kinds);
    const savedAt = new Date().toISOString();
    for (const locale of write.locales) {
      const content = await snapshot(strapi, uid, write.documentId, locale);
      if (!content) continue;
      await store.ensureSchema(tx, uid, hash, kinds);
      const published = isPublic(write, locale);
      const status = published ? 'published' : write.live.includes(locale) ? 'modified' : 'draft';
      const key = { uid, documentId: write.documentId, locale };
      const hashes = fieldHashes(content, kinds);
      // A save that changed nothing (the admin's publish saves the form first) is not a version.
      if (write.action === 'update' && !write.note) {
        const newest = await store.newestHashes(key, tx.trx);
        if (newest && newest.status === status && sameHashes(newest.fieldHashes, hashes)) continue;
      }
      const notes = published && 'updates' in content ? addedNotes(content, (await store.lastPublished(key, tx.trx))?.content) : null;
      const json = JSON.stringify(content);
      await store.insert(tx.trx, {
        targetUid: uid,
        targetDocumentId: write.documentId,
        targetLocale: locale,
        action: write.action,
        status,
        published,
        by: write.by,
        note: write.note ?? null,
        notes,
        content,
        fieldHashes: hashes,
        schemaHash: hash,
        bytes: Buffer.byteLength(json),
        savedAt,
      });
    }
  };
}
