import { factories } from '@strapi/strapi';
import { IMAGE_POPULATE } from '../../../content-api/populate';
import { readRoutesConfig } from '../../../content-api/read-routes';

export default factories.createCoreRouter('api::image.image', { config: readRoutesConfig('api::image.image', IMAGE_POPULATE) });
