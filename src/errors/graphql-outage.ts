/**
 * GraphQL errors at the edge (an Apollo plugin, config/plugins.ts):
 *   outage    GraphQL answers a failed field inside a 200 (`{"data":…,"errors":[…]}`). When a
 *             field failed because the database could not be reached, the request as a whole
 *             failed for a reason the client should retry, like every REST read in an outage:
 *             the answer becomes a 503 with Retry-After (in the API's error shape, like REST).
 *   internal  an unexpected error's answer keeps GraphQL's shape but says only "Internal Server
 *             Error": Strapi's formatter puts the thrown value's own message in
 *             `extensions.error` (for a driver error: addresses, ports), which never leaves. An
 *             error Apollo answers with a 4xx is the request's fault: BAD_REQUEST, its message kept.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { isPoolBusy, POOL_BUSY_RETRY_AFTER_SECONDS } from '../database-guard/errors';
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from './boundary';

/** The error a resolver threw: graphql-js wraps a thrown non-Error value (pg throws plain objects) in NonErrorThrown. */
const thrown = (error: unknown): unknown => (error as { thrownValue?: unknown } | undefined)?.thrownValue ?? error;

interface FormattedError {
  message: string;
  path?: unknown;
  locations?: unknown;
  extensions?: { code?: unknown; [key: string]: unknown };
}

export const databaseOutageAsServiceUnavailable = (): ApolloServerPlugin => ({
  async requestDidStart() {
    return {
      async willSendResponse({ response, errors }) {
        const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
        // The pool guard's 503 (no turn or connection came in time: src/database-guard) likewise, with its Retry-After.
        if (errors?.some((e) => isPoolBusy(thrown(e.originalError)))) {
          response.http.status = 503;
          response.http.headers.set('retry-after', String(POOL_BUSY_RETRY_AFTER_SECONDS));
          return;
        }
        if (errors?.some((e) => isDatabaseUnavailable(thrown(e.originalError)))) {
          response.http.status = 503;
          // The error boundary (boundary.ts) turns this 5xx into the API's error shape.
          response.http.headers.set('retry-after', String(RETRY_AFTER_SECONDS));
          return;
        }
        if (body?.errors) {
          // Apollo refuses some requests with a 400 whose error has no code, which it then calls
          // INTERNAL_SERVER_ERROR (a persisted query's hash that is not its text's): the request
          // was wrong, and its message says how.
          const status = response.http.status ?? 200;
          const refused = status >= 400 && status < 500;
          body.errors = (body.errors as FormattedError[]).map((e) => {
            if (e.extensions?.code !== 'INTERNAL_SERVER_ERROR') return e;
            if (refused) return { message: e.message, extensions: { code: 'BAD_REQUEST' } };
            return { message: 'Internal Server Error', path: e.path, locations: e.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
          }) as typeof body.errors;
        }
      },
    };
  },
});
