/**
 * GraphQL answers a failed field inside a 200 (`{"data":…,"errors":[…]}`). When a field failed
 * because the database could not be reached, the request as a whole failed for a reason the
 * client should retry, like every REST read in an outage: the answer becomes a 503 with
 * `Retry-After: 5` (the body keeps GraphQL's shape; its messages carry nothing internal).
 * An Apollo plugin (config/plugins.ts).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from './boundary';

export const databaseOutageAsServiceUnavailable = (): ApolloServerPlugin => ({
  async requestDidStart() {
    return {
      async willSendResponse({ response, errors }) {
        if (!errors?.some((e) => isDatabaseUnavailable(e.originalError))) return;
        response.http.status = 503;
        response.http.headers.set('retry-after', String(RETRY_AFTER_SECONDS));
      },
    };
  },
});
