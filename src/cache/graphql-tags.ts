/**
 * GraphQL reads through the read cache, as REST reads are: an anonymous GET (graphql-key.ts) whose
 * answer has data and no errors is tagged with what it shows and then kept and evicted by the
 * change feed like any REST answer (http-cache gives it an ETag, Cache-Control and
 * Surrogate-Key). A POST is never kept. The tags: `doc:<documentId>` of every document the answer
 * shows, and `list:<type>` wherever what is shown is not named by those: a root list or connection
 * (a publish can add to it), a document selected without its documentId, a root field that found
 * nothing (a publish can make it find something), a relation owned by the other side. Queries of
 * anything but articles, entities and images (users, locales, files, introspection) are not kept.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { Core } from '@strapi/strapi';
import type { DocumentNode, FieldNode, FragmentDefinitionNode, GraphQLNamedType, GraphQLObjectType, GraphQLSchema, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import { typeListTag } from '../changes/tags';
import { WATCHED_TYPES, type WatchedUid } from '../changes/types';
import { pluginDependency } from '../graphql/plugin-modules';
import { cacheable } from '../middlewares/http-cache';
import { documentTags } from './policy';

type GraphqlModule = typeof import('graphql');

interface Watched {
  /** GraphQL type of a watched content type -> its list tag */
  types: Map<string, string>;
  /** its connection types (`ArticleEntityResponseCollection`, `ArticleRelationResponseCollection`) -> the list tag */
  connections: Map<string, string>;
  /** root fields whose answers may be kept */
  roots: Set<string>;
  /** `Type.field` of relations owned by the other side (`mappedBy`) */
  inverse: Set<string>;
}

interface Naming {
  getTypeName(ct: unknown): string;
  getEntityResponseCollectionName(ct: unknown): string;
  getRelationResponseCollectionName(ct: unknown): string;
}

/** The GraphQL names of the watched content types, as the plugin's naming service gives them. */
export function watchedTypes(strapi: Core.Strapi): Watched {
  const naming = strapi.plugin('graphql').service('utils').naming as Naming;
  const watched: Watched = { types: new Map(), connections: new Map(), roots: new Set(['articleBySlug', '__typename']), inverse: new Set() };
  for (const uid of Object.keys(WATCHED_TYPES) as WatchedUid[]) {
    const contentType = strapi.contentType(uid);
    const list = typeListTag(uid);
    const name = naming.getTypeName(contentType);
    watched.types.set(name, list);
    watched.connections.set(naming.getEntityResponseCollectionName(contentType), list);
    watched.connections.set(naming.getRelationResponseCollectionName(contentType), list);
    const { singularName, pluralName } = contentType.info;
    for (const root of [singularName, pluralName, `${pluralName}_connection`]) watched.roots.add(root);
    for (const [field, attribute] of Object.entries(contentType.attributes)) {
      if ((attribute as { mappedBy?: string }).mappedBy) {
        watched.inverse.add(`${name}.${field}`);
        watched.inverse.add(`${name}.${field}_connection`);
      }
    }
  }
  return watched;
}

interface Walk {
  graphql: GraphqlModule;
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  watched: Watched;
  tags: Set<string>;
}

/** Whether a selection set (through its fragments) asks for `documentId` under its own name. */
function selectsDocumentId(selectionSet: SelectionSetNode, walk: Walk, seen = new Set<string>()): boolean {
  for (const selection of selectionSet.selections) {
    if (selection.kind === 'Field' && selection.name.value === 'documentId' && !selection.alias) return true;
    if (selection.kind === 'InlineFragment' && selectsDocumentId(selection.selectionSet, walk, seen)) return true;
    if (selection.kind === 'FragmentSpread' && !seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = walk.fragments[selection.name.value];
      if (fragment && selectsDocumentId(fragment.selectionSet, walk, seen)) return true;
    }
  }
  return false;
}

/**
 * Adds the list tags a selection set needs: where the answer may gain a member without a change of
 * a document it shows (a root list or connection, a relation the other side owns), and where a
 * document is shown without its documentId (so no doc: tag names it). Runs on a validated
 * document: bounded by the depth limit, free of fragment cycles.
 */
