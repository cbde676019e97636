/**
 * Input rules Strapi's schemas cannot express, per content type, run on every create and update
 * through the Document Service (REST, GraphQL and the admin alike). A rule throws Strapi's
 * ValidationError, which every API answers as a 400 naming the field; nothing is written.
 */
import type { Core, Modules } from '@strapi/strapi';
import { validateEntityInput } from '../api/entity/validation/entity-input';
import { validateImageInput } from '../api/image/validation/image-input';

type Data = Record<string, unknown> | undefined;

const RULES: Record<string, (strapi: Core.Strapi, data: Data) => void | Promise<void>> = {
  'api::entity.entity': (_strapi, data) => validateEntityInput(data),
  'api::image.image': validateImageInput,
};

export function writeValidation(strapi: Core.Strapi): Modules.Documents.Middleware.Middleware {
  return async (ctx, next) => {
    const rule = RULES[ctx.uid];
    if (rule && (ctx.action === 'create' || ctx.action === 'update')) {
      await rule(strapi, (ctx.params as { data?: Data }).data);
    }
    return next();
  };
}
