/**
 * Strapi's Editor and Author roles, as the newsroom needs them:
 * - Editor: edits, publishes and unpublishes any article in every locale; manages images and entities.
 * - Author: writes and edits drafts of the articles it created (`admin::is-creator`), in every
 *   locale, and cannot publish; reads images and entities to link them.
 * Strapi creates these roles with rights only for the content types that existed at first boot,
 * and without locale rights for localized types (so neither would see any article). This only
 * adds what is missing: rights an admin grants or narrows in the admin UI are kept.
 */
import type { Core } from '@strapi/strapi';

type Verb = 'create' | 'read' | 'update' | 'delete' | 'publish';

interface Grant {
  subject: string;
  verbs: Verb[];
  /** for rights this creates; existing rights keep their own conditions */
  conditions?: string[];
}

const ALL: Verb[] = ['create', 'read', 'update', 'delete', 'publish'];

export const ROLE_GRANTS: Record<string, Grant[]> = {
  'strapi-editor': [
    { subject: 'api::article.article', verbs: ALL },
    { subject: 'api::image.image', verbs: ALL },
    { subject: 'api::entity.entity', verbs: ALL },
  ],
  'strapi-author': [
    { subject: 'api::article.article', verbs: ['create', 'read', 'update', 'delete'], conditions: ['admin::is-creator'] },
    { subject: 'api::image.image', verbs: ['read'] },
    { subject: 'api::entity.entity', verbs: ['read'] },
  ],
};

interface AdminPermission {
  id: number;
  action: string;
  subject: string | null;
  properties: { fields?: string[]; locales?: string[] } | null;
}

export async function ensureNewsroomRoles(strapi: Core.Strapi): Promise<void> {
  const locales: string[] = (await strapi.plugin('i18n').service('locales').find()).map((l: { code: string }) => l.code);
  for (const [code, grants] of Object.entries(ROLE_GRANTS)) {
    const role = await strapi.db.query('admin::role').findOne({ where: { code } });
    if (role) await grantRights(strapi, role.id, grants, locales);
  }
}

async function grantRights(strapi: Core.Strapi, roleId: number, grants: Grant[], locales: string[]): Promise<void> {
  const permissions: AdminPermission[] = await strapi.db.query('admin::permission').findMany({ where: { role: roleId } });

  for (const { subject, verbs, conditions = [] } of grants) {
    const contentType = strapi.contentTypes[subject as never] as { pluginOptions?: { i18n?: { localized?: boolean } }; options?: { draftAndPublish?: boolean } };
    const localized = Boolean(contentType.pluginOptions?.i18n?.localized);
    const fields = permissions.find((p) => p.subject === subject && p.action.endsWith('.read'))?.properties?.fields;

    for (const verb of verbs) {
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
          .create({ data: { action, actionParameters: {}, subject, properties, conditions, role: roleId } });
      } else if (JSON.stringify(existing.properties ?? {}) !== JSON.stringify(properties)) {
        await strapi.db.query('admin::permission').update({ where: { id: existing.id }, data: { properties } });
      }
    }
  }
}
