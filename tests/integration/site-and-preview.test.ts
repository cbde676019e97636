/**
 * What the site's frontends see, on one boot (each module in site-and-preview/ was a test file
 * with a boot of its own): CORS for the site and the preview origins and the security headers,
 * the admin's Preview of a draft on the site, then what the site distributes (bylines, slug
 * history, structured data, feeds, sitemaps, the resolver). useStrapi refuses a module whose
 * settings differ from these.
 */
import { gather, useStrapi } from '../helpers/strapi';

const SITE = 'https://www.example.com';
useStrapi({
  env: {
    CORS_ORIGINS: `${SITE},https://preview.example.com`,
    PREVIEW_URL: SITE,
    PREVIEW_SECRET: 'preview-secret-for-tests-0123456789abcdef',
    SITE_URL: SITE,
    SITE_NAME: 'The Example Times',
    SITE_LOGO_URL: `${SITE}/logo.png`,
  },
});

describe('CORS and security headers (http-headers)', gather(__dirname, 'site-and-preview/http-headers'));
describe('preview (preview)', gather(__dirname, 'site-and-preview/preview'));
describe('distribution (distribution)', gather(__dirname, 'site-and-preview/distribution'));
