/**
 * The search analysers: text → the terms the index holds, in order, one function for every locale
 * and both databases (SQLite FTS5 and PostgreSQL receive terms already made here, so the two find
 * the same articles). Per locale:
 *
 *   en       words; possessive 's dropped; stop words (the `stopword` package's English list) dropped; Snowball English stems
 *   ru       words; ё → е; stop words (`stopword`'s Russian list) dropped; Snowball Russian stems (PostgreSQL's `russian` algorithm)
 *   uk       words; apostrophes inside words joined; stop words (`stopword`'s Ukrainian list) dropped; a light Ukrainian stemmer (ukrainian-stemmer.ts)
 *   zh-Hans  each run of Han characters as overlapping two-character terms (美国制裁 → 美国 国制 制裁), a lone
 *            character as itself; words in other scripts inside Chinese text as in English
 *
 * Everywhere: Unicode compatibility forms unified (NFKC), lower case, and diacritics folded (café =
 * cafe) after stemming, so the stemmers see the letters they know (й, ї). A term is letters and
 * digits only, at most 64 characters; anything else separates terms.
 */
import { newStemmer } from 'snowball-stemmers';
import { eng, rus, ukr } from 'stopword';
import { stemUkrainian } from './ukrainian-stemmer';

export type SearchLocale = 'en' | 'zh-Hans' | 'ru' | 'uk';
export const SEARCH_LOCALES: readonly SearchLocale[] = ['en', 'zh-Hans', 'ru', 'uk'];

const MAX_TERM = 64;

/** One term and where in the text it came from (for highlights). */
export interface Token {
  term: string;
  /** the folded surface word (unstemmed), for typo correction and prefixes */
  word: string;
  start: number;
  end: number;
}

const english = newStemmer('english');
const russian = newStemmer('russian');
const STOP: Record<SearchLocale, Set<string>> = {
  en: new Set(eng),
  ru: new Set(rus.map((w: string) => w.replace(/ё/g, 'е'))),
  uk: new Set(ukr),
  'zh-Hans': new Set(eng),
};

/** A word as typed or stored → folded: no diacritics, lower case (ASCII fast path). */
export function foldWord(word: string): string {
  if (/^[\x00-\x7f]*$/.test(word)) return word.toLowerCase();
  return word.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC').toLowerCase();
}

const stemmerOf = (locale: SearchLocale): ((w: string) => string) => {
  switch (locale) {
    case 'ru':
      return (w) => russian.stem(w.replace(/ё/g, 'е'));
    case 'uk':
      return stemUkrainian;
    default:
      return (w) => english.stem(w);
  }
};
const STEMMERS: Record<SearchLocale, (w: string) => string> = {
  en: stemmerOf('en'),
  ru: stemmerOf('ru'),
  uk: stemmerOf('uk'),
  'zh-Hans': stemmerOf('zh-Hans'),
};

/** Letters, digits and marks, with apostrophes inside a word (China's, м'ясо). */
const WORD = /[\p{L}\p{N}\p{M}]+(?:['’ʼ][\p{L}\p{N}\p{M}]+)*/gu;
const HAN = /\p{Script=Han}+/gu;
const HAS_HAN = /\p{Script=Han}/u;

/** A locale the analysers know; anything else is analysed as English. */
export const searchLocale = (locale: string | null | undefined): SearchLocale =>
  (SEARCH_LOCALES as readonly string[]).includes(locale ?? '') ? (locale as SearchLocale) : 'en';

type Term = { term: string; word: string } | null;

/**
 * Words already analysed, per locale: news text repeats its words (Zipf), and stemming is most of
 * an article's indexing time. Bounded: emptied when it holds CACHE_LIMIT words.
 */
const CACHE_LIMIT = 100_000;
const cache: Record<SearchLocale, Map<string, Term>> = { en: new Map(), ru: new Map(), uk: new Map(), 'zh-Hans': new Map() };

/** The term of one word (no Han inside), or null for a stop word or one too long. */
export function termOf(raw: string, locale: SearchLocale): Term {
  const held = cache[locale];
  const known = held.get(raw);
  if (known !== undefined) return known;
  const t = analyseWord(raw, locale);
  if (held.size >= CACHE_LIMIT) held.clear();
  held.set(raw, t);
  return t;
}

function analyseWord(raw: string, locale: SearchLocale): Term {
  let lower = raw.normalize('NFKC').toLowerCase();
  if (locale === 'en' || locale === 'zh-Hans') lower = lower.replace(/['’ʼ]s$/u, '');
  lower = lower.replace(/['’ʼ]/gu, '');
  if (lower.length === 0) return null;
  const word = foldWord(lower);
  if (STOP[locale].has(lower) || STOP[locale].has(word)) return null;
  const stem = foldWord(STEMMERS[locale](lower));
  const term = stem.replace(/[^\p{L}\p{N}]/gu, '');
  if (term.length === 0 || term.length > MAX_TERM) return null;
  return { term, word: word.replace(/[^\p{L}\p{N}]/gu, '') };
}

function hanTokens(run: string, at: number, into: Token[]): void {
  const chars = [...run];
  if (chars.length === 1) {
    into.push({ term: chars[0], word: chars[0], start: at, end: at + run.length });
    return;
  }
  let offset = at;
  for (let i = 0; i + 1 < chars.length; i++) {
    const pair = chars[i] + chars[i + 1];
    into.push({ term: pair, word: pair, start: offset, end: offset + pair.length });
    offset += chars[i].length;
  }
}

/** The terms of a text, in order, with their places. */
export function tokenize(text: string, locale: SearchLocale): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(WORD)) {
    const raw = match[0];
    const start = match.index ?? 0;
    if (!HAS_HAN.test(raw)) {
      const t = termOf(raw, locale);
      if (t) tokens.push({ ...t, start, end: start + raw.length });
      continue;
    }
    // Han runs as bigrams; what lies between them as words.
    let last = 0;
    for (const han of raw.matchAll(HAN)) {
      const hs = han.index ?? 0;
      if (hs > last) {
        const t = termOf(raw.slice(last, hs), locale);
        if (t) tokens.push({ ...t, start: start + last, end: start + hs });
      }
      hanTokens(han[0], start + hs, tokens);
      last = hs + han[0].length;
    }
    if (last < raw.length) {
      const t = termOf(raw.slice(last), locale);
      if (t) tokens.push({ ...t, start: start + last, end: start + raw.length });
    }
  }
  return tokens;
}

/** The terms of a text, in order. */
export const analyse = (text: string | null | undefined, locale: SearchLocale): string[] => (text ? tokenize(text, locale).map((t) => t.term) : []);

export const isHan = (term: string): boolean => HAS_HAN.test(term);
