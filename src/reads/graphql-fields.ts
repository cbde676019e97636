/**
 * The GraphQL plugin (5.54) wraps the resolver of every field of every object type in its
 * auth + middleware + policy chain, also a field such as `Entity.name` or `Article.sections` that
 * has no auth config, no middleware and no policy. For such a field the chain does nothing but
 * build a policy context and call the field's own resolver (auth is only checked on root fields
 * or where configured), yet it runs once per field per row: about 25 µs each, most of a story
 * query's time (200 fields). Here the plugin's wrapping step is wrapped: a field of an object type
 * with no resolver config of its own gets its own resolver back (GraphQL's default resolver if it
 * had none), which is what the chain ended in.
 * Root fields (Query, Mutation, Subscription) and every field that any extension configures keep
 * the whole chain. The fast-reads tests check answers are unchanged.
 */
import path from 'node:path';

type Field = { resolve?: unknown };
type TypeLike = { getFields?: () => Record<string, Field> };
interface WrapOptions {
  schema: { getTypeMap(): Record<string, TypeLike> };
  extension?: { resolversConfig?: Record<string, Record<string, unknown> | undefined> };
}
interface WrapModule {
  wrapResolvers: (options: WrapOptions) => unknown;
  __newsroomPlainFields?: true;
}

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

export function keepPlainFieldsPlain(): void {
  // The plugin's package exports hide its internals: reach the file the plugin itself loads.
  const server = require.resolve('@strapi/plugin-graphql/strapi-server');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const wrap = require(path.join(path.dirname(server), 'services', 'content-api', 'wrap-resolvers.js')) as WrapModule;
  if (wrap.__newsroomPlainFields) return;
  // The schema's own default resolver, from the graphql package the plugin uses.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { defaultFieldResolver, GraphQLObjectType } = require(require.resolve('graphql', { paths: [path.dirname(server)] })) as {
    defaultFieldResolver: unknown;
    GraphQLObjectType: abstract new (...args: never[]) => unknown;
  };
  const original = wrap.wrapResolvers;
  wrap.wrapResolvers = (options) => {
    const configured = options.extension?.resolversConfig ?? {};
    const plain: Array<{ field: Field; resolve: unknown }> = [];
    for (const [typeName, type] of Object.entries(options.schema.getTypeMap())) {
      // The plugin wraps the fields of object types only.
      if (typeName.startsWith('__') || ROOT_TYPES.has(typeName) || !(type instanceof GraphQLObjectType)) continue;
      for (const [fieldName, field] of Object.entries((type as Required<TypeLike>).getFields())) {
        // The plugin reads a field's config with lodash `get`: a flat `Type.field` key or a nested one.
        const config = configured[`${typeName}.${fieldName}`] ?? configured[typeName]?.[fieldName];
        if (config === undefined) plain.push({ field, resolve: field.resolve ?? defaultFieldResolver });
      }
    }
    const schema = original(options);
    for (const { field, resolve } of plain) field.resolve = resolve;
    return schema;
  };
  wrap.__newsroomPlainFields = true;
}
