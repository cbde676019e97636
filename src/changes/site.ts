/**
 * Site-wide changes: writes that alter every public answer rather than some documents. They are
 * not document writes (users-permissions writes roles and permissions through the query engine;
 * i18n keeps the default locale in the core store), so they are seen in the query engine's
 * lifecycles, and announced once the write has committed:
 *   - any role or permission of users-permissions  -> `public-permissions`
 *   - the core store's `plugin_i18n_default_locale` -> `default-locale`
 *   - any entity, draft or published                 -> `entities` (the vocabulary ingest and search
 *     keep per process: names, aliases, Wikidata ids)
 * Other core-store keys (admin layouts, plugin settings) are not public and announce nothing.
 */
import type { Core } from '@strapi/strapi';
import { changeFeed } from './feed';
import type { SiteChangeReason } from './types';

// Strapi's transaction context: runs a callback when the current transaction commits.
/* eslint-disable-next-line @typescript-eslint/no-require-imports */
const { transactionCtx } = require('@strapi/database/dist/transaction-context.js') as { transactionCtx: { onCommit(cb: () => void): void } };

const PERMISSION_MODELS = ['plugin::users-permissions.permission', 'plugin::users-permissions.role'];
const CORE_STORE = 'strapi::core-store';
const DEFAULT_LOCALE_KEY = 'plugin_i18n_default_locale';
const ENTITY = 'api::entity.entity';

interface LifecycleEvent {
  model: { uid: string };
  params?: { data?: { key?: unknown }; where?: { key?: unknown } };
  result?: { key?: unknown } | unknown;
}

/** The reason a write announces, if any. */
function reasonOf(event: LifecycleEvent): SiteChangeReason | null {
  if (PERMISSION_MODELS.includes(event.model.uid)) return 'public-permissions';
  if (event.model.uid === ENTITY) return 'entities';
  if (event.model.uid !== CORE_STORE) return null;
  const result = event.result as { key?: unknown } | null | undefined;
  const keys = [event.params?.data?.key, event.params?.where?.key, result && typeof result === 'object' ? result.key : undefined];
  // A bulk write of the core store that names no key may have touched it.
  if (keys.every((k) => k === undefined)) return 'default-locale';
  return keys.includes(DEFAULT_LOCALE_KEY) ? 'default-locale' : null;
}

export function watchSiteSettings(strapi: Core.Strapi): void {
  const feed = changeFeed(strapi);
  const written = (event: LifecycleEvent) => {
    const reason = reasonOf(event);
    if (!reason) return;
    const announce = () => feed.emitSite({ reason, everyAnswer: reason !== 'entities' });
    if (strapi.db.inTransaction()) transactionCtx.onCommit(announce);
    else announce();
  };
  strapi.db.lifecycles.subscribe({
    models: [...PERMISSION_MODELS, CORE_STORE, ENTITY],
    afterCreate: written,
    afterCreateMany: written,
    afterUpdate: written,
    afterUpdateMany: written,
    afterDelete: written,
    afterDeleteMany: written,
  } as never);
}
