/**
 * Rebuild webhooks that never lose a publish. A consumer of the change feed:
 *   outbox.ts      stores each change in the write's transaction
 *   dispatcher.ts  routes changes to targets (coalesced), sends, retries, records every attempt
 *   targets.ts     targets from the admin panel or REBUILD_WEBHOOK_URLS, encrypted at rest
 *   kinds/         standard (signed), build-hook, github-dispatch
 *   payload.ts     the zod schema and type of what receivers get
 */
import type { Core } from '@strapi/strapi';
import { changeFeed } from '../changes';
import type { Env } from '../env';
import { registerRebuildAdminRoutes } from './admin-routes';
import { Dispatcher } from './dispatcher';
import { outboxSubscriber } from './outbox';
import { rebuildSettings, type RebuildSettings } from './settings';
import { REBUILD_UIDS, rebuildWriteMiddleware, syncEnvTargets } from './targets';

const instances = new WeakMap<Core.Strapi, { dispatcher: Dispatcher; settings: RebuildSettings }>();

/** In register: the write rules, the outbox subscriber, the admin routes; nothing runs yet. */
export function registerRebuild(strapi: Core.Strapi, env: Env): void {
  const settings = rebuildSettings(env);
  const dispatcher = new Dispatcher(strapi, settings);
  instances.set(strapi, { dispatcher, settings });
  strapi.documents.use(rebuildWriteMiddleware(strapi));
  changeFeed(strapi).subscribe(outboxSubscriber(strapi, dispatcher.wake));
  registerRebuildAdminRoutes(strapi, dispatcher);
  // Targets and deliveries are for admins in the admin panel only: no GraphQL types for them.
  const graphql = strapi.plugin('graphql').service('extension');
  for (const uid of REBUILD_UIDS) graphql.shadowCRUD(uid).disable();
}

/** Targets from the environment; run under the boot lock. */
export async function setupRebuildTargets(strapi: Core.Strapi): Promise<void> {
  const instance = instances.get(strapi);
  if (instance) await syncEnvTargets(strapi, instance.settings);
}

export function startRebuild(strapi: Core.Strapi): void {
  instances.get(strapi)?.dispatcher.start();
}

/** Stops the dispatcher; `waitMs` bounds how long its sends in flight may take to finish. */
export async function stopRebuild(strapi: Core.Strapi, waitMs?: number): Promise<void> {
  await instances.get(strapi)?.dispatcher.stop(waitMs);
}

export { rebuildPayloadSchema, type RebuildPayload } from './payload';
