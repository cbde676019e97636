import { factories } from '@strapi/strapi';
import { readRoutesConfig } from '../../../content-api/read-routes';

export default factories.createCoreRouter('api::entity.entity', { config: readRoutesConfig('api::entity.entity') });
