import { factories } from '@strapi/strapi';
import { IMAGE_POPULATE } from '../../../content-api/populate';

const readMiddlewares = [
  'global::read-query',
  { name: 'global::default-populate', config: { populate: IMAGE_POPULATE } },
];

export default factories.createCoreRouter('api::image.image', {
  config: {
    find: { middlewares: readMiddlewares },
    findOne: { middlewares: readMiddlewares },
  },
});
