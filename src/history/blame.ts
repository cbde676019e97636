/**
 * Per-field blame: for each field of the newest version (and each item of a repeatable component,
 * `sections.0`...), the version that last changed it — the first of the unbroken run of versions
 * holding the value it has now — with who and when. Read from the stored field hashes only.
 */
import type { Actor } from '../changes';
import type { VersionRow } from './store';

export interface BlameLine {
  field: string;
  versionId: number;
  by: Actor;
  savedAt: string;
  action: string;
}

export function blame(oldestFirst: readonly VersionRow[]): BlameLine[] {
  const newest = oldestFirst[oldestFirst.length - 1];
  if (!newest?.fieldHashes) return [];
  return Object.keys(newest.fieldHashes).map((field) => {
    const value = newest.fieldHashes?.[field];
    let since = newest;
    for (let i = oldestFirst.length - 2; i >= 0; i--) {
      if (oldestFirst[i].fieldHashes?.[field] !== value) break;
      since = oldestFirst[i];
    }
    return { field, versionId: since.id, by: since.by, savedAt: since.savedAt, action: since.action };
  });
}
