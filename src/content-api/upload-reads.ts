/**
 * The upload plugin's public file listing (`GET /api/upload/files`, `/files/:id`) has no query
 * checks of its own: `filters[]=*` or a raw `where` is a 500, `pagination[page]=abc` is ignored.
 * Its read routes get the content types' read guard (content-api/read-query.ts), with a list of
 * the parameters it accepts, since Strapi's strictParams does not cover them.
 */
import type { Core } from '@strapi/strapi';

interface Route {
  method: string;
  config?: { middlewares?: unknown[] } & Record<string, unknown>;
}
interface Router {
  routes: Route[];
}

/** What the file listing understands; anything else (the legacy `where`, `_limit`, …) is a 400. */
const UPLOAD_READ_KEYS = ['filters', 'sort', 'fields', 'populate', 'pagination', '_q', 'start', 'limit'];

export function guardUploadReads(strapi: Core.Strapi): void {
  const routes = strapi.plugin('upload').routes as unknown as Record<string, Router | (() => Router)>;
  const original = routes['content-api'];
  const router = typeof original === 'function' ? original() : original;
  for (const route of router.routes) {
    if (route.method !== 'GET') continue;
    const guard = { name: 'global::read-query', config: { uid: 'plugin::upload.file', allowedKeys: UPLOAD_READ_KEYS } };
    const middlewares = route.config?.middlewares ?? [];
    // Once: the plugin's route objects outlive an app (a second boot in one process, as the tests do).
    if (middlewares.some((m) => (m as { name?: string } | null)?.name === guard.name)) continue;
    route.config = { ...route.config, middlewares: [...middlewares, guard] };
  }
  routes['content-api'] = router;
}
