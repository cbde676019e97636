/**
 * The GraphQL plugin (5.54) wraps the resolver of every field of every object type in its
 * auth + middleware + policy chain, also a field such as `Entity.name` or `Article.sections` that
 * has no auth config, no middleware and no policy. For such a field the chain does nothing but
 * build a policy context and call the field's own resolver (auth is only checked on root fields
 * or where configured), yet it runs once per field per row: about 25 µs each, most of a story
 * query's time (200 fields). Here the plugin's wrapping step is wrapped: a field of an object type
 * with no resolver config of its own gets its own resolver back, which is what the chain ended in;
 * a field that had none gets none (GraphQL then reads the property).
 * Root fields (Query, Mutation, Subscription) and every field that an extension configures keep
 * the plugin's authorization; only those with middlewares or policies (the draft guard's root
 * queries) keep the whole chain, the others skip the policy step that has no policy to run
 * (`authorizedOnly`). The fast-reads tests check answers are unchanged; public-access, that
 * the Public role reads no more than before.
 *
 * The same step also moves the plugin's root-argument bookkeeping out of Apollo's per-field hooks
 * (`recordRootQueryArgs`, below) and reads every field's arguments as given (src/graphql/arguments.ts).
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { publicListGuard, readArgumentsAsGiven, ROOT_TYPES } from '../graphql/arguments';
import { beforeApolloStarts, pluginDependency, pluginFile, type ApolloInternals } from '../graphql/plugin-modules';

type Field = { resolve?: unknown };
type TypeLike = { getFields?: () => Record<string, Field> };
interface WrapOptions {
  strapi: Core.Strapi;
  schema: { getTypeMap(): Record<string, TypeLike> };
  extension?: { resolversConfig?: Record<string, Record<string, unknown> | undefined> };
}
interface WrapModule {
  wrapResolvers: (options: WrapOptions) => unknown;
  __newsroomPlainFields?: true;
}

export function keepPlainFieldsPlain(): void {
  const wrap = pluginFile<WrapModule>('services/content-api/wrap-resolvers.js');
  if (wrap.__newsroomPlainFields) return;
  // The graphql package the plugin builds its schema with.
  const { GraphQLObjectType, defaultFieldResolver } = pluginDependency<{
    defaultFieldResolver: unknown;
    GraphQLObjectType: abstract new (...args: never[]) => unknown;
  }>('graphql');
  const original = wrap.wrapResolvers;
  wrap.wrapResolvers = (options) => {
    const configured = options.extension?.resolversConfig ?? {};
    const plain: Array<{ field: Field; resolve: unknown }> = [];
    const authorized: Array<{ field: Field; resolve: Resolve; auth: unknown; root: boolean }> = [];
    for (const [typeName, type] of Object.entries(options.schema.getTypeMap())) {
      // The plugin wraps the fields of object types only.
      if (typeName.startsWith('__') || !(type instanceof GraphQLObjectType)) continue;
      const root = ROOT_TYPES.has(typeName);
      for (const [fieldName, field] of Object.entries((type as Required<TypeLike>).getFields())) {
        // The plugin reads a field's config with lodash `get`: a flat `Type.field` key or a nested one.
        const config = configured[`${typeName}.${fieldName}`] ?? configured[typeName]?.[fieldName];
        // nexus gives every field GraphQL's own default resolver: that is no resolver at all.
        const own = field.resolve === defaultFieldResolver ? undefined : (field.resolve as Resolve | undefined);
        if (config === undefined && !root) plain.push({ field, resolve: own });
        else if (!hasSteps(config, 'middlewares') && !hasSteps(config, 'policies')) {
          // The resolver the plugin's chain ends in: the field's own (GraphQL's default included), else the parent's property.
          const resolve = (field.resolve as Resolve | undefined) ?? ((parent) => (parent as Record<string, unknown> | null)?.[fieldName]);
          authorized.push({ field, resolve, auth: (config as { auth?: unknown } | undefined)?.auth, root });
        }
      }
    }
    const schema = original(options);
    for (const { field, resolve } of plain) field.resolve = resolve;
    for (const { field, resolve, auth, root } of authorized) field.resolve = authorizedOnly(options.strapi, resolve, auth, root);
    recordRootQueryArgs(options.schema.getTypeMap().Query);
    // Outermost, so the recorded root arguments and every resolver see nulls as not given.
    readArgumentsAsGiven(options.schema.getTypeMap(), publicListGuard(options.strapi));
    return schema;
  };
  wrap.__newsroomPlainFields = true;
  leaveOutRootArgsPlugin();
}

type Resolve = (source: unknown, args: Record<string, unknown>, context: RootArgsContext, info: Info) => unknown;

/** Whether a field's resolver config lists any `middlewares` (or `policies`). */
const hasSteps = (config: unknown, key: 'middlewares' | 'policies'): boolean => {
  const steps = (config as Record<string, unknown> | undefined)?.[key];
  return Array.isArray(steps) ? steps.length > 0 : steps !== undefined && steps !== null;
};

