import { factories } from '@strapi/strapi';

export default factories.createCoreRouter('api::entity.entity', {
  config: {
    find: { middlewares: ['global::read-query'] },
    findOne: { middlewares: ['global::read-query'] },
  },
});
