/** The locales the newsroom publishes in; `en` is the default. */
import type { Core } from '@strapi/strapi';

export const DEFAULT_LOCALE = 'en';
export const LOCALES = ['en', 'zh-Hans', 'ru', 'uk'] as const;

interface IsoLocale {
  code: string;
  name: string;
}

export async function ensureLocales(strapi: Core.Strapi): Promise<void> {
  const i18n = strapi.plugin('i18n');
  const locales = i18n.service('locales');
  const isoLocales: IsoLocale[] = i18n.service('iso-locales').getIsoLocales();

  for (const code of LOCALES) {
    if (await locales.findByCode(code)) continue;
    const iso = isoLocales.find((l) => l.code === code);
    await locales.create({ code, name: iso?.name ?? code });
    strapi.log.info(`[setup] created locale ${code}`);
  }
  if ((await locales.getDefaultLocale()) !== DEFAULT_LOCALE) {
    await locales.setDefaultLocale({ code: DEFAULT_LOCALE });
  }
}
