/**
 * The newsroom's entities as search looks them up, made once per version of the vocabulary
 * (src/ingest/suggest.ts keeps it per process while the entities table is unchanged): each
 * folded name and alias → its entities (the boost: a query naming one), and every folded word of a
 * name in order (suggestions by prefix, a binary search). A request costs lookups, not a pass over
 * every entity (20,000 in the synthetic archive).
 */
import type { VocabularyEntry } from '../ingest/suggest';
import { tokenize } from './analyse';

export interface EntityNames {
  byName: Map<string, string[]>;
  bySlug: Map<string, VocabularyEntry>;
  byId: Map<string, VocabularyEntry>;
  /** [folded word of a name, entry index], sorted by word */
  words: Array<[string, number]>;
  entries: VocabularyEntry[];
}

const made = new WeakMap<VocabularyEntry[], EntityNames>();

const folded = (name: string) =>
  tokenize(name, 'en')
    .map((t) => t.word)
    .join(' ');

export function entityNames(vocabulary: VocabularyEntry[]): EntityNames {
  let names = made.get(vocabulary);
  if (names) return names;
  const byName = new Map<string, string[]>();
  const words: Array<[string, number]> = [];
  vocabulary.forEach((e, i) => {
    for (const name of [e.name, ...e.aliases]) {
      const f = folded(name);
      if (f.length < 2) continue;
      byName.set(f, [...(byName.get(f) ?? []), e.documentId]);
      for (const w of new Set(f.split(' '))) words.push([w, i]);
      // The whole name too, so "xi j" finds Xi Jinping.
      if (f.includes(' ')) words.push([f, i]);
    }
  });
  words.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
  names = { byName, words, entries: vocabulary, bySlug: new Map(vocabulary.map((e) => [e.slug, e])), byId: new Map(vocabulary.map((e) => [e.documentId, e])) };
  made.set(vocabulary, names);
  return names;
}

/** Entities whose name or an alias is the query's words or a run of them (up to 5 words). */
export function namedEntities(words: string[], names: EntityNames): string[] {
  const list = words.join(' ').split(' ').filter(Boolean);
  const out = new Set<string>();
  for (let i = 0; i < list.length; i++)
    for (let j = i + 1; j <= Math.min(list.length, i + 5); j++) for (const id of names.byName.get(list.slice(i, j).join(' ')) ?? []) out.add(id);
  return [...out];
}

/** Entries with a name word (or whole name) starting with `prefix`, at most `limit`, shortest names first. */
export function entitiesByPrefix(prefix: string, names: EntityNames, limit: number): VocabularyEntry[] {
  if (!prefix) return [];
  let lo = 0;
  let hi = names.words.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (names.words[mid][0] < prefix) lo = mid + 1;
    else hi = mid;
  }
  const found = new Set<number>();
  // Enough candidates to pick the shortest names among them.
  for (let i = lo; i < names.words.length && names.words[i][0].startsWith(prefix) && found.size < limit * 20; i++) found.add(names.words[i][1]);
  return [...found]
    .map((i) => names.entries[i])
    .sort((a, b) => a.name.length - b.name.length || a.name.localeCompare(b.name))
    .slice(0, limit);
}
