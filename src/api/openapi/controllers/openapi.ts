import type { Core } from '@strapi/strapi';
import { openApiDocument } from '../../../openapi/document';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  // The routes and models are fixed while the process runs: built once.
  let built: Promise<Record<string, unknown>> | undefined;
  return {
    async document(ctx: { body: unknown; set: (name: string, value: string) => void }) {
      built ??= openApiDocument(strapi).catch((error) => {
        built = undefined;
        throw error;
      });
      ctx.set('Cache-Control', 'public, max-age=300');
      ctx.body = await built;
    },
  };
};
