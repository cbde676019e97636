/**
 * One entity per person, organisation or place: a new name, alias or Wikidata id that another
 * entity already has (case-insensitive) is refused with a 400 naming the field and the entity
 * that has it, so editors link the existing one instead of creating a twin. Each write also
 * sets `label`, the name followed by the aliases, which the admin's relation pickers show and
 * search, so an entity is found by any of its names.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

const ENTITY = 'api::entity.entity';

interface EntityRow {
  documentId: string;
  name: string;
  slug: string;
  aliases: unknown;
  wikidataId: string | null;
}

const names = (aliases: unknown): string[] => (Array.isArray(aliases) ? aliases.filter((a): a is string => typeof a === 'string') : []);
const fold = (s: string) => s.trim().toLocaleLowerCase('en');

/** "Antony Blinken (Blinken, Tony Blinken)": what pickers show and search. */
export function entityLabel(name: string, aliases: unknown): string {
  const others = names(aliases);
  return (others.length ? `${name} (${others.join(', ')})` : name).slice(0, 1000);
}

function taken(field: 'name' | 'aliases' | 'wikidataId', value: string, owner: EntityRow): never {
  const message = `${JSON.stringify(value)} is already the entity ${owner.name} (${owner.slug}): link that one instead`;
  throw new errors.ValidationError(`${field} ${message}`, {
    errors: [{ path: [field], message, name: 'ValidationError' }],
    existing: { documentId: owner.documentId, name: owner.name, slug: owner.slug },
  });
}

export async function checkEntityIdentity(strapi: Core.Strapi, data: Record<string, unknown> | undefined, documentId?: string): Promise<void> {
  if (!data) return;
  delete data.label; // derived, never taken from the client
  const touches = 'name' in data || 'aliases' in data || 'wikidataId' in data;
  if (!touches) return;
  const query = strapi.db.query(ENTITY);
  const stored: EntityRow | null = documentId ? await query.findOne({ where: { documentId } }) : null;
  const name = typeof data.name === 'string' ? data.name : (stored?.name ?? '');
  const aliases = 'aliases' in data ? data.aliases : stored?.aliases;
  const wikidataId = 'wikidataId' in data ? (data.wikidataId as string | null) : (stored?.wikidataId ?? null);

  const others: EntityRow[] = (await query.findMany({ select: ['documentId', 'name', 'slug', 'aliases', 'wikidataId'] })).filter(
    (e: EntityRow) => e.documentId !== documentId,
  );
  const owners = new Map<string, EntityRow>();
  for (const e of others) for (const n of [e.name, ...names(e.aliases)]) owners.set(fold(n), e);

  const nameOwner = name ? owners.get(fold(name)) : undefined;
  if (nameOwner) taken('name', name, nameOwner);
  for (const alias of names(aliases)) {
    const owner = owners.get(fold(alias));
    if (owner) taken('aliases', alias, owner);
  }
  if (wikidataId) {
    const owner = others.find((e) => e.wikidataId && fold(e.wikidataId) === fold(wikidataId));
    if (owner) taken('wikidataId', wikidataId, owner);
  }
  if (name) data.label = entityLabel(name, aliases);
}
