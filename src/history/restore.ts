/**
 * Restoring a version: its content (or only some fields) written as a new draft save through the
 * Document Service, so the restore is itself recorded, validated and guarded like any save;
 * history is never rewritten and the published version stays as it is until someone publishes.
 * What cannot come back is named, not dropped silently: relations to documents deleted since,
 * files deleted since, and fields the type no longer has.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { writingAs, type Actor } from '../changes';
import { asList, compareSchemas, fieldKinds, NOT_RESTORED, type Content, type FieldKinds } from './snapshot';
import type { VersionRow } from './store';

export interface Dropped {
  field: string;
  /** what went missing: a related document's id and label, or a file's */
  documentId?: string;
  fileId?: number;
  label: string;
  reason: 'deleted since' | 'field no longer exists';
}

export interface RestoreResult {
  restored: string[];
  dropped: Dropped[];
  /** fields the type has now that the version was saved without: left as they are */
  missing: string[];
}


async function existingDocuments(strapi: Core.Strapi, target: string, documentIds: string[]): Promise<Set<string>> {
  if (documentIds.length === 0) return new Set();
  const rows: { documentId: string }[] = await strapi.db.query(target as never).findMany({ where: { documentId: { $in: documentIds } }, select: ['documentId'] } as never);
  return new Set(rows.map((r) => r.documentId));
}

async function existingFiles(strapi: Core.Strapi, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows: { id: number }[] = await strapi.db.query('plugin::upload.file').findMany({ where: { id: { $in: ids } }, select: ['id'] });
  return new Set(rows.map((r) => Number(r.id)));
}

/** The Document Service data that brings `fields` of the version back, and what cannot come back. */
export async function restoreData(
  strapi: Core.Strapi,
  version: VersionRow,
  savedKinds: FieldKinds,
  fields: string[] | undefined,
): Promise<{ data: Content; result: RestoreResult }> {
  const current = fieldKinds(strapi, version.targetUid);
  const content = version.content ?? {};
  const { missing, unknown } = compareSchemas(savedKinds, current);
  const asked = fields ?? Object.keys(content).filter((f) => !NOT_RESTORED.has(f));
  const bad = asked.filter((f) => !Object.hasOwn(savedKinds, f) && !Object.hasOwn(current, f));
  if (bad.length > 0) throw new errors.ValidationError(`no such field: ${bad.join(', ')}`, { errors: bad.map((f) => ({ path: ['fields', f], message: 'is not a field of this content type' })) });
  const notRestorable = asked.filter((f) => NOT_RESTORED.has(f));
  if (notRestorable.length > 0) throw new errors.ValidationError(`${notRestorable.join(', ')} is kept by the system and cannot be restored`, { errors: notRestorable.map((f) => ({ path: ['fields', f], message: 'cannot be restored' })) });
  const notInVersion = asked.filter((f) => !Object.hasOwn(content, f) && Object.hasOwn(current, f));
  if (fields && notInVersion.length > 0) {
    throw new errors.ValidationError(`this version was saved without ${notInVersion.join(', ')}`, { errors: notInVersion.map((f) => ({ path: ['fields', f], message: 'the version has no value for this field' })) });
  }

  const data: Content = {};
  const dropped: Dropped[] = [];
  const restored: string[] = [];
  for (const field of asked) {
    if (!Object.hasOwn(current, field)) {
      if (unknown.includes(field)) dropped.push({ field, label: field, reason: 'field no longer exists' });
      continue;
    }
    if (!Object.hasOwn(content, field)) continue;
    const kind = current[field];
    const value = content[field];
    if (kind.startsWith('relation:')) {
      const target = kind.slice('relation:'.length).replace(/\[\]$/, '');
      const many = kind.endsWith('[]');
      const items = asList(value).filter((l) => l.documentId);
      const alive = await existingDocuments(strapi, target, items.map((l) => l.documentId as string));
      for (const l of items) if (!alive.has(l.documentId as string)) dropped.push({ field, documentId: l.documentId, label: String(l.label ?? l.documentId), reason: 'deleted since' });
      const kept = items.filter((l) => alive.has(l.documentId as string)).map((l) => l.documentId as string);
      data[field] = many ? kept : (kept[0] ?? null);
    } else if (kind.startsWith('media')) {
      const items = asList(value).filter((f) => typeof f.id === 'number');
      const alive = await existingFiles(strapi, items.map((f) => f.id as number));
      for (const f of items) if (!alive.has(f.id as number)) dropped.push({ field, fileId: f.id, label: String(f.name ?? f.id), reason: 'deleted since' });
      const kept = items.filter((f) => alive.has(f.id as number)).map((f) => f.id as number);
      data[field] = kind.endsWith('[]') ? kept : (kept[0] ?? null);
    } else {
      data[field] = value;
    }
    restored.push(field);
  }
  return { data, result: { restored, dropped, missing: fields ? [] : missing } };
}

/** Writes the data as a draft save of the version's document locale, recorded as a restore by `actor`. */
export async function writeRestore(strapi: Core.Strapi, version: VersionRow, data: Content, actor: Actor, fields: string[] | undefined): Promise<void> {
  const note = `Restored ${fields ? fields.join(', ') + ' from ' : ''}version ${version.id}`;
  // As the content manager's own save does: the admin who restored is who saved last.
  const by = actor.kind === 'admin' && actor.id ? { updatedBy: actor.id } : {};
  await writingAs({ actor, note }, () =>
    strapi.documents(version.targetUid as never).update({
      documentId: version.targetDocumentId,
      ...(version.targetLocale ? { locale: version.targetLocale } : {}),
      data: { ...data, ...by },
    } as never),
  );
}
