/**
 * Entities stored before `label` existed get theirs (the name followed by the aliases, which the
 * admin's relation pickers show and search). Writes keep it current afterwards.
 */
import type { Core } from '@strapi/strapi';
import { entityLabel } from '../api/entity/validation/entity-identity';

export async function ensureEntityLabels(strapi: Core.Strapi): Promise<void> {
  const query = strapi.db.query('api::entity.entity');
  const missing: { id: number; name: string; aliases: unknown }[] = await query.findMany({ where: { label: null }, select: ['id', 'name', 'aliases'] });
  for (const e of missing) await query.update({ where: { id: e.id }, data: { label: entityLabel(e.name, e.aliases) } });
}
