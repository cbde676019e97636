/**
 * Rules Strapi's schema cannot say for an Article, on every write through the Document Service
 * (admin, REST, GraphQL): a slug in the URL format, on drafts too; a dateline that is not absurd, an embargo that ends after it starts, and
 * `lastUpdatedAt` derived from the public log of updates (never taken from the client). Each rule
 * is a 400 naming its field.
 */
import { errors } from '@strapi/utils';
import { AGENCY_FIELDS, mayWriteAgencyFields } from '../../../ingest/agency-fields';

const EARLIEST_DATELINE = '1900-01-01';
/** As in the schema; Strapi checks it on publish only, editors hear of it on every save. */
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const YEAR_MS = 366 * 24 * 60 * 60 * 1000;

function fieldError(field: string | string[], message: string): never {
  const path = ([] as string[]).concat(field);
  const name = path.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : `${i ? '.' : ''}${p}`)).join('');
  throw new errors.ValidationError(`${name} ${message}`, { errors: [{ path, message, name: 'ValidationError' }] });
}

/**
 * The log of updates as an editor leaves it: an entry without a time is stamped now (adding a
 * correction is one click), an entry without a note is refused.
 */
function completeUpdates(updates: unknown, now: number): void {
  if (!Array.isArray(updates)) return;
  updates.forEach((entry: Record<string, unknown> | null, i) => {
    if (!entry || typeof entry !== 'object') return;
    if (typeof entry.note !== 'string' || entry.note.trim() === '') fieldError(['updates', String(i), 'note'], 'is required: say what changed');
    if (entry.at === null || entry.at === undefined || entry.at === '') entry.at = new Date(now).toISOString();
  });
}

const time = (value: unknown): number | null => {
  if (value === null || value === undefined || value === '') return null;
  const t = new Date(value as string).getTime();
  return Number.isNaN(t) ? null : t;
};

/** The latest `at` of the log, or null for an empty log. */
export function lastUpdatedAtOf(updates: unknown): string | null {
  if (!Array.isArray(updates)) return null;
  const times = updates.map((u) => time((u as { at?: unknown } | null)?.at)).filter((t): t is number => t !== null);
  return times.length > 0 ? new Date(Math.max(...times)).toISOString() : null;
}

/** What is stored already, for rules that compare two fields of which a write may send one. */
export interface StoredArticle {
  publishAt?: string | null;
  unpublishAt?: string | null;
}

export function checkArticleInput(data: Record<string, unknown> | undefined, stored: StoredArticle | null, now = Date.now()): void {
  if (!data) return;
  if (typeof data.slug === 'string' && data.slug !== '' && !SLUG.test(data.slug)) {
    fieldError('slug', 'must be lower-case letters and digits joined by single hyphens, e.g. us-warns-allies');
  }
  if ('dateline' in data && data.dateline !== null && data.dateline !== undefined) {
    // Not a date at all: Strapi's own validator says which format it wants.
    const dateline = time(data.dateline);
    if (dateline !== null && dateline < time(EARLIEST_DATELINE)!) fieldError('dateline', 'must not be before 1900');
    if (dateline !== null && dateline > now + YEAR_MS) fieldError('dateline', 'must not be more than a year ahead');
  }
  const publishAt = 'publishAt' in data ? time(data.publishAt) : time(stored?.publishAt);
  const unpublishAt = 'unpublishAt' in data ? time(data.unpublishAt) : time(stored?.unpublishAt);
  if (publishAt !== null && unpublishAt !== null && publishAt >= unpublishAt) {
    fieldError('publishAt', 'must be before unpublishAt');
  }
  // Derived, never written by hand: only a change to the log moves it; the first publish sets firstPublishedAt.
  delete data.lastUpdatedAt;
  delete data.firstPublishedAt;
  // The agency's word on an ingested item is src/ingest's to write, never an editor's.
  if (!mayWriteAgencyFields()) for (const field of AGENCY_FIELDS) delete data[field];
  if ('updates' in data) {
    completeUpdates(data.updates, now);
    data.lastUpdatedAt = lastUpdatedAtOf(data.updates);
  }
}
