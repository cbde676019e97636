/**
 * The modules the GraphQL plugin itself loads (its package exports hide its internals): its own
 * files, and the graphql and @apollo/server packages as it resolves them, so what is patched or
 * created here is what the plugin uses.
 */
import path from 'node:path';

const pluginServerDir = () => path.dirname(require.resolve('@strapi/plugin-graphql/strapi-server'));

/** A file of the plugin's server build, e.g. `services/content-api/wrap-resolvers.js`. */
export function pluginFile<T>(relative: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(pluginServerDir(), relative)) as T;
}

/** A package (graphql, @apollo/server) as the plugin resolves it. */
export function pluginDependency<T>(name: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(require.resolve(name, { paths: [pluginServerDir()] })) as T;
}
