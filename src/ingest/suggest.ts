/**
 * Entities suggested from the newsroom's own vocabulary: a gazetteer over every entity's name,
 * aliases and Wikidata id. The codes an item carries (a Wikidata URI, a G2 qcode or ninjs code equal
 * to an entity's Wikidata id) are matched first; then names in the headline, standfirst, body and
 * captions, case- and diacritic-insensitive (short all-capital names such as `US` match only in
 * capitals, so the pronoun "us" is not the United States), on word boundaries, longest first
 * (`Joe Biden` before `Biden`; a possessive `China’s` is China), with how often and where first.
 */
import type { Core } from '@strapi/strapi';
import { keptUntilChanged, type Kept } from '../content-api/kept';
import { plainOf, type Block } from './blocks';
import type { IngestItem } from './item';

const ENTITY = 'api::entity.entity';

export interface VocabularyEntry {
  documentId: string;
  slug: string;
  name: string;
  kind: string;
  aliases: string[];
  wikidataId: string | null;
}

export interface KnownSuggestion {
  documentId: string;
  slug: string;
  name: string;
  kind: string;
  /** how it was found: a code the item carries, or its name in the text */
  via: 'code' | 'text';
  count: number;
  /** offset of the first mention in the item's text (headline, standfirst, body, captions joined by new lines); null when found by code only */
  firstOffset: number | null;
}

const kept = new WeakMap<Core.Strapi, Kept<VocabularyEntry[]>>();

/** Keeps the vocabulary in this process, and tells the others when an entity is written here (at register: a process that never reads it still tells). */
export function keepVocabulary(strapi: Core.Strapi): Kept<VocabularyEntry[]> {
  let vocabulary = kept.get(strapi);
  if (!vocabulary) kept.set(strapi, (vocabulary = keptUntilChanged<VocabularyEntry[]>(strapi, 'entity-vocabulary', 'entities')));
  return vocabulary;
}

/**
 * The vocabulary: every entity's name, aliases and Wikidata id, drafts included. Kept per process
 * until the change feed announces a write of an entity (`entities`, src/changes/site.ts): in this
 * process at once, in the others by PostgreSQL's NOTIFY (src/content-api/kept.ts), so an entity
 * created, renamed or deleted through any process is seen by the next item or search everywhere,
 * and a use costs nothing (it was an aggregate over the entities table: 1–2 ms at 20,000 entities,
 * on every search). A write by SQL past Strapi is not seen until a restart.
 */
export async function loadVocabulary(strapi: Core.Strapi): Promise<VocabularyEntry[]> {
  const vocabulary = keepVocabulary(strapi);
  return vocabulary.get(async () => {
    const rows = (await strapi.db.query(ENTITY).findMany({ select: ['documentId', 'slug', 'name', 'kind', 'aliases', 'wikidataId'] })) as Record<string, unknown>[];
    return rows.map((r) => ({
      documentId: String(r.documentId),
      slug: String(r.slug),
      name: String(r.name),
      kind: String(r.kind),
      aliases: Array.isArray(r.aliases) ? r.aliases.filter((a): a is string => typeof a === 'string') : [],
      wikidataId: (r.wikidataId as string | null) ?? null,
    }));
  });
}

const blockText = (b: Block): string => (b.type === 'list' ? b.children.map((li) => plainOf(li.children)).join('\n') : plainOf(b.children));

/** The text names are looked for in: headline, standfirst, every section (heading and body), captions. */
export function itemText(item: IngestItem): string {
  const parts = [item.headline, item.standfirst, ...item.sections.flatMap((s) => [s.heading, ...s.body.map(blockText)]), ...item.pictures.map((p) => p.caption)];
  return parts.filter((p): p is string => Boolean(p)).join('\n');
}

/** Folds one character: diacritics off, lower case, typographic apostrophes and dashes plain. */
const foldChar = (c: string) =>
  c
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
    .replace(/[‐‑‒–—]/g, '-');

