import type { Core } from '@strapi/strapi';

/** Creates an admin-issued API token, as a build pipeline or preview would hold. */
export async function createApiToken(strapi: Core.Strapi, type: 'read-only' | 'full-access' = 'full-access'): Promise<string> {
  const token = await strapi.service('admin::api-token').create({
    name: `test-${type}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    type,
    lifespan: null,
  });
  return token.accessKey as string;
}
