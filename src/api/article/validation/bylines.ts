/**
 * A byline names people or an organisation (an agency, "Staff"): the entities an article's
 * `authors` relation connects must be of kind person or organization. Relation input comes in
 * Strapi's shapes (a list, or `connect`/`set`, of documentIds, ids or `{ documentId }`/`{ id }`);
 * each entity connected is looked up once. A 400 names the first that is not a person or an
 * organisation.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

export const BYLINE_KINDS = ['person', 'organization'] as const;

type Ref = { documentId: string } | { id: number };

function refOf(value: unknown): Ref | null {
  if (typeof value === 'string' && value !== '') return /^\d+$/.test(value) ? { id: Number(value) } : { documentId: value };
  if (typeof value === 'number' && Number.isInteger(value)) return { id: value };
  if (value && typeof value === 'object') {
    const v = value as { documentId?: unknown; id?: unknown };
    if (typeof v.documentId === 'string') return { documentId: v.documentId };
    if (typeof v.id === 'number' || typeof v.id === 'string') return refOf(v.id);
  }
  return null;
}

/** The entities a relation input connects, as given. */
export function connectedRefs(input: unknown): Ref[] {
  if (input === null || input === undefined) return [];
  const list = Array.isArray(input) ? input : [...asList((input as { connect?: unknown }).connect), ...asList((input as { set?: unknown }).set)];
  return list.map(refOf).filter((r): r is Ref => r !== null);
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);

export async function checkBylines(strapi: Core.Strapi, data: Record<string, unknown> | undefined): Promise<void> {
  if (!data || !('authors' in data)) return;
  const refs = connectedRefs(data.authors);
  if (refs.length === 0) return;
  const documentIds = refs.filter((r): r is { documentId: string } => 'documentId' in r).map((r) => r.documentId);
  const ids = refs.filter((r): r is { id: number } => 'id' in r).map((r) => r.id);
  const found: Array<{ id: number; documentId: string; name: string; kind: string }> = await strapi.db.query('api::entity.entity').findMany({
    where: { $or: [{ documentId: { $in: documentIds } }, { id: { $in: ids } }] },
    select: ['id', 'documentId', 'name', 'kind'],
  });
  refs.forEach((ref, i) => {
    const entity = found.find((e) => ('id' in ref ? e.id === ref.id : e.documentId === ref.documentId));
    // An entity that does not exist is Strapi's own relation error.
    if (entity && !(BYLINE_KINDS as readonly string[]).includes(entity.kind)) {
      const message = `must be a person or an organization; ${entity.name} is a ${entity.kind}`;
      throw new errors.ValidationError(`authors[${i}] ${message}`, { errors: [{ path: ['authors', String(i)], message, name: 'ValidationError' }] });
    }
  });
}
