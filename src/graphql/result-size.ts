/**
 * A bound on how many objects one GraphQL operation may ask for. Each list field returns at most
 * a page (its `pagination` argument, else the plugin's default of 25; at most 100), and a list
 * inside a list multiplies: `articles(pagination: { pageSize: 100 }) { entities { articles { … } } }`
 * asks for up to 100 + 100·25 + 100·25·25 objects, which on a large archive is a quarter of a
 * million rows read, held and serialised for one request. Before execution (an Apollo plugin's
 * `didResolveOperation`, where the variables are known), the operation's selections are walked
 * through its fragments, multiplying page sizes along each path; over MAX_RESULT_OBJECTS the
 * request is a 400 `BAD_USER_INPUT` saying how many it could return. The full story query on a
 * page of 100 articles (sections, updates, hero image with depicted entities, entities,
 * localizations) is about 12,600.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { FieldNode, FragmentDefinitionNode, GraphQLField, GraphQLNamedType, GraphQLSchema, SelectionSetNode, ValueNode } from 'graphql';
import { pluginDependency } from './plugin-modules';

export const MAX_RESULT_OBJECTS = 25_000;

type GraphqlModule = typeof import('graphql');

interface Walk {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  defaultLimit: number;
  maxLimit: number;
  graphql: GraphqlModule;
}

/** The value of an argument node: a literal, or the variable it names. */
function valueOf(node: ValueNode | undefined, walk: Walk): unknown {
  if (!node) return undefined;
  if (node.kind === 'Variable') return walk.variables[node.name.value];
  return walk.graphql.valueFromASTUntyped(node, walk.variables);
}

/** The page a field with a `pagination` argument returns at most. */
function pageSizeOf(field: FieldNode, walk: Walk): number {
  const argument = field.arguments?.find((a) => a.name.value === 'pagination');
  const pagination = valueOf(argument?.value, walk) as { pageSize?: unknown; limit?: unknown } | null | undefined;
  const asked = Number(pagination?.pageSize ?? pagination?.limit ?? walk.defaultLimit);
  return Number.isFinite(asked) && asked > 0 ? Math.min(asked, walk.maxLimit) : walk.defaultLimit;
}

/** Objects a selection set asks for, each counted `multiplier` times; `page` is a connection's page, which its `nodes` list takes. */
function count(selectionSet: SelectionSetNode | undefined, type: GraphQLNamedType, multiplier: number, page: number | undefined, walk: Walk): number {
  const { graphql } = walk;
  if (!selectionSet || !('getFields' in type)) return 0;
  const fields = (type as { getFields(): Record<string, GraphQLField<unknown, unknown>> }).getFields();
  let total = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === 'FragmentSpread') {
      const fragment = walk.fragments[selection.name.value];
      const on = fragment && walk.schema.getType(fragment.typeCondition.name.value);
      if (on) total += count(fragment.selectionSet, on, multiplier, page, walk);
      continue;
    }
    if (selection.kind === 'InlineFragment') {
      const on = selection.typeCondition ? walk.schema.getType(selection.typeCondition.name.value) : type;
      if (on) total += count(selection.selectionSet, on, multiplier, page, walk);
      continue;
    }
    const definition = fields[selection.name.value];
    if (!definition || !selection.selectionSet) continue;
    let fieldType = definition.type;
    if (graphql.isNonNullType(fieldType)) fieldType = fieldType.ofType;
    const named = graphql.getNamedType(fieldType);
    const paginated = definition.args.some((a) => a.name === 'pagination');
    if (graphql.isListType(fieldType)) {
      const size = paginated ? pageSizeOf(selection, walk) : (page ?? walk.maxLimit);
      total += multiplier * size + count(selection.selectionSet, named, multiplier * size, undefined, walk);
    } else {
      // A connection (`articles_connection`) passes its page to its `nodes`.
      total += multiplier + count(selection.selectionSet, named, multiplier, paginated ? pageSizeOf(selection, walk) : undefined, walk);
    }
  }
  return total;
}

/** How many objects the operation could return at most (`graphql`: the package the schema was built with). */
export function resultSize(
  graphql: GraphqlModule,
  schema: GraphQLSchema,
  operation: { selectionSet: SelectionSetNode; operation: string },
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  limits: { defaultLimit: number; maxLimit: number },
): number {
  const root = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  if (!root) return 0;
  return count(operation.selectionSet, root, 1, undefined, { schema, fragments, variables, graphql, ...limits });
}

export function resultSizeLimit(limits: { defaultLimit: number; maxLimit: number }): ApolloServerPlugin {
  // Resolved once, not per request.
  const graphql = pluginDependency<GraphqlModule>('graphql');
  const { GraphQLError } = graphql;
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(rc) {
          if (!rc.operation || !rc.document) return;
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const d of rc.document.definitions) if (d.kind === 'FragmentDefinition') fragments[d.name.value] = d;
          const size = resultSize(graphql, rc.schema, rc.operation, fragments, rc.request.variables ?? {}, limits);
          if (size > MAX_RESULT_OBJECTS) {
            throw new GraphQLError(`This query could return about ${Math.round(size).toLocaleString('en')} objects; at most ${MAX_RESULT_OBJECTS.toLocaleString('en')} are served in one request (ask for smaller pages, or fewer nested lists)`, {
              extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
