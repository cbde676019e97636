/**
 * Route middleware on the public read routes: rejects `status=draft` unless the request carries an
 * API token, and unknown status values with a 400. Runs after authentication, so `ctx.state.auth`
 * is known.
 */
import type { Core } from '@strapi/strapi';
import { assertStatusReadable } from '../content-api/draft-access';

export default (): Core.MiddlewareHandler => async (ctx, next) => {
  assertStatusReadable((ctx.query as Record<string, unknown>).status, ctx.state);
  await next();
};
