/**
 * What a `standard` target receives (and a `github-dispatch` target as its client_payload): the
 * changes, the site paths they alter and stable cache tags. Receivers can import the type:
 *
 *   import type { RebuildPayload } from 'newsroom-cms/src/rebuild/payload';
 *
 * Over 20 KB, paths and tags are dropped and changes keep their ids only; `truncated` says so,
 * and the receiver should revalidate everything.
 */
import { z } from 'zod';
import { ARTICLE_UID, CHANGE_ACTIONS, tagsFor, type ContentChange } from '../changes';
import type { RebuildSettings } from './settings';

export const MAX_PAYLOAD_BYTES = 20 * 1024;

export const changeRefSchema = z.strictObject({
  action: z.enum(CHANGE_ACTIONS),
  contentType: z.string(),
  documentId: z.string(),
  locale: z.string().nullable(),
  slug: z.string().nullable().optional(),
  /** the slug before the change, when it moved (the old page now redirects) */
  previousSlug: z.string().optional(),
});

export const rebuildPayloadSchema = z.strictObject({
  type: z.enum(['content.changed', 'webhook.test']),
  timestamp: z.iso.datetime(),
  data: z.strictObject({
    changes: z.array(changeRefSchema),
    paths: z.array(z.string()),
    tags: z.array(z.string()),
    truncated: z.boolean(),
  }),
});

export type RebuildPayload = z.infer<typeof rebuildPayloadSchema>;
export type PathPatterns = RebuildSettings['pathPatterns'];

/** A path pattern with its {placeholders} filled in; null when a value is missing or there is no pattern. */
export function renderPath(pattern: string | undefined, values: Record<string, string | null>): string | null {
  if (!pattern) return null;
  let missing = false;
  const path = pattern.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === null || value === undefined) missing = true;
    return encodeURIComponent(value ?? '');
  });
  return missing ? null : path;
}

/** The site paths the changes alter, from the URL patterns per type. */
export function pathsFor(changes: readonly ContentChange[], patterns: PathPatterns): string[] {
  const paths = new Set<string>();
  const add = (p: string | null) => p && paths.add(p);
  for (const c of changes) {
    if (c.contentType === ARTICLE_UID) add(renderPath(patterns.articles, { locale: c.locale }));
    if (c.contentType === 'api::entity.entity') add(renderPath(patterns.entity, { slug: c.slug, documentId: c.documentId }));
    // A moved page: the old path now redirects, and the site's copy of it must go.
    if (c.previousSlug) {
      const type = c.contentType === ARTICLE_UID ? 'article' : c.contentType === 'api::entity.entity' ? 'entity' : null;
      if (type) add(renderPath(patterns[type], { locale: c.locale, slug: c.previousSlug, documentId: c.documentId }));
    }
    for (const a of c.affected) add(renderPath(patterns.article, { locale: a.locale, slug: a.slug, documentId: a.documentId }));
  }
  return [...paths].sort();
}

export function buildPayload(
  changes: readonly ContentChange[],
  options: { test: boolean; patterns: PathPatterns; timestamp: Date },
): RebuildPayload {
  const full: RebuildPayload = {
    type: options.test ? 'webhook.test' : 'content.changed',
    timestamp: options.timestamp.toISOString(),
    data: {
      changes: changes.map(({ action, contentType, documentId, locale, slug, previousSlug }) => ({
        action,
        contentType,
        documentId,
        locale,
        slug,
        ...(previousSlug ? { previousSlug } : {}),
      })),
      paths: pathsFor(changes, options.patterns),
      tags: tagsFor(changes),
      truncated: false,
    },
  };
  if (Buffer.byteLength(JSON.stringify(full)) <= MAX_PAYLOAD_BYTES) return full;
  const idsOnly: RebuildPayload = {
    ...full,
    data: {
      changes: changes.map(({ action, contentType, documentId, locale }) => ({ action, contentType, documentId, locale })),
      paths: [],
      tags: [],
      truncated: true,
    },
  };
  if (Buffer.byteLength(JSON.stringify(idsOnly)) <= MAX_PAYLOAD_BYTES) return idsOnly;
  return { ...idsOnly, data: { ...idsOnly.data, changes: [] } };
}
