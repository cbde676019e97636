/**
 * Limits on the shape of a GraphQL document, checked before anything runs (an Apollo validation
 * rule; the plugin's own rule limits depth to 10). An alias asks for the same field again under
 * another name, so without a bound one small request can ask for the same list a thousand times
 * (`a1: articles { … } a2: articles { … } …`); a document can also simply be huge.
 *   aliases       at most MAX_ALIASES in the whole document (fragments included)
 *   root fields   at most MAX_ROOT_FIELDS per operation
 *   fields        at most MAX_FIELDS selections in the whole document
 * Over a limit: a 400 with GraphQL's `GRAPHQL_VALIDATION_FAILED` error naming the limit.
 * (Batched requests, several operations in one POST, are refused by Apollo Server by default.)
 *
 * Two bounds apply before this rule runs (config/plugins.ts): the parser stops after MAX_TOKENS
 * tokens (a 400 `GRAPHQL_PARSE_FAILED`), and Apollo counts the selections of each operation with
 * every fragment spread expanded, memoised per fragment so a cycle or a fragment spread a
 * thousand times costs no more than its size: over MAX_RECURSIVE_SELECTIONS is a 400. This rule
 * and the plugin's depth limit only see documents GraphQL's own rules accept, so never a fragment
 * cycle or an unknown fragment.
 */
import { pluginDependency } from '../graphql/plugin-modules';

export const MAX_ALIASES = 30;
export const MAX_ROOT_FIELDS = 15;
export const MAX_FIELDS = 1_000;
/** Tokens in one document: the story with every field it has is about 600. */
export const MAX_TOKENS = 20_000;
/** Selections of one operation with its fragments expanded (the full story query: about 200). */
export const MAX_RECURSIVE_SELECTIONS = 5_000;

interface Node {
  kind: string;
  alias?: unknown;
  selectionSet?: { selections: Node[] };
}
interface ValidationContext {
  reportError(error: unknown): void;
}
type GraphqlModule = { GraphQLError: new (message: string, options?: { nodes?: unknown }) => Error };

/** The graphql package the GraphQL plugin (and Apollo) use, so the error is theirs. */
const graphql = () => pluginDependency<GraphqlModule>('graphql');

export function documentLimits(): (context: ValidationContext) => Record<string, unknown> {
  const { GraphQLError } = graphql();
  return (context) => {
    let aliases = 0;
    let fields = 0;
    return {
      Field(node: Node) {
        fields += 1;
        if (node.alias) aliases += 1;
      },
      OperationDefinition(node: Node) {
        const roots = (node.selectionSet?.selections ?? []).filter((s) => s.kind === 'Field').length;
        if (roots > MAX_ROOT_FIELDS) {
          context.reportError(new GraphQLError(`An operation may ask for at most ${MAX_ROOT_FIELDS} root fields; this one asks for ${roots}`, { nodes: [node] }));
        }
      },
      Document: {
        leave() {
          if (aliases > MAX_ALIASES) context.reportError(new GraphQLError(`A document may use at most ${MAX_ALIASES} aliases; this one uses ${aliases}`));
          if (fields > MAX_FIELDS) context.reportError(new GraphQLError(`A document may select at most ${MAX_FIELDS} fields; this one selects ${fields}`));
        },
      },
    };
  };
}
