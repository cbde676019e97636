/**
 * The one vocabulary of cache tags: what the read cache evicts by, what answers carry in their
 * `Surrogate-Key` header (a CDN purges by the same words) and what rebuild webhooks send a site
 * (a Next.js `revalidateTag` handler). A change yields the tags of everything it alters; an answer
 * carries the tags of everything it shows.
 *
 *   doc:<documentId>                 one document (an article in every locale, an entity, an image)
 *   list:articles                    every list of articles, any locale (feeds, sitemaps, lists)
 *   list:articles:<locale>           the lists of articles of one locale
 *   list:entities, list:images       lists of entities, of images
 *   slug:article:<locale>:<slug>     what a site path of an article resolves to (page, redirect, gone)
 *   slug:entity:<slug>               what an entity's path resolves to
 */
import { ARTICLE_UID, WATCHED_TYPES, type ContentChange, type WatchedUid } from './types';

export const docTag = (documentId: string) => `doc:${documentId}`;
export const listTag = (type: 'articles' | 'entities' | 'images', locale?: string | null) => (locale ? `list:${type}:${locale}` : `list:${type}`);
export const slugTag = (kind: 'article' | 'entity', slug: string, locale?: string | null) =>
  kind === 'article' ? `slug:article:${locale ?? ''}:${slug}` : `slug:entity:${slug}`;

const LIST_OF = { article: 'articles', entity: 'entities', image: 'images' } as const;

/** The tag of every list of a watched type (`list:articles`, any locale). */
export const typeListTag = (uid: WatchedUid) => listTag(LIST_OF[WATCHED_TYPES[uid]]);

/** The tags of everything the changes alter, sorted. */
export function tagsFor(changes: readonly ContentChange[]): string[] {
  const tags = new Set<string>();
  for (const c of changes) {
    tags.add(docTag(c.documentId));
    tags.add(typeListTag(c.contentType));
    if (c.contentType === ARTICLE_UID) {
      if (c.locale) tags.add(listTag('articles', c.locale));
      for (const slug of [c.slug, c.previousSlug]) if (slug) tags.add(slugTag('article', slug, c.locale));
    } else if (c.contentType === 'api::entity.entity') {
      for (const slug of [c.slug, c.previousSlug]) if (slug) tags.add(slugTag('entity', slug));
    }
    for (const a of c.affected) {
      tags.add(docTag(a.documentId));
      // What shows an altered article: its locale's lists (a headline or hero image in a feed).
      if (a.locale) tags.add(listTag('articles', a.locale));
    }
  }
  return [...tags].sort();
}
