/**
 * A document as an editor sees it, as a version stores it: every field of the content type except
 * Strapi's bookkeeping, components as plain objects, relations as `{ documentId, label }`, media
 * as `{ id, name, url }`. With it the schema it was read under, reduced to field name -> kind, so
 * a version saved before a field was added or removed still opens (see `compareSchemas`).
 */
import { createHash } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { hasDrafts, type ModelAttribute } from '../content-api/model-attribute';

export type Content = Record<string, unknown>;
/** field name -> kind: `string`, `blocks`, `component:story.section[]`, `relation:api::entity.entity[]`, `media` ... */
export type FieldKinds = Record<string, string>;

type Attribute = ModelAttribute;

const BOOKKEEPING = new Set(['id', 'documentId', 'createdAt', 'updatedAt', 'publishedAt', 'createdBy', 'updatedBy', 'locale', 'localizations']);
/** A stored relation or media value: `{ documentId, label }` of a document, `{ id, name, url }` of a file. */
export interface Linked {
  documentId?: string;
  id?: number;
  label?: string;
  name?: string;
}

/** A to-one or to-many value as a list (none for null). */
export const asList = (v: unknown): Linked[] => (Array.isArray(v) ? v : v ? [v] : []) as Linked[];

/** Fields the app keeps itself; a version shows them, a restore leaves them alone. */
export const NOT_RESTORED = new Set(['firstPublishedAt']);
const LABEL_FIELDS = ['title', 'name', 'caption', 'altText', 'slug'];

const attributesOf = (strapi: Core.Strapi, uid: string) =>
  (strapi.getModel(uid as never) as unknown as { attributes: Record<string, Attribute> }).attributes;

const isToMany = (a: Attribute) => Boolean(a.relation?.endsWith('Many')) && a.relation !== 'manyToOne';

function kindOf(a: Attribute): string | null {
  switch (a.type) {
    case 'component':
      return `component:${a.component}${a.repeatable ? '[]' : ''}`;
    case 'relation':
      return a.target ? `relation:${a.target}${isToMany(a) ? '[]' : ''}` : null;
    case 'media':
      return `media${a.multiple ? '[]' : ''}`;
    case 'dynamiczone':
    case 'password':
      return null;
    default:
      return a.type;
  }
}

/** The fields a version of `uid` keeps, and how each is kept. */
export function fieldKinds(strapi: Core.Strapi, uid: string): FieldKinds {
  const kinds: FieldKinds = {};
  for (const [name, a] of Object.entries(attributesOf(strapi, uid))) {
    if (BOOKKEEPING.has(name)) continue;
    const kind = kindOf(a);
    if (kind) kinds[name] = kind;
  }
  return kinds;
}

export const schemaHash = (uid: string, kinds: FieldKinds) =>
  createHash('sha256').update(JSON.stringify([uid, Object.entries(kinds).sort()])).digest('hex').slice(0, 32);

/** The label a relation shows: the target's title, name or caption. */
export const labelFieldOf = (strapi: Core.Strapi, target: string): string => {
  const attributes = attributesOf(strapi, target);
  return LABEL_FIELDS.find((f) => f in attributes) ?? 'documentId';
};

function populateOf(strapi: Core.Strapi, uid: string): Record<string, unknown> {
  const populate: Record<string, unknown> = {};
  for (const [name, a] of Object.entries(attributesOf(strapi, uid))) {
    if (BOOKKEEPING.has(name)) continue;
    if (a.type === 'component') populate[name] = true;
    else if (a.type === 'media') populate[name] = { select: ['id', 'name', 'url'] };
    else if (a.type === 'relation' && a.target) populate[name] = { select: ['documentId', labelFieldOf(strapi, a.target)] };
  }
  return populate;
}

function componentValue(strapi: Core.Strapi, component: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object') return null;
  const attributes = attributesOf(strapi, component);
  const out: Content = {};
  for (const name of Object.keys(attributes)) out[name] = (value as Content)[name] ?? null;
  return out;
}

function fieldValue(strapi: Core.Strapi, a: Attribute, value: unknown): unknown {
  switch (a.type) {
    case 'component':
      return a.repeatable
        ? (Array.isArray(value) ? value : []).map((c) => componentValue(strapi, a.component as string, c))
        : componentValue(strapi, a.component as string, value);
    case 'relation': {
      const label = labelFieldOf(strapi, a.target as string);
      const one = (r: Content) => ({ documentId: r.documentId, label: r[label] ?? r.documentId });
      return isToMany(a) ? (Array.isArray(value) ? value : []).map(one) : value ? one(value as Content) : null;
    }
    case 'media': {
      const one = (f: Content) => ({ id: f.id, name: f.name, url: f.url });
      return a.multiple ? (Array.isArray(value) ? value : []).map(one) : value ? one(value as Content) : null;
    }
    default:
      return value ?? null;
  }
}

/**
 * The draft (or, for types without drafts, the only row) of a document in one locale, as a
 * version keeps it; null when the document has no such row. The query engine has already turned
 * the columns into values (dates as ISO strings, booleans, JSON).
 */
export async function snapshot(strapi: Core.Strapi, uid: string, documentId: string, locale: string | null): Promise<Content | null> {
  const where: Content = { documentId };
  if (locale !== null) where.locale = locale;
  if (hasDrafts(strapi, uid)) where.publishedAt = null;
  const row = (await strapi.db.query(uid as never).findOne({ where, populate: populateOf(strapi, uid) } as never)) as Content | null;
  if (!row) return null;
  const content: Content = {};
  for (const [name, a] of Object.entries(attributesOf(strapi, uid))) {
    if (BOOKKEEPING.has(name) || !kindOf(a)) continue;
    content[name] = fieldValue(strapi, a, row[name]);
  }
  return content;
}

const hash = (value: unknown) => createHash('sha256').update(JSON.stringify(value ?? null)).digest('base64url').slice(0, 16);

/**
 * A short hash of each field's value, and of each element of a repeatable component
 * (`sections.0`, `sections.1`...), so blame reads hashes rather than whole versions.
 */
export function fieldHashes(content: Content, kinds: FieldKinds): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const name of Object.keys(content)) {
    const value = content[name];
    hashes[name] = hash(value);
    if (kinds[name]?.startsWith('component:') && kinds[name].endsWith('[]') && Array.isArray(value)) {
      value.forEach((item, i) => (hashes[`${name}.${i}`] = hash(item)));
    }
  }
  return hashes;
}

/** How a version's schema differs from the current one. */
export function compareSchemas(saved: FieldKinds, current: FieldKinds): { missing: string[]; unknown: string[]; changedKind: string[] } {
  return {
    /** fields the type has now that the version was saved without */
    missing: Object.keys(current).filter((f) => !Object.hasOwn(saved, f)),
    /** fields the version has that the type no longer has */
    unknown: Object.keys(saved).filter((f) => !Object.hasOwn(current, f)),
    changedKind: Object.keys(saved).filter((f) => Object.hasOwn(current, f) && saved[f] !== current[f]),
  };
}
