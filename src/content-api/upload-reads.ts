/**
 * The upload plugin's public file listing (`GET /api/upload/files`, `/files/:id`) has no query
 * checks of its own: `filters[]=*` is a 500 and `pagination[page]=abc` is ignored. Its read routes
 * get the same read guard as the content types' (content-api/read-query.ts).
 */
import type { Core } from '@strapi/strapi';

interface Route {
  method: string;
  config?: { middlewares?: unknown[] } & Record<string, unknown>;
}
interface Router {
  routes: Route[];
}

export function guardUploadReads(strapi: Core.Strapi): void {
  const routes = strapi.plugin('upload').routes as unknown as Record<string, Router | (() => Router)>;
  const original = routes['content-api'];
  const router = typeof original === 'function' ? original() : original;
  for (const route of router.routes) {
    if (route.method !== 'GET') continue;
    route.config = { ...route.config, middlewares: [...(route.config?.middlewares ?? []), 'global::read-query'] };
  }
  routes['content-api'] = router;
}
