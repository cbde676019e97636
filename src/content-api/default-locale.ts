import type { Core } from '@strapi/strapi';

/** The site's default locale, which Strapi uses when a request names none. */
export const defaultLocale = (strapi: Core.Strapi): Promise<string> => strapi.plugin('i18n').service('locales').getDefaultLocale();
