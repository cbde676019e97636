/**
 * Rebuild targets and the delivery log are for admins only, and the distribution's internal types
 * (slug history, sitemap months) and the version history's tables for no one: their change-feed consumers keep them. Strapi gives
 * its default Editor and Author roles every content type that exists at first boot, so those
 * rights are taken back at every boot (a right ticked later by mistake does not survive a restart
 * either).
 */
import type { Core } from '@strapi/strapi';
import { DISTRIBUTION_UIDS } from '../distribution';
import { HISTORY_UIDS } from '../history/store';
import { REBUILD_UIDS } from '../rebuild/targets';

const NON_ADMIN_ROLES = ['strapi-editor', 'strapi-author'];

export async function revokeAdminOnlyTypes(strapi: Core.Strapi): Promise<void> {
  const roles: { id: number }[] = await strapi.db.query('admin::role').findMany({ where: { code: { $in: NON_ADMIN_ROLES } }, select: ['id'] });
  if (roles.length === 0) return;
  await strapi.db.query('admin::permission').deleteMany({
    where: { role: { id: { $in: roles.map((r) => r.id) } }, subject: { $in: [...REBUILD_UIDS, ...DISTRIBUTION_UIDS, ...HISTORY_UIDS] } },
  });
}
