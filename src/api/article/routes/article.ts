import { factories } from '@strapi/strapi';
import { ARTICLE_POPULATE } from '../../../content-api/populate';
import { readRoutesConfig } from '../../../content-api/read-routes';

export default factories.createCoreRouter('api::article.article', { config: readRoutesConfig('api::article.article', ARTICLE_POPULATE) });
