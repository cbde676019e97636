/**
 * What the Public role (no token) may do: read published articles, images, entities and uploaded
 * files, and nothing else. Bootstrap reconciles the role to exactly this list, so a permission
 * ticked by mistake in the admin does not survive a restart.
 */
import type { Core } from '@strapi/strapi';

export const PUBLIC_ACTIONS = [
  'api::article.article.find',
  'api::article.article.findOne',
  'api::image.image.find',
  'api::image.image.findOne',
  'api::entity.entity.find',
  'api::entity.entity.findOne',
  'plugin::upload.content-api.find',
  'plugin::upload.content-api.findOne',
] as const;

const PERMISSION = 'plugin::users-permissions.permission';
const ROLE = 'plugin::users-permissions.role';

export async function reconcilePublicAccess(strapi: Core.Strapi): Promise<void> {
  const role = await strapi.db.query(ROLE).findOne({ where: { type: 'public' } });
  if (!role) throw new Error('users-permissions Public role is missing');

  const granted: Array<{ id: number; action: string }> = await strapi.db
    .query(PERMISSION)
    .findMany({ where: { role: role.id }, select: ['id', 'action'] });
  const wanted = new Set<string>(PUBLIC_ACTIONS);

  const extra = granted.filter((p) => !wanted.has(p.action));
  if (extra.length > 0) {
    await strapi.db.query(PERMISSION).deleteMany({ where: { id: { $in: extra.map((p) => p.id) } } });
    strapi.log.info(`[setup] revoked from Public: ${extra.map((p) => p.action).join(', ')}`);
  }

  const have = new Set(granted.map((p) => p.action));
  for (const action of PUBLIC_ACTIONS) {
    if (have.has(action)) continue;
    await strapi.db.query(PERMISSION).create({ data: { action, role: role.id } });
  }
}