/** The folded text and, for each folded position, the original offset. */
export function fold(text: string): { folded: string; offsets: number[] } {
  let folded = '';
  const offsets: number[] = [];
  let at = 0;
  for (const c of text) {
    const code = c.charCodeAt(0);
    // ASCII folds to itself in lower case (but the backtick, an apostrophe); the rest through Unicode.
    const f = code < 128 && c !== '`' ? (code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : c) : foldChar(c);
    for (let i = 0; i < f.length; i++) offsets.push(at);
    folded += f;
    at += c.length;
  }
  return { folded, offsets };
}

const WORD = /[\p{L}\p{N}]/u;
const isAcronym = (name: string) => name.length <= 5 && /^[\p{Lu}\p{N}.]+$/u.test(name) && /\p{Lu}/u.test(name);

export const wikidataIdOf = (value: string | undefined): string | null => (value ? /(?:wikidata\.org\/(?:wiki|entity)\/|^wd:)(Q[1-9]\d*)\b/.exec(value)?.[1] ?? (/^Q[1-9]\d*$/.test(value) ? value : null) : null);

const overlaps = (taken: boolean[], from: number, to: number) => {
  for (let i = from; i < to; i++) if (taken[i]) return true;
  return false;
};

interface Mention {
  start: number;
  end: number;
  entry: VocabularyEntry;
}

interface Name {
  name: string;
  entry: VocabularyEntry;
  key: string;
}

const compiled = new WeakMap<VocabularyEntry[], Name[]>();

/** Every name and alias of the vocabulary, folded, longest first (compiled once per vocabulary). */
function namesOf(vocabulary: VocabularyEntry[]): Name[] {
  let names = compiled.get(vocabulary);
  if (!names) {
    names = vocabulary.flatMap((entry) => [entry.name, ...entry.aliases].filter((n) => n.trim().length > 1).map((name) => ({ name, entry, key: fold(name.trim()).folded })));
    names.sort((a, b) => b.key.length - a.key.length);
    compiled.set(vocabulary, names);
  }
  return names;
}

/** Every mention of a vocabulary name in `text`, longest names first, none overlapping. */
export function findMentions(text: string, vocabulary: VocabularyEntry[]): Mention[] {
  const { folded, offsets } = fold(text);
  const names = namesOf(vocabulary);
  const taken: boolean[] = new Array(folded.length).fill(false);
  const mentions: Mention[] = [];
  for (const { name, entry, key } of names) {
    const exactCase = isAcronym(name);
    for (let at = folded.indexOf(key); at !== -1; at = folded.indexOf(key, at + 1)) {
      const end = at + key.length;
      if ((at > 0 && WORD.test(folded[at - 1])) || (end < folded.length && WORD.test(folded[end]))) continue;
      if (overlaps(taken, at, end)) continue;
      const start = offsets[at];
      const stop = end < offsets.length ? offsets[end] : text.length;
      if (exactCase && text.slice(start, stop) !== name) continue;
      for (let i = at; i < end; i++) taken[i] = true;
      mentions.push({ start, end: stop, entry });
    }
  }
  return mentions.sort((a, b) => a.start - b.start);
}

export function suggestKnown(item: IngestItem, vocabulary: VocabularyEntry[]): KnownSuggestion[] {
  const found = new Map<string, KnownSuggestion>();
  const byWikidata = new Map(vocabulary.filter((v) => v.wikidataId).map((v) => [v.wikidataId as string, v]));
  for (const concept of item.concepts) {
    const id = wikidataIdOf(concept.uri) ?? wikidataIdOf(concept.code);
    const entry = id ? byWikidata.get(id) : undefined;
    if (entry && !found.has(entry.documentId)) found.set(entry.documentId, { documentId: entry.documentId, slug: entry.slug, name: entry.name, kind: entry.kind, via: 'code', count: 0, firstOffset: null });
  }
  for (const mention of findMentions(itemText(item), vocabulary)) {
    const { entry } = mention;
    const known = found.get(entry.documentId);
    if (known) {
      known.count += 1;
      known.firstOffset ??= mention.start;
    } else found.set(entry.documentId, { documentId: entry.documentId, slug: entry.slug, name: entry.name, kind: entry.kind, via: 'text', count: 1, firstOffset: mention.start });
  }
  return [...found.values()];
}