/**
 * The plugin's chain for a field with no middleware and no policy: its authorization step, then
 * the field's resolver. Its policy step would only build a policy context (with a curried lodash
 * function in it) for no policy to read, once per field per row. Authorization is the plugin's
 * own: on root fields and where `auth` is configured, unless it is `false`, `strapi.auth.verify`
 * with the request's auth, a refusal being a ForbiddenError.
 */
function authorizedOnly(strapi: Core.Strapi, resolve: Resolve, auth: unknown, root: boolean): Resolve {
  if (auth === false || (!root && (auth === undefined || auth === null))) return async (source, args, context, info) => resolve(source, args, context, info);
  return async (source, args, context, info) => {
    try {
      await strapi.auth.verify((context as { state?: { auth?: unknown } } | undefined)?.state?.auth as never, auth as never);
    } catch {
      throw new errors.ForbiddenError();
    }
    return resolve(source, args, context, info);
  };
}
interface RootArgsContext {
  rootQueryArgsByPath?: Map<string | number, Record<string, unknown>>;
}
interface Info {
  fieldName: string;
  path: { key: string | number };
  operation: { operation: string };
}

/**
 * The plugin keeps each root query field's arguments in the context (its relation resolvers read
 * the root `status` from there, strapi/strapi#23524) with an Apollo plugin whose
 * `willResolveField` hook records them. One such hook makes Apollo wrap every field's resolver
 * and call the hooks of every plugin for every field of every answer (about 170 per story),
 * though this one only acts on root fields. Here the root Query fields record their arguments
 * themselves, in the same map, under the same key, with the same value, and that Apollo plugin
 * is left out of the server (`leaveOutRootArgsPlugin`).
 */
function recordRootQueryArgs(query: TypeLike | undefined): void {
  for (const [fieldName, field] of Object.entries(query?.getFields?.() ?? {})) {
    const resolve = field.resolve as Resolve | undefined;
    if (!resolve) continue;
    field.resolve = ((source, args, context, info) => {
      if (!source && info.operation.operation === 'query' && context) {
        if (!context.rootQueryArgsByPath) context.rootQueryArgsByPath = new Map();
        context.rootQueryArgsByPath.set(info.path.key, { ...args, _originField: fieldName });
      }
      return resolve(source, args, context, info);
    }) satisfies Resolve;
  }
}

/** The plugin's root-arguments Apollo plugin: the one whose hooks record `rootQueryArgsByPath`. */
function isRootArgsPlugin(plugin: ApolloInternals['plugins'][number]): boolean {
  const source = String(plugin.requestDidStart ?? '');
  return source.includes('executionDidStart') && source.includes('rootQueryArgsByPath');
}

function leaveOutRootArgsPlugin(): void {
  beforeApolloStarts('rootArgs', (internals) => {
    internals.plugins = internals.plugins.filter((plugin) => !isRootArgsPlugin(plugin));
  });
}
