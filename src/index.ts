/**
 * The app's register/bootstrap: thin, each step lives in a named module.
 */
import type { Core } from '@strapi/strapi';
import { changeFeedMiddleware } from './changes';
import { registerGraphqlDraftAccess } from './content-api/graphql-draft-access';
import { writeValidation } from './content-api/write-validation';
import { loadEnv } from './env';
import { registerRebuild, startRebuild, stopRebuild } from './rebuild';
import { runSetup } from './setup';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    const env = loadEnv();
    strapi.documents.use(writeValidation(strapi));
    // After validation: only writes that will be made reach the change feed.
    strapi.documents.use(changeFeedMiddleware(strapi));
    registerGraphqlDraftAccess(strapi);
    registerRebuild(strapi, env);
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await runSetup(strapi, loadEnv());
    startRebuild(strapi);
  },

  async destroy({ strapi }: { strapi: Core.Strapi }) {
    await stopRebuild(strapi);
  },
};
