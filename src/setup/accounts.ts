/**
 * Admin-panel accounts from the environment: a Super Admin (ADMIN_EMAIL/ADMIN_PASSWORD) when no
 * admin exists yet, and an Editor (EDITOR_EMAIL/EDITOR_PASSWORD) when that email has no account.
 * Existing accounts are never changed, and passwords are never logged.
 */
import type { Core } from '@strapi/strapi';
import type { Env } from '../env';

const EDITOR_ROLE_CODE = 'strapi-editor';

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

  if (env.EDITOR_EMAIL && env.EDITOR_PASSWORD) {
    const email = env.EDITOR_EMAIL.toLowerCase();
    if (await users.findOneByEmail(email)) return;
    const role = await strapi.service('admin::role').findOne({ code: EDITOR_ROLE_CODE });
    if (!role) throw new Error(`admin role ${EDITOR_ROLE_CODE} is missing`);
    await users.create({
      email,
      firstname: nameFromEmail(email),
      lastname: 'Editor',
      password: env.EDITOR_PASSWORD,
      isActive: true,
      registrationToken: null,
      roles: [role.id],
    });
    strapi.log.info(`[setup] created Editor ${email}`);
  }
}