function walkSelections(selectionSet: SelectionSetNode, type: GraphQLNamedType, root: boolean, walk: Walk): void {
  const { graphql: g, watched } = walk;
  if (!g.isObjectType(type) && !g.isInterfaceType(type)) return;
  const fields = (type as GraphQLObjectType).getFields();
  for (const selection of selectionSet.selections) {
    if (selection.kind === 'FragmentSpread') {
      const fragment = walk.fragments[selection.name.value];
      const on = fragment && walk.schema.getType(fragment.typeCondition.name.value);
      if (on) walkSelections(fragment.selectionSet, on, root, walk);
      continue;
    }
    if (selection.kind === 'InlineFragment') {
      const on = selection.typeCondition ? walk.schema.getType(selection.typeCondition.name.value) : type;
      if (on) walkSelections(selection.selectionSet, on, root, walk);
      continue;
    }
    const definition = fields[selection.name.value];
    if (!definition || !selection.selectionSet) continue;
    const named = g.getNamedType(definition.type);
    const inverse = watched.inverse.has(`${type.name}.${definition.name}`);
    const connection = watched.connections.get(named.name);
    if (connection && (root || inverse)) walk.tags.add(connection);
    const list = watched.types.get(named.name);
    if (list) {
      const nullable = g.isNonNullType(definition.type) ? definition.type.ofType : definition.type;
      if ((root && g.isListType(nullable)) || inverse || !selectsDocumentId(selection.selectionSet, walk)) walk.tags.add(list);
    }
    walkSelections(selection.selectionSet, named, false, walk);
  }
}

interface Plan {
  /** null: the answer is not kept */
  tags: string[] | null;
  /** response keys of root fields returning one document, and the list tag they need when they found nothing */
  singles: Array<[string, string]>;
}

const NOT_KEPT: Plan = { tags: null, singles: [] };

/** What an operation's answer is tagged with beyond the documentIds it shows. */
export function planTags(g: GraphqlModule, schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, watched: Watched): Plan {
  const query = schema.getQueryType();
  if (operation.operation !== 'query' || !query) return NOT_KEPT;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === 'FragmentDefinition') fragments[d.name.value] = d;
  // The root fields, through fragments on Query.
  const roots: FieldNode[] = [];
  const collect = (set: SelectionSetNode, seen: Set<string>) => {
    for (const s of set.selections) {
      if (s.kind === 'Field') roots.push(s);
      else if (s.kind === 'InlineFragment') collect(s.selectionSet, seen);
      else if (!seen.has(s.name.value) && fragments[s.name.value]) collect(fragments[s.name.value].selectionSet, seen.add(s.name.value));
    }
  };
  collect(operation.selectionSet, new Set());
  const singles: Array<[string, string]> = [];
  for (const field of roots) {
    if (!watched.roots.has(field.name.value)) return NOT_KEPT;
    const definition = query.getFields()[field.name.value];
    const list = definition && watched.types.get(g.getNamedType(definition.type).name);
    const nullable = definition && (g.isNonNullType(definition.type) ? definition.type.ofType : definition.type);
    if (list && !g.isListType(nullable)) singles.push([field.alias?.value ?? field.name.value, list]);
  }
  const walk: Walk = { graphql: g, schema, fragments, watched, tags: new Set() };
  walkSelections(operation.selectionSet, query, true, walk);
  return { tags: [...walk.tags], singles };
}

/**
 * The Apollo plugin: tags a GET's answer that has data and no errors. Plans are kept per parsed
 * document (Apollo keeps the parsed documents of repeated queries).
 */
export function graphqlCacheTags(): ApolloServerPlugin<{ koaContext?: import('koa').Context }> {
  const plans = new WeakMap<object, Map<string, Plan>>();
  const g = pluginDependency<GraphqlModule>('graphql');
  let watched: Watched | undefined;
  return {
    async requestDidStart({ request }) {
      if (request.http?.method !== 'GET') return;
      let plan: Plan | undefined;
      return {
        async didResolveOperation({ document, operation, schema, operationName }) {
          if (!operation) return;
          watched ??= watchedTypes(strapi);
          let perDocument = plans.get(document);
          if (!perDocument) plans.set(document, (perDocument = new Map()));
          const name = operationName ?? '';
          plan = perDocument.get(name);
          if (!plan) perDocument.set(name, (plan = planTags(g, schema, document, operation, watched)));
        },
        async willSendResponse({ response, contextValue }) {
          const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
          if (!plan?.tags || !result || result.errors || !result.data || !contextValue.koaContext) return;
          const tags = documentTags(result.data, new Set(plan.tags));
          for (const [key, list] of plan.singles) if (result.data[key] === null) tags.add(list);
          cacheable(contextValue.koaContext, tags);
        },
      };
    },
  };
}
