/**
 * Sanitizing for the Public role, compiled. Strapi's output sanitizer walks every value through
 * async visitors on each request (about half a millisecond for the story); what it removes for the
 * Public role depends only on the schema and on what that role may read, both fixed while the
 * process runs (bootstrap enforces PUBLIC_ACTIONS). So each model's visible attributes are learned
 * once, by running Strapi's own sanitizer over a probe holding every attribute, and a response is
 * then cut to them synchronously. The read tests check the result equals the sanitizer's.
 */
import type { Core } from '@strapi/strapi';
import { PUBLIC_READER } from './public-reader';
import type { ModelAttribute } from './model-attribute';

type Attribute = ModelAttribute;

interface Shape {
  uid: string;
  /** visible attribute -> the model its value is (relations, media, components), or null for a plain value */
  keep: Map<string, string | null>;
}

const PROBE_VALUES: Record<string, unknown> = {
  string: 'x', text: 'x', richtext: 'x', email: 'x@example.com', password: 'x', uid: 'x', enumeration: undefined,
  integer: 1, biginteger: '1', float: 1, decimal: 1, boolean: true, json: {}, blocks: [],
  date: '2024-01-01', datetime: '2024-01-01T00:00:00.000Z', time: '00:00:00.000', timestamp: '2024-01-01T00:00:00.000Z',
};

const targetOf = (a: Attribute): string | null => {
  if (a.type === 'media') return 'plugin::upload.file';
  if (a.type === 'relation') return a.target ?? null;
  if (a.type === 'component') return a.component ?? null;
  return null;
};

const isMany = (a: Attribute): boolean =>
  a.type === 'media' ? Boolean(a.multiple) : a.type === 'component' ? Boolean(a.repeatable) : Boolean(a.relation?.endsWith('Many'));

function probeOf(attributes: Record<string, Attribute>): Record<string, unknown> {
  const probe: Record<string, unknown> = { id: 1, documentId: 'probe' };
  for (const [name, a] of Object.entries(attributes)) {
    if (a.type === 'dynamiczone') continue;
    const target = targetOf(a);
    if (target) probe[name] = isMany(a) ? [{ id: 1 }] : { id: 1 };
    else probe[name] = a.type === 'enumeration' ? a.enum?.[0] : PROBE_VALUES[a.type] ?? 'x';
  }
  return probe;
}

const shapes = new WeakMap<Core.Strapi, Map<string, Promise<Shape>>>();

/** What of a `uid` value the Public role may see, learned from Strapi's sanitizer once per process. */
function shapeOf(strapi: Core.Strapi, uid: string): Promise<Shape> {
  let byUid = shapes.get(strapi);
  if (!byUid) shapes.set(strapi, (byUid = new Map()));
  let shape = byUid.get(uid);
  if (!shape) {
    shape = (async () => {
      const model = strapi.getModel(uid as never) as unknown as { attributes: Record<string, Attribute> };
      const probe = probeOf(model.attributes);
      const seen = (await strapi.contentAPI.sanitize.output(probe as never, model as never, { auth: PUBLIC_READER as never })) as Record<string, unknown>;
      const keep = new Map<string, string | null>();
      for (const key of Object.keys(seen ?? {})) {
        const a = model.attributes[key];
        keep.set(key, a ? targetOf(a) : null);
      }
      return { uid, keep };
    })();
    byUid.set(uid, shape);
  }
  return shape;
}

/** Every shape reachable from `uid`, resolved, so projecting needs no await. */
async function shapesFrom(strapi: Core.Strapi, uid: string, into = new Map<string, Shape>()): Promise<Map<string, Shape>> {
  if (into.has(uid)) return into;
  const shape = await shapeOf(strapi, uid);
  into.set(uid, shape);
  for (const target of shape.keep.values()) if (target) await shapesFrom(strapi, target, into);
  return into;
}

function project(value: unknown, uid: string, shapes: Map<string, Shape>): unknown {
  if (Array.isArray(value)) return value.map((item) => project(item, uid, shapes));
  if (value === null || typeof value !== 'object') return value;
  const shape = shapes.get(uid) as Shape;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (!shape.keep.has(key)) continue;
    const target = shape.keep.get(key);
    out[key] = target && v !== null && typeof v === 'object' ? project(v, target, shapes) : v;
  }
  return out;
}

type Projector = (value: unknown) => unknown;
const projectors = new WeakMap<Core.Strapi, Map<string, Projector>>();

/** A function that cuts values of `uid` (or arrays of them) to what the Public role may see. */
export async function publicProjection(strapi: Core.Strapi, uid: string): Promise<Projector> {
  let byUid = projectors.get(strapi);
  if (!byUid) projectors.set(strapi, (byUid = new Map()));
  const known = byUid.get(uid);
  if (known) return known;
  const all = await shapesFrom(strapi, uid);
  const projector: Projector = (value) => project(value, uid, all);
  byUid.set(uid, projector);
  return projector;
}

/** The attributes of `uid` the Public role may see (what the projection keeps), as Strapi's sanitizer decided. */
export async function publicFields(strapi: Core.Strapi, uid: string): Promise<string[]> {
  return [...(await shapeOf(strapi, uid)).keep.keys()];
}
