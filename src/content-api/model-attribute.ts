import type { Core } from '@strapi/strapi';

/** What the app reads of a Strapi model attribute (relations, components, media, scalars). */
export interface ModelAttribute {
  type: string;
  relation?: string;
  target?: string;
  component?: string;
  repeatable?: boolean;
  multiple?: boolean;
  private?: boolean;
  enum?: string[];
  maxLength?: number;
  minLength?: number;
  required?: boolean;
  description?: string;
}

interface ModelOptions {
  options?: { draftAndPublish?: boolean };
  pluginOptions?: { i18n?: { localized?: boolean } };
}

const modelOf = (strapi: Core.Strapi, uid: string) => strapi.getModel(uid as never) as unknown as ModelOptions;

/** Whether documents of `uid` have a row per locale. */
export const isLocalized = (strapi: Core.Strapi, uid: string): boolean => Boolean(modelOf(strapi, uid).pluginOptions?.i18n?.localized);

/** Whether documents of `uid` have a draft beside their published row (draft & publish). */
export const hasDrafts = (strapi: Core.Strapi, uid: string): boolean => Boolean(modelOf(strapi, uid).options?.draftAndPublish);
