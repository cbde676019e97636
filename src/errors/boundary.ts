/**
 * The one error boundary of the HTTP API. Strapi's own `strapi::errors` middleware (second in
 * config/middlewares.ts, so around everything but the request logger) is extended in place:
 *
 * - errors that are the client's fault but reach it as plain errors become 4xx before Strapi
 *   formats them: a broken multipart body (400; 413 when over a size limit), text PostgreSQL
 *   cannot store (a NUL byte: 400), a database that cannot be reached (503 with `Retry-After`,
 *   not a 500). (Bad JSON and prototype keys are
 *   already 400s from the body parser.)
 * - after Strapi's handler, any error answer that is not JSON (koa-router's `405 Method Not
 *   Allowed`, a `415`, anything a plugin answered as text) gets the API's error shape
 *   `{ data: null, error: { status, name, message, details } }`; GraphQL's 4xx keep GraphQL's
 *   own `{ errors }` shape, which GraphQL clients read;
 * - a 5xx carries no internal message and no stack: only the status text (503s and the request
 *   deadline's 504s keep theirs, which say to retry).
 *
 * The admin panel's own pages (HTML under /admin) are left alone.
 */
import { STATUS_CODES } from 'node:http';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import createError from 'http-errors';

type Middleware = (ctx: BoundaryContext, next: () => Promise<unknown>) => Promise<unknown>;
type MiddlewareFactory = (config: unknown, ctx: { strapi: Core.Strapi }) => Middleware;

interface BoundaryContext {
  status: number;
  body: unknown;
  path: string;
  type: string;
  response: { get(field: string): string };
  set(field: string, value: string): void;
}

export const RETRY_AFTER_SECONDS = 5;

/** @strapi/database's where builder (5.54), refusing a filter's shape. */
const FILTER_SHAPE_ERRORS =
  /^(Operator \$\w+ must be an array|Where must be an array or an object|Only \$and, \$or and \$not can only be used as root level operators|Operator and non-operator keys cannot be mixed|Only one operator key is allowed|You cannot filter on)/;

/** @strapi/database's order-by builder (5.54), refusing a sort (`documentId` on a component, which has none). */
const SORT_SHAPE_ERRORS = /^(Attribute \S+ not found on model |Cannot order by status on model |You cannot order on \S+ types|Invalid orderBy syntax)/;

/** @strapi/database's populate and join builders (5.54), refusing a populate. */
const POPULATE_SHAPE_ERRORS = /^(Invalid populate attribute|Populate must be an object|Cannot join on non relational field)/;

/** formidable's error codes for limits (fields size, field count, file size, total size). */
const FORMIDABLE_TOO_LARGE = new Set([1006, 1007, 1009, 1016]);

/**
 * Errors of a database that is down, restarting or unreachable (pg, knex's pool, SQLite busy),
 * including what a query meets when its connection was killed under it (a transaction knex has
 * already ended, a client pg marked not queryable), and a statement the server cancelled (57014:
 * an operator's pg_cancel_backend, a statement_timeout) in a request whose own deadline had not
 * passed — transient, worth a retry, never the client's fault nor a 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|57014|57P0[123]|08\d{3}|SQLITE_BUSY)$/.test(code)) return true;
  if (name === 'KnexTimeoutError') return true;
  return (
    typeof message === 'string' &&
    /Connection terminated|Connection ended unexpectedly|Unable to acquire a connection|connection is closed|terminating connection due to administrator command|connection error and is not queryable|Client was closed and is not queryable|Transaction query already complete/i.test(message)
  );
}

/**
 * A plain error that a value in the request caused, thrown by the query builder or the database
 * (a filter of a shape the builder refuses, text or numbers a column cannot hold), as the 400 it
 * is; otherwise null. Used by the HTTP boundary and by GraphQL's field resolvers (src/graphql/arguments.ts).
 */
