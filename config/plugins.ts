import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import type { Core } from '@strapi/strapi';
import { loadEnv } from '../src/env';
import { graphqlCacheTags } from '../src/cache/graphql-tags';
import { databaseOutageAsServiceUnavailable } from '../src/errors/graphql-outage';
import { documentLimits, MAX_RECURSIVE_SELECTIONS, MAX_TOKENS } from '../src/content-api/graphql-limits';
import { SharedPersistedQueries } from '../src/graphql/persisted-queries';
import { resultSizeLimit } from '../src/graphql/result-size';
import { variablesLimit } from '../src/graphql/variables-limit';
import { IMAGE_TYPES } from '../src/middlewares/upload-guard';
import { s3UploadProvider } from '../src/uploads/s3';
import { PAGE_SIZE } from './api';

export default (): Core.Config.Plugin => {
  const env = loadEnv();
  return {
    'users-permissions': {
      config: { jwtSecret: env.JWT_SECRET },
    },
    graphql: {
      config: {
        endpoint: '/graphql',
        shadowCRUD: true,
        // Article -> sections -> heroImage -> asset -> formats is 5 deep; 10 leaves room without
        // letting a query recurse through relations without bound.
        depthLimit: 10,
        amountLimit: PAGE_SIZE.max,
        defaultLimit: PAGE_SIZE.default,
        maxLimit: PAGE_SIZE.max,
        landingPage: env.NODE_ENV !== 'production',
        // cors: false drops the plugin's own allow-all CORS, so /graphql follows CORS_ORIGINS
        // through the global strapi::cors middleware like every other route.
        apolloServer: {
          introspection: env.NODE_ENV !== 'production',
          // Automatic persisted queries in the database, shared by every process (src/graphql/persisted-queries.ts).
          persistedQueries: { cache: new SharedPersistedQueries(() => strapi) },
          // Errors never carry a stack trace, in any environment.
          includeStacktraceInErrorResponses: false,
          cors: false,
          // Apollo's cache-control plugin times every field of every answer for @cacheControl hints
          // this schema never gives; without it a story query resolves about a fifth faster. (The
          // plugin's config merge appends this to its own plugins.)
          // A field that failed because the database is down makes the answer a 503 (src/errors/graphql-outage.ts).
          // Variables nested past 64 levels are a 400 before they are coerced (src/graphql/variables-limit.ts);
          // so is an operation that could return more than 25,000 objects (src/graphql/result-size.ts).
          // A GET's answer with data and no errors is tagged for the read cache (src/cache/graphql-tags.ts).
          plugins: [
            ApolloServerPluginCacheControlDisabled(),
            databaseOutageAsServiceUnavailable(),
            variablesLimit(),
            resultSizeLimit({ defaultLimit: PAGE_SIZE.default, maxLimit: PAGE_SIZE.max }),
            graphqlCacheTags(),
          ],
          // A document is parsed with a bound on its tokens, and validated in two passes: GraphQL's
          // own rules with Apollo's bound on selections counted through fragments (safe on cycles)
          // first; only a document that passes them meets the depth limit (the plugin's, replaced
          // by a walk without recursion: src/graphql/depth-limit.ts) and our document limits
          // (src/content-api/graphql-limits.ts). (Apollo runs `validationRules` in that second
          // pass whenever `maxRecursiveSelections` is set.)
          parseOptions: { maxTokens: MAX_TOKENS },
          maxRecursiveSelections: MAX_RECURSIVE_SELECTIONS,
          // Aliases, root fields and document size bounded; appended to the plugin's depth limit.
          validationRules: [documentLimits()],
        },
      },
    },
    upload: {
      config: {
        // UPLOAD_PROVIDER=s3: files and their formats on an S3-compatible bucket (src/uploads/s3.ts).
        ...(env.UPLOAD_PROVIDER === 's3' ? s3UploadProvider(env) : {}),
        // The media library's own checks, behind src/middlewares/upload-guard.ts (which refuses
        // anything but these images by their bytes first): the same size and the same types.
        sizeLimit: env.UPLOAD_MAX_BYTES,
        security: {
          allowedTypes: Object.keys(IMAGE_TYPES),
          deniedTypes: ['image/svg+xml', 'text/html', 'application/xhtml+xml', 'application/javascript', 'application/x-msdownload'],
        },
      },
    },
  };
};
