/**
 * The GraphQL plugin's depth limit (graphql-depth-limit 1.1, `depthLimit: 10`) walks a document
 * recursively, once more for every fragment spread, and a spread adds no depth: a chain of 2,000
 * fragments, each spreading the next, overflowed its stack and the request answered a 500 (found
 * here by the no-request-stops-the-process test). Fragment cycles no longer reach it (GraphQL's own
 * rules run first, config/plugins.ts), but long chains do.
 *
 * This rule takes its place in the Apollo server the plugin creates (`replacePluginDepthLimit`,
 * which swaps the plugin's rule instance when the server starts): the same limit, the same error
 * message (`'<operation>' exceeds maximum operation depth of 10`, a 400
 * `GRAPHQL_VALIDATION_FAILED`), the same counting (a field with a selection set is one level,
 * fragments and inline fragments none, introspection fields not descended), computed without
 * recursion: each definition is walked with its own stack, and fragments' depths are combined in
 * one pass over the spread graph, each fragment once, a spread back into its own path ignored.
 */
import type { DefinitionNode, DocumentNode, SelectionSetNode } from 'graphql';
import { beforeApolloStarts, pluginDependency, type ApolloInternals } from './plugin-modules';

interface Shape {
  /** deepest level of a selection in the definition (its own root selections are level 0) */
  deepest: number;
  /** the fragments it spreads, each at the level of the spread */
  spreads: Array<[string, number]>;
}

function shapeOf(root: SelectionSetNode): Shape {
  const shape: Shape = { deepest: 0, spreads: [] };
  const stack: Array<[SelectionSetNode, number]> = [[root, 0]];
  while (stack.length) {
    const [set, level] = stack.pop()!;
    for (const selection of set.selections) {
      if (level > shape.deepest) shape.deepest = level;
      if (selection.kind === 'FragmentSpread') shape.spreads.push([selection.name.value, level]);
      else if (selection.kind === 'InlineFragment') stack.push([selection.selectionSet, level]);
      else if (selection.selectionSet && !selection.name.value.startsWith('__')) stack.push([selection.selectionSet, level + 1]);
    }
  }
  return shape;
}

/** The deepest level of each operation of the document, fragments included, by operation name ('' when anonymous). */
export function operationDepths(document: DocumentNode): Map<string, number> {
  const shapes = new Map<string, Shape>();
  const operations: Array<[string, Shape]> = [];
  for (const d of document.definitions as ReadonlyArray<DefinitionNode>) {
    if (d.kind === 'FragmentDefinition') shapes.set(d.name.value, shapeOf(d.selectionSet));
    else if (d.kind === 'OperationDefinition') operations.push([d.name?.value ?? '', shapeOf(d.selectionSet)]);
  }
  // Each fragment's depth: post-order over the spread graph with an explicit stack.
  const depth = new Map<string, number>();
  const onPath = new Set<string>();
  const depthOf = (start: string): number => {
    const stack: Array<{ name: string; next: number }> = [{ name: start, next: 0 }];
    onPath.add(start);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const shape = shapes.get(top.name);
      const spread = shape?.spreads[top.next];
      if (spread) {
        top.next += 1;
        const [inner] = spread;
        if (!depth.has(inner) && !onPath.has(inner) && shapes.has(inner)) {
          onPath.add(inner);
          stack.push({ name: inner, next: 0 });
        }
        continue;
      }
      let deepest = shape?.deepest ?? 0;
      for (const [inner, level] of shape?.spreads ?? []) deepest = Math.max(deepest, level + (depth.get(inner) ?? 0));
      depth.set(top.name, deepest);
      onPath.delete(top.name);
      stack.pop();
    }
    return depth.get(start) ?? 0;
  };
  const result = new Map<string, number>();
  for (const [name, shape] of operations) {
    let deepest = shape.deepest;
    for (const [inner, level] of shape.spreads) if (shapes.has(inner)) deepest = Math.max(deepest, level + (depth.get(inner) ?? depthOf(inner)));
    result.set(name, deepest);
  }
  return result;
}

interface ValidationContext {
  getDocument(): DocumentNode;
  reportError(error: unknown): void;
}
type GraphqlModule = { GraphQLError: new (message: string, options?: { nodes?: unknown }) => Error };

/** A validation rule: operations deeper than `maxDepth` levels are refused, as graphql-depth-limit words it. */
export function operationDepthLimit(maxDepth: number): (context: ValidationContext) => Record<string, never> {
  const { GraphQLError } = pluginDependency<GraphqlModule>('graphql');
  return (context) => {
    for (const [name, deepest] of operationDepths(context.getDocument())) {
      if (deepest > maxDepth) context.reportError(new GraphQLError(`'${name}' exceeds maximum operation depth of ${maxDepth}`));
    }
    return {};
  };
}

type Rule = ApolloInternals['validationRules'][number];

/** graphql-depth-limit's rule, as the plugin creates it: the one whose body walks with `determineDepth`. */
const isPluginDepthLimit = (rule: Rule): boolean => String(rule).includes('determineDepth');

/** Puts `operationDepthLimit(maxDepth)` where the plugin's depth-limit rule is, in every Apollo server started from now. */
export function replacePluginDepthLimit(maxDepth: number): void {
  beforeApolloStarts('depthLimit', (internals) => {
    const swap = (rules: Rule[] | undefined) => rules?.map((rule) => (isPluginDepthLimit(rule) ? (operationDepthLimit(maxDepth) as unknown as Rule) : rule));
    internals.validationRules = swap(internals.validationRules)!;
    internals.laterValidationRules = swap(internals.laterValidationRules);
  });
}
