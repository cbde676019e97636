/**
 * The HTTP edge of `/graphql`. GraphQL over HTTP reads `query`, `variables`, `operationName` and
 * `extensions` from the query string, each a single string, and a POST body as JSON. Apollo (as
 * Strapi mounts it) fails with a 500 on a nested parameter (`page[a]=1`, which Strapi's query
 * parser turns into an object) and on a request whose body no parser read (a `text/plain` POST,
 * a PATCH): the first is a 400 naming the parameter, then a 405 for a method GraphQL does not
 * take, a 415 for a POST that is not JSON.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import createError from 'http-errors';

export default (): Core.MiddlewareHandler => async (ctx, next) => {
  if (ctx.path === '/graphql') {
    const nested = Object.entries(ctx.query).find(([, value]) => typeof value !== 'string');
    if (nested) {
      throw new errors.ValidationError(`${nested[0]} must be a single string on /graphql`, { source: 'query', param: nested[0] });
    }
    if (!['GET', 'HEAD', 'POST', 'OPTIONS'].includes(ctx.method)) {
      ctx.set('Allow', 'GET, HEAD, POST, OPTIONS');
      throw createError(405, 'GraphQL takes GET and POST requests', { expose: true });
    }
    if (ctx.method === 'POST' && !ctx.is('application/json')) {
      throw createError(415, 'POST /graphql takes a JSON body (content-type: application/json)', { expose: true });
    }
  }
  await next();
};
