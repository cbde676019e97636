/**
 * The app's register/bootstrap: thin, each step lives in a named module.
 */
import type { Core } from '@strapi/strapi';
import { registerGraphqlDraftAccess } from './content-api/graphql-draft-access';
import { writeValidation } from './content-api/write-validation';
import { loadEnv } from './env';
import { runSetup } from './setup';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    strapi.documents.use(writeValidation(strapi));
    registerGraphqlDraftAccess(strapi);
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await runSetup(strapi, loadEnv());
  },
};
