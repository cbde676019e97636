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
 * Kept until a role or permission is written (the change feed's `public-permissions`; dropped
 * in this process at once and through NOTIFY in the others, content-api/kept.ts). The scopes the
 * kept ability allows are kept with it (`verify`).
 */
import type { Core } from '@strapi/strapi';
import { keptUntilChanged } from './kept';

interface PublicAbility {
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
type Verify = (auth: Ctx['state']['auth'], config?: false | { scope?: unknown }) => Promise<unknown>;

/** A request users-permissions would authenticate as the Public role, with nothing that could change that. */
function isAnonymousContentRead(ctx: Ctx): boolean {
  const route = ctx.state.route;
  const auth = route?.config?.auth;
  return route?.info?.type === 'content-api' && auth !== false && auth?.strategies === undefined && ctx.request.header.authorization === undefined;
}

export function cacheAnonymousAbility(strapi: Core.Strapi): void {
  const service = strapi.get('auth') as { authenticate: Authenticate; verify: Verify };
  const authenticate = service.authenticate.bind(service);
  const verify = service.verify.bind(service);
  const kept = keptUntilChanged<PublicAbility>(strapi, 'public-ability', 'public-permissions');

  service.authenticate = async (ctx, next) => {
    if (!isAnonymousContentRead(ctx)) return authenticate(ctx, next);
    const ability = kept.peek();
    if (ability) {
      ctx.state.isAuthenticated = true;
      ctx.state.auth = { strategy: ability.strategy, credentials: null, ability: ability.ability };
      return next();
    }
    const built = kept.generation();
    return authenticate(ctx, () => {
      const auth = ctx.state.auth;
      if (auth?.strategy?.name === 'users-permissions' && auth.credentials == null && auth.ability) {
        kept.keep({ strategy: auth.strategy as PublicAbility['strategy'], ability: auth.ability }, built);
      }
      return next();
    });
  };
  // The scopes the kept ability was found to allow (users-permissions checks each with lodash/fp
  // and CASL on every request; GraphQL does so for every root field). Only allowed scopes are
  // kept, so a refusal always comes from users-permissions itself; they go with the ability.
  const allowed = new WeakMap<object, Set<string>>();
  service.verify = async (auth, config) => {
    const scope = config ? config.scope : undefined;
    const key = typeof scope === 'string' ? scope : Array.isArray(scope) && scope.every((s) => typeof s === 'string') ? scope.join('\n') : undefined;
    const ability = auth?.credentials == null ? (auth?.ability as object | undefined) : undefined;
    if (key !== undefined && ability && allowed.get(ability)?.has(key)) return;
    await verify(auth, config);
    if (key !== undefined && ability && ability === kept.peek()?.ability) {
      let scopes = allowed.get(ability);
      if (!scopes) allowed.set(ability, (scopes = new Set()));
      scopes.add(key);
    }
  };
}
