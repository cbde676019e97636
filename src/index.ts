/**
 * The app's register/bootstrap: thin, each step lives in a named module.
 */
import type { Core } from '@strapi/strapi';
import { registerReadCache, startReadCache, stopReadCache } from './cache';
import { changeFeedMiddleware, watchSiteSettings } from './changes';
import { cacheAnonymousAbility } from './content-api/anonymous-ability';
import { keepDefaultLocale } from './content-api/default-locale';
import { startKept, stopKept } from './content-api/kept';
import { registerGraphqlDraftAccess } from './content-api/graphql-draft-access';
import { guardUploadReads } from './content-api/upload-reads';
import { writeValidation } from './content-api/write-validation';
import { registerDistribution } from './distribution';
import { registerHistory, startHistory } from './history';
import { registerImageRights } from './image-rights';
import { registerIngest, startIngest } from './ingest';
import { editConflictGuard } from './edit-conflicts';
import { installErrorBoundary } from './errors/boundary';
import { leaveOutBrokenFields } from './graphql/broken-fields';
import { replacePluginDepthLimit } from './graphql/depth-limit';
import { hidePersistedQueries } from './graphql/persisted-queries';
import { registerOutageAuth } from './errors/outage-auth';
import { loadEnv } from './env';
import { stopRateLimit } from './middlewares/rate-limit';
import { replaceStrapiCors } from './http/cors';
import { installGracefulShutdown } from './http/shutdown';
import { installPoolGuard } from './database-guard/pool';
import { guardConnectionInit } from './pg/connection-init';
import { registerBatchedGraphql } from './reads/graphql';
import { cacheSqliteStatements } from './reads/sqlite-statements';
import { registerRebuild, startRebuild, stopRebuild } from './rebuild';
import { registerSchedule, startSchedule } from './schedule';
import { runSetup } from './setup';
import { registerSearch, startSearch } from './search';
import { keepVocabulary } from './ingest/suggest';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    const env = loadEnv();
    if (env.DATABASE_CLIENT === 'sqlite') cacheSqliteStatements();
    else guardConnectionInit(strapi);
    // Requests wait briefly for a connection, content requests share part of the pool, and no statement outlives its request.
    installPoolGuard(strapi, env);
    installErrorBoundary(strapi);
    replaceStrapiCors(strapi);
    guardUploadReads(strapi);
    registerOutageAuth(strapi);
    cacheAnonymousAbility(strapi);
    keepDefaultLocale(strapi);
    keepVocabulary(strapi);
    // First: a save made from a stale version is refused before anything else runs.
    strapi.documents.use(editConflictGuard(strapi));
    strapi.documents.use(writeValidation(strapi));
    registerSchedule(strapi);
    registerImageRights(strapi);
    // After validation: only writes that will be made reach the change feed.
    strapi.documents.use(changeFeedMiddleware(strapi));
    watchSiteSettings(strapi);
    registerDistribution(strapi);
    registerSearch(strapi);
    registerHistory(strapi, env);
    registerIngest(strapi);
    registerGraphqlDraftAccess(strapi);
    registerBatchedGraphql(strapi);
    leaveOutBrokenFields(strapi);
    hidePersistedQueries(strapi);
    replacePluginDepthLimit(strapi.plugin('graphql').config('depthLimit') as number);
    registerRebuild(strapi, env);
    registerReadCache(strapi, env);
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    const env = loadEnv();
    await runSetup(strapi, env);
    await startSearch(strapi, env);
    startRebuild(strapi);
    startSchedule(strapi, env);
    startHistory(strapi, env);
    await startIngest(strapi, env);
    await startReadCache(strapi);
    await startKept(strapi);
    installGracefulShutdown(strapi, env);
  },

  async destroy({ strapi }: { strapi: Core.Strapi }) {
    await Promise.all([stopRebuild(strapi), stopReadCache(strapi), stopKept(strapi), stopRateLimit(strapi)]);
  },
};
