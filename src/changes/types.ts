/**
 * What the change feed says about one successful write: which public document changed, how, and
 * which published articles it alters. Consumers (rebuild webhooks, cache invalidation, scheduling,
 * feeds) act on these records and never work out on their own what a write changed.
 */

/** The content types whose writes the feed watches. */
export const WATCHED_TYPES = {
  'api::article.article': 'article',
  'api::entity.entity': 'entity',
  'api::image.image': 'image',
} as const;

export type WatchedUid = keyof typeof WATCHED_TYPES;
export type WatchedType = (typeof WATCHED_TYPES)[WatchedUid];

export const ARTICLE_UID = 'api::article.article';

/**
 * - `publish`: a document became public (an article published in a locale; an entity or image created)
 * - `update-published`: public content changed (an article republished; an entity or image edited)
 * - `unpublish`: an article's public version was withdrawn in a locale
 * - `delete`: a public document was deleted
 */
export const CHANGE_ACTIONS = ['publish', 'update-published', 'unpublish', 'delete'] as const;
export type ChangeAction = (typeof CHANGE_ACTIONS)[number];

/** A published article whose public rendering a change alters. */
export interface AffectedArticle {
  contentType: typeof ARTICLE_UID;
  documentId: string;
  locale: string | null;
  slug: string | null;
}

export interface ContentChange {
  action: ChangeAction;
  contentType: WatchedUid;
  documentId: string;
  /** null for types that are not localized (entities, images) */
  locale: string | null;
  slug: string | null;
  /** the public slug before this change, when the change moved it (an article republished, an entity renamed) */
  previousSlug?: string;
  /**
   * articles only: when the locale was first published, as it stood before this write (ISO); null
   * when this write is the locale's first publish (the feed's consumer stamps it then)
   */
  firstPublishedAt?: string | null;
  /** the published articles this change alters; for an article, the article itself */
  affected: AffectedArticle[];
}

/**
 * One successful Document Service write of a watched type, public or not: what subscribers that
 * ask for every write (version history) receive. `changes` are the public changes it produced
 * (none for a draft save).
 */
export interface DocumentWrite {
  action: 'create' | 'update' | 'delete' | 'publish' | 'unpublish' | 'discardDraft';
  contentType: WatchedUid;
  documentId: string;
  /** the locales the write touched (articles); [null] for types that are not localized */
  locales: (string | null)[];
  /** the locales with a public version after the write ([null] for types without drafts, unless deleted) */
  live: (string | null)[];
  by: import('./actor').Actor;
  /** what the writer said about it (`writingAs`), e.g. "Restored version 12" */
  note?: string;
  changes: ContentChange[];
}

export const isWatched = (uid: string): uid is WatchedUid => uid in WATCHED_TYPES;

/**
 * A change of a setting that alters every public answer rather than some documents:
 * - `public-permissions`: a role or permission of users-permissions was written (what the Public
 *   role, or any end-user role, may read)
 * - `default-locale`: the site's default locale, which every read that names no locale uses
 */
/** `entities`: any write of an entity (draft or published, through the Document Service or the query engine), which the vocabulary kept per process (src/ingest/suggest.ts) is built from. */
export type SiteChangeReason = 'public-permissions' | 'default-locale' | 'entities';

export interface SiteChange {
  reason: SiteChangeReason;
  /** Whether it can alter every public answer (permissions, the default locale); an entity's write does not (its documents' changes name what it alters). */
  everyAnswer: boolean;
}
