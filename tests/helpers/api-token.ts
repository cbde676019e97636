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

/** A custom API token holding exactly `permissions` (content-API actions such as `api::ingest.ingest.create`). */
export async function createCustomToken(strapi: Core.Strapi, permissions: string[]): Promise<string> {
  const token = await strapi.service('admin::api-token').create({
    name: `test-custom-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    type: 'custom',
    lifespan: null,
    permissions,
  });
  return token.accessKey as string;
}
