/**
 * Stable tags for changes, as rebuild webhooks send them: the names a Next.js `revalidateTag`
 * handler or a site's own cache uses. (The read cache and its Surrogate-Key header use
 * `doc:<documentId>` and `list:<type>` instead, see src/cache/policy.ts.)
 *
 *   article:<documentId>            one article, every locale
 *   articles:<locale>               lists of articles in a locale (home, section pages)
 *   entity:<slug>                   an entity (its page, and what shows it)
 *   image:<documentId>              an image
 */
import { ARTICLE_UID, type ContentChange } from './types';

export function tagsFor(changes: readonly ContentChange[]): string[] {
  const tags = new Set<string>();
  for (const c of changes) {
    if (c.contentType === ARTICLE_UID) {
      tags.add(`article:${c.documentId}`);
      tags.add(`articles:${c.locale ?? 'all'}`);
    } else if (c.contentType === 'api::entity.entity') {
      if (c.slug) tags.add(`entity:${c.slug}`);
    } else {
      tags.add(`image:${c.documentId}`);
    }
    for (const a of c.affected) tags.add(`article:${a.documentId}`);
  }
  return [...tags].sort();
}
