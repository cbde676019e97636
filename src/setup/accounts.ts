/**
 * Admin-panel accounts from the environment: a Super Admin (ADMIN_EMAIL/ADMIN_PASSWORD) when no
 * admin exists yet, an Editor (EDITOR_EMAIL/EDITOR_PASSWORD) and an Author (AUTHOR_EMAIL/
 * AUTHOR_PASSWORD) when that email has no account.
 * Existing accounts are never changed, and passwords are never logged.
 */
import type { Core } from '@strapi/strapi';
import type { Env } from '../env';

function nameFromEmail(email: string): string {
  const local = email.split('@')[0] ?? email;
  return local.charAt(0).toUpperCase() + local.slice(1);
}

export async function ensureAccounts(strapi: Core.Strapi, env: Env): Promise<void> {
  const users = strapi.service('admin::user');

  if (env.ADMIN_EMAIL && env.ADMIN_PASSWORD && !(await users.exists())) {
    try {
      await users.createFirstAdmin({
        email: env.ADMIN_EMAIL.toLowerCase(),
        firstname: nameFromEmail(env.ADMIN_EMAIL),
        lastname: 'Admin',
        password: env.ADMIN_PASSWORD,
      });
      strapi.log.info(`[setup] created Super Admin ${env.ADMIN_EMAIL}`);
    } catch (error) {
      // Another process booting at the same time created the first admin: that is fine.
      if (!(await users.exists())) throw error;
    }
  }

  await ensureRoleAccount(strapi, env.EDITOR_EMAIL, env.EDITOR_PASSWORD, 'strapi-editor', 'Editor');
  await ensureRoleAccount(strapi, env.AUTHOR_EMAIL, env.AUTHOR_PASSWORD, 'strapi-author', 'Author');
}

/** An account with one of Strapi's default roles, created when that email has none. */
async function ensureRoleAccount(strapi: Core.Strapi, email: string | undefined, password: string | undefined, roleCode: string, title: string) {
  if (!email || !password) return;
  const users = strapi.service('admin::user');
  const address = email.toLowerCase();
  if (await users.findOneByEmail(address)) return;
  const role = await strapi.service('admin::role').findOne({ code: roleCode });
  if (!role) throw new Error(`admin role ${roleCode} is missing`);
  await users.create({
    email: address,
    firstname: nameFromEmail(address),
    lastname: title,
    password,
    isActive: true,
    registrationToken: null,
    roles: [role.id],
  });
  strapi.log.info(`[setup] created ${title} ${address}`);
}
