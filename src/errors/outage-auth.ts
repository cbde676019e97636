/**
 * During a database outage users-permissions cannot load the Public role, swallows the error and
 * reports the request as unauthenticated, so every public read answered 401 Unauthorized: a
 * client or CDN was told the content needs a login. This strategy runs last on the content API:
 * it is only reached by a request no other strategy authenticated: for an anonymous request that
 * only happens when the Public role could not be read (bootstrap guarantees it has rights), for
 * one with a token when the token is invalid or could not be checked. If the database does not
 * answer, it fails the request with a 503 (and `Retry-After`, from the error boundary); so it does
 * for an anonymous request when the Public role has rights after all (the database was away for a
 * moment: a killed connection); otherwise it leaves the request as it was.
 */
import type { Core } from '@strapi/strapi';
import createError from 'http-errors';
import { databaseAnswers } from './database-probe';

export function registerOutageAuth(strapi: Core.Strapi): void {
  strapi.get('auth').register('content-api', {
    name: 'database-outage',
    authenticate: async (ctx: { request: { header: Record<string, unknown> } }) => {
      const unavailable = () => createError(503, 'The database is not available; retry shortly', { expose: true });
      // A token that failed to verify because the database was down is an outage too.
      if (!(await databaseAnswers(strapi))) throw unavailable();
      if (ctx.request.header.authorization === undefined) {
        // Anonymous: the database answers now, but may not have a moment ago (a connection killed
        // mid-query). The Public role was not loaded only if it has no rights, or if it could not be read.
        let rights: number;
        try {
          rights = await strapi.db.query('plugin::users-permissions.permission').count({ where: { role: { type: 'public' } } });
        } catch {
          throw unavailable();
        }
        if (rights > 0) throw unavailable();
      }
      return { authenticated: false };
    },
    // Never authenticates, so never asked to verify; present for the registry's contract.
    verify: async () => undefined,
  });
}
