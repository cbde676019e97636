/**
 * Strapi's Editor role, as the newsroom needs it: edit and publish articles in every locale, and
 * manage images and entities. Strapi creates the role without locale rights for content types that
 * are localized, so an Editor would otherwise see no article at all. Only adds what is missing:
 * rights an admin grants or narrows in the admin UI beyond this are kept.
 */
import type { Core } from '@strapi/strapi';

const EDITOR_ROLE_CODE = 'strapi-editor';
const SUBJECTS = ['api::article.article', 'api::image.image', 'api::entity.entity'] as const;
const ACTIONS = ['create', 'read', 'update', 'delete', 'publish'] as const;

interface AdminPermission {
  id: number;
  action: string;
  subject: string | null;
  properties: { fields?: string[]; locales?: string[] } | null;
}

export async function ensureEditorRights(strapi: Core.Strapi): Promise<void> {
  const role = await strapi.db.query('admin::role').findOne({ where: { code: EDITOR_ROLE_CODE } });
  if (!role) return;
  const locales: string[] = (await strapi.plugin('i18n').service('locales').find()).map((l: { code: string }) => l.code);
  const permissions: AdminPermission[] = await strapi.db.query('admin::permission').findMany({ where: { role: role.id } });

  for (const subject of SUBJECTS) {
    const contentType = strapi.contentTypes[subject];
    const localized = Boolean((contentType.pluginOptions?.i18n as { localized?: boolean } | undefined)?.localized);
    const fields = permissions.find((p) => p.subject === subject && p.action.endsWith('.read'))?.properties?.fields;

    for (const verb of ACTIONS) {
      if (verb === 'publish' && !contentType.options?.draftAndPublish) continue;
      const action = `plugin::content-manager.explorer.${verb}`;
      const existing = permissions.find((p) => p.subject === subject && p.action === action);
      const withFields = verb === 'create' || verb === 'read' || verb === 'update';
      const properties = {
        ...(existing?.properties ?? (withFields && fields ? { fields } : {})),
        ...(localized ? { locales: [...new Set([...(existing?.properties?.locales ?? []), ...locales])] } : {}),
      };
      if (!existing) {
        await strapi.db
          .query('admin::permission')
          .create({ data: { action, actionParameters: {}, subject, properties, conditions: [], role: role.id } });
      } else if (JSON.stringify(existing.properties ?? {}) !== JSON.stringify(properties)) {
        await strapi.db.query('admin::permission').update({ where: { id: existing.id }, data: { properties } });
      }
    }
  }
}
