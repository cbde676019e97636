/**
 * The GraphQL plugin (5.54) wraps the resolver of every field of every object type in its
 * auth + middleware + policy chain, also a plain scalar field such as `Entity.name` that has no
 * resolver, no auth config, no middleware and no policy. For such a field the chain does nothing
 * but build a policy context and look the value up, yet it runs once per field per row: about
 * 25 µs each, most of a story query's time (200 fields). Here the plugin's wrapping step is
 * wrapped: fields that had GraphQL's default resolver and no resolver config of their own get it
 * back (the value of that property), which is what the chain returned.
 * Root fields (Query, Mutation, Subscription), relations, components and every field that any
 * extension configures keep the whole chain. The fast-reads tests check answers are unchanged.
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
  const { defaultFieldResolver } = require(require.resolve('graphql', { paths: [path.dirname(server)] })) as { defaultFieldResolver: unknown };
  const original = wrap.wrapResolvers;
  wrap.wrapResolvers = (options) => {
    const configured = options.extension?.resolversConfig ?? {};
    const plain: Field[] = [];
    for (const [typeName, type] of Object.entries(options.schema.getTypeMap())) {
      if (typeName.startsWith('__') || ROOT_TYPES.has(typeName) || typeof type.getFields !== 'function') continue;
      for (const [fieldName, field] of Object.entries(type.getFields())) {
        // The plugin reads a field's config with lodash `get`: a flat `Type.field` key or a nested one.
        const config = configured[`${typeName}.${fieldName}`] ?? configured[typeName]?.[fieldName];
        const isDefault = field.resolve === undefined || field.resolve === defaultFieldResolver;
        if (isDefault && config === undefined) plain.push(field);
      }
    }
    const schema = original(options);
    for (const field of plain) field.resolve = defaultFieldResolver;
    return schema;
  };
  wrap.__newsroomPlainFields = true;
}
