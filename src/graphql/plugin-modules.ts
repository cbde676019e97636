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

/** What a change made when an Apollo server starts may edit: its plugins and validation rules. */
export interface ApolloInternals {
  plugins: Array<{ requestDidStart?: (...args: unknown[]) => unknown }>;
  validationRules: Array<(...args: never[]) => unknown>;
  laterValidationRules?: Array<(...args: never[]) => unknown>;
}
interface ApolloServerClass {
  prototype: {
    _start(this: { internals: ApolloInternals }, background: boolean): Promise<unknown>;
    __newsroomChanges?: Map<string, (internals: ApolloInternals) => void>;
  };
}

/**
 * Runs `change` on the internals of every Apollo server (as the plugin resolves @apollo/server)
 * just before it starts. The GraphQL plugin creates its server inside its own bootstrap, with no
 * handle to it: this is the one place to adjust it. Apollo's start is wrapped once; each `marker`
 * has one change, the latest given (a second boot in one process, as in the tests, brings its own
 * settings, e.g. another depth limit).
 */
export function beforeApolloStarts(marker: string, change: (internals: ApolloInternals) => void): void {
  const { ApolloServer } = pluginDependency<{ ApolloServer: ApolloServerClass }>('@apollo/server');
  const proto = ApolloServer.prototype;
  if (!proto.__newsroomChanges) {
    const changes = (proto.__newsroomChanges = new Map());
    const start = proto._start;
    proto._start = function startAfterChanges(background) {
      for (const apply of changes.values()) apply(this.internals);
      return start.call(this, background);
    };
  }
  proto.__newsroomChanges.set(marker, change);
}
