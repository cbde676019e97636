import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { keptUntilChanged } from './kept';

interface LocalesService {
  getDefaultLocale(): Promise<string>;
  findByCode(code: string): Promise<unknown>;
}

const locales = (strapi: Core.Strapi) => strapi.plugin('i18n').service('locales') as LocalesService;

/** The site's default locale, which Strapi uses when a request names none. */
export const defaultLocale = (strapi: Core.Strapi): Promise<string> => locales(strapi).getDefaultLocale();

/**
 * i18n reads the default locale from the core store on every call, and Strapi calls it on every
 * read that names no locale (one statement each). Here each process keeps it until the change
 * feed announces a new default locale (content-api/kept.ts); every caller of the service gets the
 * kept value.
 */
export function keepDefaultLocale(strapi: Core.Strapi): void {
  const service = locales(strapi);
  const read = service.getDefaultLocale.bind(service);
  const kept = keptUntilChanged<string>(strapi, 'default-locale', 'default-locale');
  service.getDefaultLocale = () => kept.get(read);
}

/** A 400 naming `locale` when the site has no such locale. */
export async function assertSiteLocale(strapi: Core.Strapi, locale: string): Promise<void> {
  if (!(await locales(strapi).findByCode(locale))) {
    throw new errors.ValidationError(`locale ${locale} is not a locale of this site`, { source: 'query', param: 'locale' });
  }
}
