/**
 * The app's register/bootstrap: thin, each step lives in a named module.
 */
import type { Core } from '@strapi/strapi';
import { seedStory } from '../database/seed';
import { registerGraphqlDraftAccess } from './content-api/graphql-draft-access';
import { writeValidation } from './content-api/write-validation';
import { appRoot, loadEnv } from './env';
import { ensureAccounts } from './setup/accounts';
import { applyEditorLayouts } from './setup/editor-layouts';
import { ensureEditorRights } from './setup/editor-role';
import { ensureLocales } from './setup/locales';
import { reconcilePublicAccess } from './setup/public-access';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    strapi.documents.use(writeValidation(strapi));
    registerGraphqlDraftAccess(strapi);
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    const env = loadEnv();
    await ensureLocales(strapi);
    await reconcilePublicAccess(strapi);
    await applyEditorLayouts(strapi);
    await ensureEditorRights(strapi);
    await ensureAccounts(strapi, env);
    if (env.SEED_STORY) {
      const result = await seedStory(strapi, appRoot);
      if (result.created.article) strapi.log.info(`[seed] seeded the story (${result.articleDocumentId})`);
    }
  },
};