export function asInputError(error: unknown): Error | null {
  if (!error || typeof error !== 'object') return null;
  const e = error as { code?: unknown; message?: unknown };
  // Strapi's query builder meets an operator where a field's value belongs (`filters[id][$or]=1`)
  // only when building the SQL, and throws a plain Error: the filter is the client's.
  const operator = typeof e.message === 'string' ? /^Undefined attribute level operator (\S+)$/.exec(e.message) : null;
  if (operator) return new errors.ValidationError(`filters: ${operator[1]} cannot be used on a field`, { source: 'query', param: 'filters' });
  // The builder's other refusals of a filter's shape. The read guard names the path of each before
  // it gets here (src/content-api/filter-shape.ts); this is the net under it, for paths it does not
  // see (a plugin's own route).
  if (typeof e.message === 'string' && FILTER_SHAPE_ERRORS.test(e.message)) {
    return new errors.ValidationError('filters: these conditions are not in a shape that can be applied', { source: 'query', param: 'filters' });
  }
  // The database layer casts a filter's value to its field's type first (SQLite has no types of its
  // own to refuse it with): `filters[size][$eq]=abc` on a number, a date that is no date.
  if (typeof e.message === 'string' && /^Expected a valid (Number|BigInteger), got /.test(e.message)) {
    return new errors.ValidationError('A value in the request is not a number where its field holds numbers', { source: 'query' });
  }
  const name = (error as { name?: unknown }).name;
  if (name === 'InvalidDateFormat' || name === 'InvalidDatetimeFormat' || name === 'InvalidTimeFormat') {
    return new errors.ValidationError('A value in the request is not a valid date or time where its field holds one', { source: 'query' });
  }
  // PostgreSQL text cannot hold a NUL byte (22021): a value sent with one (`locale=%00`) is the client's.
  if (e.code === '22021') return new errors.ValidationError('Text in the request may not contain NUL bytes or invalid UTF-8');
  // Other data exceptions (class 22: `filters[id]=%` on an integer, a date that is no date, a number
  // out of range) are a value in the request that does not fit its field.
  if (typeof e.code === 'string' && /^22[0-9A-Z]{3}$/.test(e.code)) return new errors.ValidationError('A value in the request does not fit its field (wrong type or out of range)');
  // The order-by builder's refusal of a sort: Strapi's query validation allows `documentId` on
  // every type, but components have no such field (`populate[updates][sort]=documentId`).
  if (typeof e.message === 'string' && SORT_SHAPE_ERRORS.test(e.message)) {
    return new errors.ValidationError('sort names a field this type does not have or cannot be sorted on', { source: 'query', param: 'sort' });
  }
  if (typeof e.message === 'string' && POPULATE_SHAPE_ERRORS.test(e.message)) {
    return new errors.ValidationError('populate names a field that cannot be populated here', { source: 'query', param: 'populate' });
  }
  // PostgreSQL has no such operator for the column's type (42883: `startsWith` on a number, which
  // SQLite answers) or the types do not match (42804): the filter asked for it.
  if (e.code === '42883' || e.code === '42804') return new errors.ValidationError('filters: an operator does not apply to the type of the field it is used on', { source: 'query', param: 'filters' });
  return null;
}

/** A plain error the client caused, or an outage, as the error Strapi formats with the right status; otherwise null. */
export function asClientError(error: unknown): Error | null {
  if (!error || typeof error !== 'object') return null;
  const e = error as { httpCode?: unknown; code?: unknown; message?: unknown };
  // formidable (multipart bodies): FormidableError carries httpCode and a numeric code.
  if (typeof e.httpCode === 'number' && typeof e.code === 'number' && e.code >= 1000 && e.code < 1100) {
    if (FORMIDABLE_TOO_LARGE.has(e.code) || e.httpCode === 413) return new errors.PayloadTooLargeError('The request body is too large');
    return new errors.ValidationError(`The multipart body could not be read: ${String(e.message).split(':')[0]}`);
  }
  if (isDatabaseUnavailable(error)) return createError(503, 'The database is not available; retry shortly', { expose: true });
  const input = asInputError(error);
  if (input) return input;
  // A 4xx from a body parser's own copy of http-errors (too large, bad JSON, bad encoding): Strapi
  // would not recognise it, log it as a server error and only then answer its status.
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500 && (error as { expose?: unknown }).expose !== false) {
    return createError(status, String(e.message));
  }
  return null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Buffer.isBuffer(v);

/** The API's error shape for whatever error answer the stack produced. */
function toJsonError(ctx: BoundaryContext): void {
  if (ctx.status < 400 || ctx.path === '/admin' || (ctx.path.startsWith('/admin/') && ctx.type === 'text/html')) return;
  const body = ctx.body;
  const status = ctx.status;
  const shaped = isObject(body) && isObject(body.error) && 'data' in body;
  // GraphQL (Apollo) answers its errors as JSON text in GraphQL's own shape, which its clients read.
  const jsonText = (typeof body === 'string' || Buffer.isBuffer(body)) && /json/.test(ctx.type);
  if ((jsonText || (isObject(body) && Array.isArray(body.errors))) && status < 500) return;
  const statusText = STATUS_CODES[status] ?? 'Error';
  if (!shaped) {
    const { name } = createError(status);
    const details: Record<string, unknown> = {};
    const allow = ctx.response.get('Allow');
    if (status === 405 && allow) details.allow = allow.split(/\s*,\s*/);
    ctx.body = { data: null, error: { status, name, message: statusText, details } };
    ctx.type = 'application/json';
    return;
  }
  const error = (body as { error: Record<string, unknown> }).error;
  if (status >= 500) {
    // 503 (the database is away) and 504 (the request deadline) are ours and say what to do.
    if (status !== 503 && status !== 504) error.message = statusText;
    delete error.stack;
    if (!isObject(error.details)) error.details = {};
  }
  // The pool guard's 503 says how soon (src/database-guard/errors.ts); an outage, RETRY_AFTER_SECONDS.
  if (status === 503) {
    const retryAfter = isObject(error.details) ? error.details.retryAfter : undefined;
    ctx.set('Retry-After', String(typeof retryAfter === 'number' ? retryAfter : ctx.response.get('Retry-After') || RETRY_AFTER_SECONDS));
  }
}

/** Extends Strapi's `strapi::errors` middleware factory into the boundary described above. */
export const errorBoundary =
  (strapiErrors: MiddlewareFactory): MiddlewareFactory =>
  (config, context) => {
    const formatErrors = strapiErrors(config, context);
    return async (ctx, next) => {
      await formatErrors(ctx, async () => {
        try {
          await next();
        } catch (error) {
          throw asClientError(error) ?? error;
        }
      });
      toJsonError(ctx);
    };
  };

export function installErrorBoundary(strapi: Core.Strapi): void {
  (strapi.get('middlewares') as { extend(uid: string, fn: (m: MiddlewareFactory) => MiddlewareFactory): void }).extend('strapi::errors', errorBoundary);
}
