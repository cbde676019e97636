import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

/** The site's default locale, which Strapi uses when a request names none. */
export const defaultLocale = (strapi: Core.Strapi): Promise<string> => strapi.plugin('i18n').service('locales').getDefaultLocale();

/** A 400 naming `locale` when the site has no such locale. */
export async function assertSiteLocale(strapi: Core.Strapi, locale: string): Promise<void> {
  if (!(await strapi.plugin('i18n').service('locales').findByCode(locale))) {
    throw new errors.ValidationError(`locale ${locale} is not a locale of this site`, { source: 'query', param: 'locale' });
  }
}
