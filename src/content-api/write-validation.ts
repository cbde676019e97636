/**
 * Input rules Strapi's schemas cannot express, per content type, run on every create and update
 * through the Document Service (REST, GraphQL and the admin alike). A rule throws Strapi's
 * ValidationError, which every API answers as a 400 naming the field; nothing is written. A rule
 * may also fill fields derived from the input (an article's lastUpdatedAt, an entity's label).
 */
import type { Core, Modules } from '@strapi/strapi';
import { checkArticleInput } from '../api/article/validation/article-input';
import { checkBylines } from '../api/article/validation/bylines';
import { checkEntityIdentity } from '../api/entity/validation/entity-identity';
import { validateEntityInput } from '../api/entity/validation/entity-input';
import { defaultLocale } from './default-locale';
import { validateImageInput } from '../api/image/validation/image-input';

type Data = Record<string, unknown> | undefined;
type Params = { documentId?: string; locale?: string };

const RULES: Record<string, (strapi: Core.Strapi, data: Data, params: Params) => void | Promise<void>> = {
  'api::article.article': async (strapi, data, { documentId, locale }) => {
    const needsStored = data && documentId && (('publishAt' in data) !== ('unpublishAt' in data));
    const stored = needsStored
      ? await strapi.db.query('api::article.article').findOne({ where: { documentId, locale: locale ?? (await defaultLocale(strapi)), publishedAt: null }, select: ['publishAt', 'unpublishAt'] })
      : null;
    checkArticleInput(data, stored);
    await checkBylines(strapi, data);
  },
  'api::entity.entity': async (strapi, data, { documentId }) => {
    validateEntityInput(data);
    await checkEntityIdentity(strapi, data, documentId);
  },
  'api::image.image': validateImageInput,
};

export function writeValidation(strapi: Core.Strapi): Modules.Documents.Middleware.Middleware {
  return async (ctx, next) => {
    const rule = RULES[ctx.uid];
    if (rule && (ctx.action === 'create' || ctx.action === 'update')) {
      await rule(strapi, (ctx.params as { data?: Data }).data, ctx.params as Params);
    }
    return next();
  };
}
