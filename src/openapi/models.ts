/**
 * JSON Schemas (2020-12, as OpenAPI 3.1 takes them) of what the public API answers for each
 * model, made from the models themselves: every attribute the Public role may read (learned from
 * Strapi's own sanitizer, content-api/public-projection.ts), with its type, enum, length and
 * nullability; relations, media and components as `$ref`s to their own schema (present only when
 * populated); the system fields. Schemas close their objects (`additionalProperties: false`), so
 * a field that should not be public fails the contract tests.
 */
import type { Core } from '@strapi/strapi';
import { publicFields } from '../content-api/public-projection';
import type { ModelAttribute } from '../content-api/model-attribute';

export type JsonSchema = Record<string, unknown>;

type Attribute = ModelAttribute;

/** The schema name of a model: `api::article.article` -> `Article`, `story.section` -> `StorySection`. */
export function schemaName(uid: string): string {
  const words = uid.includes('::') ? uid.split('::')[1].split('.').slice(-1)[0].split('-') : uid.split(/[.-]/);
  const name = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return uid.startsWith('plugin::upload.') ? `Upload${name}` : name;
}

export const ref = (uid: string): JsonSchema => ({ $ref: `#/components/schemas/${schemaName(uid)}` });
const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });
const orNull = (type: string, extra: JsonSchema = {}): JsonSchema => ({ type: [type, 'null'], ...extra });

const isToMany = (a: Attribute) => Boolean(a.relation?.endsWith('Many')) && a.relation !== 'manyToOne';

/** A relation's `populate[x][count]=true` answer. */
const COUNT = { type: 'object', properties: { count: { type: 'integer' } }, required: ['count'], additionalProperties: false };

function attributeSchema(a: Attribute): JsonSchema | null {
  const lengths = { ...(a.maxLength ? { maxLength: a.maxLength } : {}), ...(a.minLength ? { minLength: a.minLength } : {}) };
  switch (a.type) {
    case 'string':
    case 'text':
    case 'richtext':
    case 'uid':
      return orNull('string', lengths);
    case 'email':
      return orNull('string', { format: 'email' });
    case 'enumeration':
      return { enum: [...(a.enum ?? []), null] };
    case 'integer':
      return orNull('integer');
    case 'biginteger':
      return orNull('string', { pattern: '^-?\\d+$' });
    case 'float':
    case 'decimal':
      return orNull('number');
    case 'boolean':
      return orNull('boolean');
    case 'date':
      return orNull('string', { format: 'date' });
    case 'datetime':
    case 'timestamp':
      return orNull('string', { format: 'date-time' });
    case 'time':
      return orNull('string');
    case 'json':
      return {};
    case 'blocks':
      return orNull('array', { items: { type: 'object' } });
    case 'media':
      return a.multiple ? orNull('array', { items: ref('plugin::upload.file') }) : nullable(ref('plugin::upload.file'));
    case 'component':
      return a.repeatable ? { type: 'array', items: ref(a.component as string) } : nullable(ref(a.component as string));
    case 'relation':
      if (!a.target) return null;
      return isToMany(a) ? { anyOf: [{ type: 'array', items: ref(a.target) }, COUNT] } : { anyOf: [ref(a.target), { type: 'null' }, COUNT] };
    default:
      return null;
  }
}

interface Model {
  uid: string;
  modelType?: string;
  info?: { displayName?: string; description?: string };
  options?: { draftAndPublish?: boolean };
  pluginOptions?: { i18n?: { localized?: boolean } };
  attributes: Record<string, Attribute>;
}

const SYSTEM: Record<string, JsonSchema> = {
  id: { type: 'integer' },
  documentId: { type: 'string' },
  createdAt: { type: 'string', format: 'date-time' },
  updatedAt: { type: 'string', format: 'date-time' },
  publishedAt: orNull('string', { format: 'date-time' }),
  locale: orNull('string'),
};

/** Fields a plugin adds to its answers beyond its model's attributes. */
const ADDED: Record<string, Record<string, JsonSchema>> = {
  // The upload plugin says whether a file's URL is signed (private buckets).
  'plugin::upload.file': {
    isUrlSigned: { type: 'boolean' },
    related: { type: 'array', items: { type: 'object' }, description: 'The documents using the file (with populate)' },
  },
  // With PUBLIC_REVISIONS, each entry of the public log names the revision that carried it.
  'story.update': { revision: { type: ['integer', 'null'] } },
};

/** The schema of one model's public answer, and the models it refers to. */
export async function modelSchema(strapi: Core.Strapi, uid: string): Promise<{ schema: JsonSchema; refers: string[] }> {
  const model = strapi.getModel(uid as never) as unknown as Model;
  const visible = new Set(await publicFields(strapi, uid));
  const properties: Record<string, JsonSchema> = {};
  const refers = new Set<string>();
  const isComponent = model.modelType === 'component';
  for (const [name, schema] of Object.entries(SYSTEM)) {
    if (name === 'id' || (!isComponent && visible.has(name))) properties[name] = schema;
  }
  for (const [name, a] of Object.entries(model.attributes)) {
    if (!visible.has(name) || name in SYSTEM) continue;
    const schema = attributeSchema(a);
    if (!schema) continue;
    properties[name] = a.description ? { ...schema, description: a.description } : schema;
    const target = a.type === 'media' ? 'plugin::upload.file' : a.type === 'component' ? a.component : a.type === 'relation' ? a.target : undefined;
    if (target) refers.add(target);
  }
  Object.assign(properties, ADDED[uid] ?? {});
  if (!isComponent && model.pluginOptions?.i18n?.localized) {
    properties.localizations = { anyOf: [{ type: 'array', items: ref(uid) }, COUNT] };
  }
  return {
    schema: {
      type: 'object',
      ...(model.info?.description ? { description: model.info.description } : {}),
      properties,
      required: isComponent ? [] : ['id', 'documentId'],
      additionalProperties: false,
    },
    refers: [...refers],
  };
}

/** Schemas of `roots` and of every model they refer to, by schema name. */
export async function modelSchemas(strapi: Core.Strapi, roots: string[]): Promise<Record<string, JsonSchema>> {
  const out: Record<string, JsonSchema> = {};
  const seen = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const uid = queue.shift() as string;
    if (seen.has(uid)) continue;
    seen.add(uid);
    const { schema, refers } = await modelSchema(strapi, uid);
    out[schemaName(uid)] = schema;
    queue.push(...refers);
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}
