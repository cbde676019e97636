/**
 * What a reader's `q` means, parsed here so that nothing typed is ever a syntax error or an
 * operator of FTS5's MATCH or of PostgreSQL's to_tsquery: the query is rebuilt from analysed terms
 * (letters and digits only, analyse.ts) and each database gets its own rendering.
 *
 *   sanctions china     both words (AND)
 *   "exact phrase"      the words next to each other, in order (an unclosed quote runs to the end)
 *   -word, -"a phrase"  articles with it are left out
 *   china OR russia     either (OR binds the words on each side of it)
 *   sanct               the last word is also a prefix, as the reader types (sanctions)
 *
 * A word the analyser splits (e-mail, G7峰会, 美国制裁) is a phrase of its terms. Stop words drop out.
 */
import { tokenize, type SearchLocale } from './analyse';

/** One thing to find: a term, a phrase of terms, or a term or the start of a word. */
export interface Atom {
  terms: string[];
  /** the folded word as typed, matched as the start of a term too (the query's last word) */
  prefix?: string;
}

export interface ParsedQuery {
  /** every clause must match; a clause matches when one of its atoms does */
  clauses: Atom[][];
  excluded: Atom[];
  /** for meta.query: what the reader asked for, as typed (folded words, phrases) */
  words: string[];
  phrases: string[];
  excludedWords: string[];
}

interface Piece {
  text: string;
  phrase: boolean;
  negated: boolean;
  or: boolean;
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Splits q into quoted phrases, words and OR, with their minus signs. */
function pieces(q: string): Piece[] {
  const out: Piece[] = [];
  const text = q.replace(CONTROL, ' ');
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/u.test(c)) {
      i++;
      continue;
    }
    let negated = false;
    if ((c === '-' || c === '−') && i + 1 < text.length && !/\s/u.test(text[i + 1])) {
      negated = true;
      i++;
    }
    if (text[i] === '"' || text[i] === '“' || text[i] === '”' || text[i] === '„' || text[i] === '«') {
      const close = text.slice(i + 1).search(/["“”»]/u);
      const end = close < 0 ? text.length : i + 1 + close;
      out.push({ text: text.slice(i + 1, end), phrase: true, negated, or: false });
      i = end + 1;
      continue;
    }
    let end = i;
    while (end < text.length && !/\s/u.test(text[end]) && text[end] !== '"') end++;
    const word = text.slice(i, end);
    out.push({ text: word, phrase: false, negated, or: !negated && word === 'OR' });
    i = end;
  }
  return out;
}

export function parseQuery(q: string, locale: SearchLocale): ParsedQuery {
  const parsed: ParsedQuery = { clauses: [], excluded: [], words: [], phrases: [], excludedWords: [] };
  const list = pieces(q);
  // The last positive plain word is also a prefix, when the reader is still typing it.
  const lastWord = [...list].reverse().find((p) => !p.phrase && !p.negated && !p.or);
  let joinNext = false;
  for (const piece of list) {
    if (piece.or) {
      joinNext = parsed.clauses.length > 0;
      continue;
    }
    const tokens = tokenize(piece.text, locale);
    if (tokens.length === 0) {
      continue;
    }
    const atom: Atom = { terms: tokens.map((t) => t.term) };
    if (piece === lastWord && tokens.length === 1 && !q.endsWith(' ')) {
      const prefix = tokens[0].word;
      if ([...prefix].length >= 2 || /\p{Script=Han}/u.test(prefix)) atom.prefix = prefix;
    }
    const shown = tokens.map((t) => t.word).join(' ');
    if (piece.negated) {
      parsed.excluded.push(atom);
      parsed.excludedWords.push(shown);
      continue;
    }
    if (piece.phrase || tokens.length > 1) parsed.phrases.push(shown);
    else parsed.words.push(shown);
    if (joinNext) parsed.clauses[parsed.clauses.length - 1].push(atom);
    else parsed.clauses.push([atom]);
    joinNext = false;
  }
  return parsed;
}

/** Every term a positive atom looks for (highlights), and the prefixes. */
export function positiveTerms(query: ParsedQuery): { terms: Set<string>; prefixes: string[] } {
  const terms = new Set<string>();
  const prefixes: string[] = [];
  for (const clause of query.clauses)
    for (const atom of clause) {
      for (const t of atom.terms) terms.add(t);
      if (atom.prefix) prefixes.push(atom.prefix);
    }
  return { terms, prefixes };
}

// Terms are letters and digits only (analyse.ts): nothing in them is syntax in either language.
const ftsAtom = (a: Atom): string => {
  const exact = `"${a.terms.join(' ')}"`;
  return a.prefix ? `(${exact} OR "${a.prefix}"*)` : exact;
};

/** The FTS5 MATCH expression, or null when nothing positive is left to find. */
export function toFts5(query: ParsedQuery): string | null {
  if (query.clauses.length === 0) return null;
  const positive = query.clauses.map((clause) => `(${clause.map(ftsAtom).join(' OR ')})`).join(' AND ');
  return query.excluded.length === 0 ? positive : `${positive} NOT (${query.excluded.map(ftsAtom).join(' OR ')})`;
}

const tsAtom = (a: Atom, weight: string): string => {
  const lexeme = (t: string) => `'${t}'${weight ? `:${weight}` : ''}`;
  const exact = a.terms.length === 1 ? lexeme(a.terms[0]) : `(${a.terms.map(lexeme).join(' <-> ')})`;
  return a.prefix ? `(${exact} | '${a.prefix}':*${weight})` : exact;
};

/**
 * The tsquery text (cast with ::tsquery, no parser), or null when nothing positive is left.
 * `weight` restricts the positive terms to one weight class (A: titles, for suggestions).
 */
export function toTsquery(query: ParsedQuery, weight = ''): string | null {
  if (query.clauses.length === 0) return null;
  const positive = query.clauses.map((clause) => `(${clause.map((a) => tsAtom(a, weight)).join(' | ')})`).join(' & ');
  return query.excluded.length === 0 ? positive : `${positive} & !(${query.excluded.map((a) => tsAtom(a, '')).join(' | ')})`;
}
