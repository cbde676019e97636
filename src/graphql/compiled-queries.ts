/**
 * GraphQL queries run by compiled code (graphql-jit) instead of graphql-js's interpreter.
 *
 * graphql-js walks the query document for every field of every answer: for a story (about 170
 * fields) that walk costs more than the resolvers and the SQL behind them. graphql-jit compiles
 * each distinct query document once into a function that resolves the same fields with the same
 * resolvers, arguments, `info` and context; Apollo already parsed and validated the document (so
 * the plugin's depth limit and our document limits apply unchanged), and this plugin answers in
 * Apollo's `responseForOperation` step.
 *
 * Only a query whose compiled run ends without errors is answered here. Anything else (a mutation,
 * a document graphql-jit cannot compile, variables it refuses, any resolver error) is left to
 * Apollo's own execution, so errors keep exactly the shape, status and classification Apollo and
 * Strapi give them (a query whose compiled run failed is run again there: reads have no effects).
 */
import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import type { DocumentNode } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

type Compiled = CompiledQuery | null;

export function compiledQueries(): ApolloServerPlugin {
  // Apollo keeps parsed documents in its own bounded store, so a document object is reused across
  // requests for the same query text; compiled forms go when their document does.
  const compiled = new WeakMap<DocumentNode, Map<string, Compiled>>();

  const compiledFor = (rc: GraphQLRequestContext<object>): Compiled => {
    const document = rc.document as DocumentNode;
    const name = rc.operationName ?? '';
    let byName = compiled.get(document);
    if (!byName) compiled.set(document, (byName = new Map()));
    let found = byName.get(name);
    if (found === undefined) {
      const result = compileQuery(rc.schema, document, rc.operationName ?? undefined);
      found = isCompiledQuery(result) ? result : null;
      byName.set(name, found);
    }
    return found;
  };

  return {
    async requestDidStart() {
      return {
        async responseForOperation(rc) {
          if (rc.operation?.operation !== 'query' || !rc.document) return null;
          const query = compiledFor(rc);
          if (!query) return null;
          const result = await query.query(undefined, rc.contextValue, rc.request.variables ?? {});
          if (result.errors?.length) return null;
          return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data: result.data } } };
        },
      };
    },
  };
}
