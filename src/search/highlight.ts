/**
 * Highlighted snippets, made in the app for the page of results only (never for every match, as
 * `ts_headline` would re-parse whole documents): the text is analysed as it was indexed, and each
 * word whose term the query looks for (or that starts with its prefix) is wrapped in <mark>;
 * everything else is HTML-escaped. Body fragments are cut at word boundaries around the matches.
 */
import { tokenize, type SearchLocale, type Token } from './analyse';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

export interface Wanted {
  terms: Set<string>;
  prefixes: string[];
}

const hits = (text: string, locale: SearchLocale, wanted: Wanted): Token[] =>
  tokenize(text, locale).filter((t) => wanted.terms.has(t.term) || wanted.prefixes.some((p) => t.word.startsWith(p) || t.term.startsWith(p)));

/** Merges overlapping ranges (Chinese bigrams overlap). */
function ranges(tokens: Token[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const t of [...tokens].sort((a, b) => a.start - b.start)) {
    const last = out[out.length - 1];
    if (last && t.start <= last[1]) last[1] = Math.max(last[1], t.end);
    else out.push([t.start, t.end]);
  }
  return out;
}

function marked(text: string, spans: Array<[number, number]>, from = 0, to = text.length): string {
  let out = '';
  let at = from;
  for (const [s, e] of spans) {
    if (e <= from || s >= to) continue;
    out += escapeHtml(text.slice(at, Math.max(at, s))) + '<mark>' + escapeHtml(text.slice(Math.max(s, at), Math.min(e, to))) + '</mark>';
    at = Math.min(e, to);
  }
  return out + escapeHtml(text.slice(at, to));
}

/** The whole text, escaped, its matches marked (title, standfirst); null when there is no text. */
export function highlightAll(text: string | null, locale: SearchLocale, wanted: Wanted): string | null {
  if (!text) return null;
  return marked(text, ranges(hits(text, locale, wanted)));
}

const BOUNDARY = /[\s\u3000-\u303f\uff0c\uff1b\uff01\uff1f]/u;

/** Moves an offset back (or forward) to the nearest boundary, so no word is cut. */
function snap(text: string, at: number, direction: -1 | 1): number {
  if (at <= 0) return 0;
  if (at >= text.length) return text.length;
  let i = at;
  const limit = 24;
  for (let n = 0; n < limit && i > 0 && i < text.length; n++) {
    if (BOUNDARY.test(text[i])) return direction < 0 ? i + 1 : i;
    i += direction;
  }
  return at;
}

/** Up to `count` fragments of about `size` characters around the body's matches, cut at word boundaries. */
export function fragments(text: string | null, locale: SearchLocale, wanted: Wanted, count = 3, size = 160): string[] {
  if (!text) return [];
  const spans = ranges(hits(text, locale, wanted));
  const out: string[] = [];
  let coveredTo = -1;
  for (const [s, e] of spans) {
    if (out.length >= count) break;
    if (s < coveredTo) continue;
    const pad = Math.max(0, Math.floor((size - (e - s)) / 2));
    const from = snap(text, Math.max(0, s - pad), -1);
    const to = snap(text, Math.min(text.length, e + pad), 1);
    const body = marked(text, spans, from, to).replace(/\s*\n\s*/g, ' ').trim();
    out.push(`${from > 0 ? '… ' : ''}${body}${to < text.length ? ' …' : ''}`);
    coveredTo = to;
  }
  return out;
}
