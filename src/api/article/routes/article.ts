import { factories } from '@strapi/strapi';
import { ARTICLE_POPULATE } from '../../../content-api/populate';

const readMiddlewares = [
  'global::read-query',
  { name: 'global::default-populate', config: { populate: ARTICLE_POPULATE } },
];

export default factories.createCoreRouter('api::article.article', {
  config: {
    find: { middlewares: readMiddlewares },
    findOne: { middlewares: readMiddlewares },
  },
});
