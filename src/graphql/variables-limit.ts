/**
 * GraphQL `variables` nested deeper than MAX_VARIABLES_DEPTH levels are a 400 in GraphQL's error
 * shape (`BAD_USER_INPUT`) before anything coerces them: graphql-js coerces input values
 * recursively and overflows the stack on a few thousand levels, which Apollo answered as an
 * internal error. The deepest filters the API takes (20 levels, src/graphql/arguments.ts)
 * are about 22 levels of JSON; 64 leaves room for any other argument. An Apollo plugin: its
 * `didResolveOperation` runs after parsing and validation, before execution, and an error it
 * throws is the request's answer.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { pluginDependency } from './plugin-modules';

export const MAX_VARIABLES_DEPTH = 64;

type GraphqlModule = { GraphQLError: new (message: string, options?: { extensions?: Record<string, unknown> }) => Error };

/** Whether a JSON value nests deeper than `limit` levels (it stops looking there). */
export function nestsDeeper(value: unknown, limit: number): boolean {
  if (!value || typeof value !== 'object') return false;
  if (limit <= 0) return true;
  for (const inner of Array.isArray(value) ? value : Object.values(value)) {
    if (nestsDeeper(inner, limit - 1)) return true;
  }
  return false;
}

export function variablesLimit(): ApolloServerPlugin {
  const { GraphQLError } = pluginDependency<GraphqlModule>('graphql');
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(rc) {
          if (nestsDeeper(rc.request.variables, MAX_VARIABLES_DEPTH)) {
            throw new GraphQLError(`variables may nest at most ${MAX_VARIABLES_DEPTH} levels`, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
          }
        },
      };
    },
  };
}
