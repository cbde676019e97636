/**
 * The Public role's ability, kept per process. users-permissions authenticates every anonymous
 * content-API request (REST routes and each GraphQL request) by loading the Public role's
 * permissions from the database and building a CASL ability from them: one statement and about
 * a quarter of a millisecond, for an answer that only changes when someone edits a role.
 *
 * Here the content API's `authenticate` is wrapped: the first anonymous request goes the whole
 * way and the ability users-permissions built for it is kept; later anonymous requests (no
 * `Authorization` header, a content-API route with its default strategies) get that ability
 * without a query. Any request with an `Authorization` header, and any route with its own
 * strategies or `auth: false`, goes the stock way.
 *
 * Kept until a role or permission is written: the database lifecycles of both models drop it in
 * this process at once, and on PostgreSQL a NOTIFY drops it in every other process; a process
 * whose LISTEN connection was lost drops it when it reconnects (it may have missed a notice).
 */
import type { Core } from '@strapi/strapi';
import { listen, type Listener } from '../pg/listener';

const CHANNEL = 'newsroom_permissions';
const WATCHED = ['plugin::users-permissions.permission', 'plugin::users-permissions.role'];

interface Kept {
  strategy: { name: string };
  ability: unknown;
}

type Ctx = {
  request: { header: Record<string, string | string[] | undefined> };
  state: {
    route?: { info?: { type?: string }; config?: { auth?: false | { strategies?: unknown } } };
    auth?: { strategy?: { name?: string }; credentials?: unknown; ability?: unknown };
    isAuthenticated?: boolean;
  };
};
type Authenticate = (ctx: Ctx, next: () => Promise<unknown>) => Promise<unknown>;

const state = new WeakMap<Core.Strapi, { forget(): void; listener?: Listener }>();

/** A request users-permissions would authenticate as the Public role, with nothing that could change that. */
function isAnonymousContentRead(ctx: Ctx): boolean {
  const route = ctx.state.route;
  const auth = route?.config?.auth;
  return route?.info?.type === 'content-api' && auth !== false && auth?.strategies === undefined && ctx.request.header.authorization === undefined;
}

/** Calls `then` after every write of a role or permission (users-permissions writes them without a transaction). */
function onRoleWrite(strapi: Core.Strapi, then: () => void): void {
  strapi.db.lifecycles.subscribe({
    models: WATCHED,
    afterCreate: then,
    afterCreateMany: then,
    afterUpdate: then,
    afterUpdateMany: then,
    afterDelete: then,
    afterDeleteMany: then,
  });
}

export function cacheAnonymousAbility(strapi: Core.Strapi): void {
  const service = strapi.get('auth') as { authenticate: Authenticate };
  const authenticate = service.authenticate.bind(service);
  let kept: Kept | undefined;
  // Bumped on every forget: an ability built before a write is not kept after it.
  let generation = 0;
  const forget = () => {
    generation += 1;
    kept = undefined;
  };

  service.authenticate = async (ctx, next) => {
    if (!isAnonymousContentRead(ctx)) return authenticate(ctx, next);
    if (kept) {
      ctx.state.isAuthenticated = true;
      ctx.state.auth = { strategy: kept.strategy, credentials: null, ability: kept.ability };
      return next();
    }
    const built = generation;
    return authenticate(ctx, () => {
      const auth = ctx.state.auth;
      if (built === generation && auth?.strategy?.name === 'users-permissions' && auth.credentials == null && auth.ability) {
        kept = { strategy: auth.strategy as Kept['strategy'], ability: auth.ability };
      }
      return next();
    });
  };

  onRoleWrite(strapi, forget);
  state.set(strapi, { forget });
}

/** Writes of roles and permissions tell the other processes (PostgreSQL); this one listens. */
export function startAnonymousAbility(strapi: Core.Strapi): void {
  const kept = state.get(strapi);
  if (!kept || strapi.db.dialect.client !== 'postgres') return;
  const notify = () => {
    // After the write's transaction: NOTIFY outside one is sent at once.
    strapi.db.connection.raw('select pg_notify(?, ?)', [CHANNEL, String(process.pid)]).catch((error: Error) => {
      strapi.log.warn(`[permissions] could not notify other processes: ${error.message}`);
    });
  };
  onRoleWrite(strapi, notify);
  kept.listener = listen(strapi, CHANNEL, () => kept.forget(), { retryMs: 1_000, onConnected: () => kept.forget() });
}

export async function stopAnonymousAbility(strapi: Core.Strapi): Promise<void> {
  await state.get(strapi)?.listener?.stop();
}
