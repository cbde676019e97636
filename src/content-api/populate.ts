/**
 * Default REST shapes, used when the client names no `populate`: everything a story page needs
 * in one call.
 */
export const ARTICLE_POPULATE = {
  sections: true,
  updates: true,
  authors: true,
  heroImage: { populate: { asset: true, depicts: true } },
  entities: true,
  localizations: { fields: ['locale', 'slug', 'title'] },
} as const;

export const IMAGE_POPULATE = {
  asset: true,
  depicts: true,
} as const;
