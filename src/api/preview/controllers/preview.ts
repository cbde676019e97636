import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { defaultLocale } from '../../../content-api/default-locale';
import { ARTICLE_POPULATE } from '../../../content-api/populate';
import { loadEnv } from '../../../env';
import { PUBLIC_READER } from '../../../content-api/public-reader';
import { checkPreviewToken } from '../../../preview/token';

const ARTICLE = 'api::article.article';

interface Ctx {
  params: { documentId: string };
  query: Record<string, unknown>;
  body: unknown;
  set(name: string, value: string): void;
}

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async article(ctx: Ctx) {
    const env = loadEnv();
    if (!env.PREVIEW_URL || !env.PREVIEW_SECRET) throw new errors.NotFoundError('Preview is not configured on this server');
    ctx.set('Cache-Control', 'private, no-store');
    const { documentId } = ctx.params;
    const locale = typeof ctx.query.locale === 'string' ? ctx.query.locale : await defaultLocale(strapi);
    const verdict = checkPreviewToken(ctx.query.token, { documentId, locale }, env.PREVIEW_SECRET);
    if (verdict === 'invalid') throw new errors.UnauthorizedError('A valid preview token is required');
    if (verdict === 'expired') throw new errors.ForbiddenError('The preview token has expired: open Preview again');
    if (verdict === 'other') throw new errors.ForbiddenError('The preview token is for another article or locale');

    const draft = await strapi.documents(ARTICLE).findOne({ documentId, locale, status: 'draft', populate: ARTICLE_POPULATE as never });
    if (!draft) throw new errors.NotFoundError('No draft of this article in this locale');
    const data = await strapi.contentAPI.sanitize.output(draft, strapi.getModel(ARTICLE), { auth: PUBLIC_READER as never });
    ctx.body = { data, meta: { preview: true } };
  },
});
