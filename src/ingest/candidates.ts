/**
 * Candidates for new entities: names in the item's text that are not in the vocabulary, with a
 * suggested kind, never created until an editor accepts one. A name is a run of capitalised words
 * (joined by `of`, `the`, `and`, `for`, hyphens; a leading year as in `2022 Winter Olympic Games`),
 * found in the standfirst, body and captions (a headline in title case says nothing). Left out: a
 * sentence's first word when it is not also capitalised mid-sentence elsewhere, titles before a name
 * (`US President Joe Biden` → `Joe Biden`), nationality adjectives (`Chinese`, `European`) and the
 * titles themselves. The kind: a person after a title or for two or three words that do not end in an
 * organisation word; an organisation for `… Council`, `… Administration`, `… Ministry` …; an event for
 * `… Games`, `… Summit` …; a place for `X, Y` pairs (`Woodside, California`); else a topic.
 * `npm run bench:ingest` measures precision and recall against the first story's 23 entities.
 */
import { itemText, findMentions, type VocabularyEntry } from './suggest';
import type { IngestItem } from './item';

export interface Candidate {
  name: string;
  kind: 'person' | 'organization' | 'country' | 'place' | 'event' | 'topic';
  count: number;
  firstOffset: number;
}

const JOINERS = new Set(['of', 'the', 'for', 'de', 'von', 'van', 'al', 'bin']);
/** A lowercase noun that makes the name before it a longer one: `APEC summit`, `Russia-Ukraine conflict`. */
const HEAD_NOUNS = new Set(['summit', 'conflict', 'war', 'talks', 'games', 'election', 'elections', 'ministry', 'council', 'administration', 'government', 'parliament', 'army', 'crisis']);
const MINISTRY_OF = new Set(['foreign', 'defence', 'defense', 'interior', 'finance', 'health', 'justice', 'trade', 'economy']);
const TITLES = new Set(['president', 'secretary', 'minister', 'prime', 'chancellor', 'spokesperson', 'spokesman', 'spokeswoman', 'senator', 'governor', 'mayor', 'king', 'queen', 'prince', 'general', 'treasury', 'state', 'foreign', 'defence', 'defense', 'chief', 'director', 'ambassador', 'mr', 'mrs', 'ms', 'dr', 'vice', 'leader', 'premier', 'judge', 'justice', 'deputy']);
const ORG_WORDS = /\b(Council|Administration|Ministry|Department|Agency|Commission|Committee|Office|Bank|Fund|Organization|Organisation|Union|Party|Group|Corporation|Company|Inc|Ltd|Association|Institute|University|Court|Parliament|Congress|Senate|Army|Navy|Force|Forces|Police|Service|Bureau|News|Times|Post)$/;
const EVENT_WORDS = /\b(Games|Olympics|Summit|Cup|Championship|War|Conflict|Election|Conference|Festival|Forum|Crisis)$/;
/** Sentence openers and other capitalised words that are not names. */
const COMMON = new Set([
  'a', 'an', 'the', 'this', 'that', 'these', 'those', 'it', 'its', 'he', 'she', 'they', 'we', 'i', 'you', 'his', 'her', 'their', 'our',
  'however', 'but', 'and', 'or', 'so', 'yet', 'as', 'at', 'in', 'on', 'of', 'for', 'with', 'by', 'from', 'to', 'after', 'before', 'while', 'when', 'if',
  'despite', 'amid', 'amidst', 'although', 'though', 'since', 'because', 'meanwhile', 'additionally', 'similarly', 'also', 'moreover', 'furthermore', 'still',
  'sources', 'source', 'trade', 'officials', 'analysts', 'experts', 'image', 'photo', 'there', 'here', 'now', 'today', 'yesterday', 'according',
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday',
  'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december',
]);
/** Nationality and regional adjectives: they qualify names, they are not names. */
const ADJECTIVE = /^(\p{Lu}\p{Ll}+(ese|ian|ean|ish|ern)|American|Mexican|African|Israeli|Iraqi|Pakistani|Thai|Dutch|French|Greek|Swiss|Arab|Turkish|Latin)$/u;

const capitalised = (w: string) => /^\p{Lu}/u.test(w) || /^\d{4}$/.test(w);

interface Token {
  text: string;
  start: number;
  sentenceStart: boolean;
  possessive?: boolean;
}

function tokens(text: string): Token[] {
  const out: Token[] = [];
  const re = /[\p{L}\p{N}][\p{L}\p{N}'’.-]*[\p{L}\p{N}]|[\p{L}\p{N}]|[.!?;:\n()"“”]|,/gu;
  let sentenceStart = true;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    let word = m[0];
    if (/^[.!?;:\n()"“”]$/.test(word)) {
      sentenceStart = word !== ',' && !/[()"“”]/.test(word) ? true : sentenceStart;
      out.push({ text: word, start: m.index, sentenceStart: false });
      continue;
    }
    const possessive = /['’]s$/.test(word);
    word = word.replace(/['’]s$/, '').replace(/\.$/, '');
    out.push({ text: word, start: m.index, sentenceStart, ...(possessive ? { possessive } : {}) });
    sentenceStart = false;
  }
  return out;
}

function kindOf(words: string[], afterTitle: boolean, place: boolean): Candidate['kind'] {
  const name = words.join(' ');
  if (place) return 'place';
  if (ORG_WORDS.test(name)) return 'organization';
  if (EVENT_WORDS.test(name)) return 'event';
  if (afterTitle || (words.length >= 2 && words.length <= 3 && words.every((w) => /^\p{Lu}\p{Ll}/u.test(w)))) return 'person';
  return 'topic';
}

export function suggestCandidates(item: IngestItem, vocabulary: VocabularyEntry[]): Candidate[] {
  // The headline is in title case: every word is capitalised there, so it is read only for names the rest confirms.
  // Subheadings too: `US Sanctions` is a heading in title case, not a name.
  const text = itemText({ ...item, headline: null, sections: item.sections.map((s) => ({ ...s, heading: null })) });
  const known = findMentions(text, vocabulary);
  const isKnown = (start: number, end: number) => known.some((k) => k.start < end && start < k.end);
  const toks = tokens(text);
  const midSentenceCaps = new Set(toks.filter((t) => !t.sentenceStart && /^\p{Lu}/u.test(t.text)).map((t) => t.text));
  const found = new Map<string, Candidate>();
  for (let i = 0; i < toks.length; i++) {
    if (!capitalised(toks[i].text) || /^[.!?;:\n()"“”,]$/.test(toks[i].text)) continue;
    let j = i;
    const words: Token[] = [];
    while (j < toks.length) {
      const t = toks[j];
      if (capitalised(t.text) && !/^[.!?;:\n()"“”,]$/.test(t.text)) words.push(t);
      else if (JOINERS.has(t.text) && words.length && toks[j + 1] && capitalised(toks[j + 1].text)) words.push(t);
      else break;
      j++;
    }
    i = j - 1;
    // Drop a sentence opener that is never capitalised mid-sentence, and titles before a name.
    let afterTitle = false;
    while (words.length && (COMMON.has(words[0].text.toLowerCase()) || (words[0].sentenceStart && !midSentenceCaps.has(words[0].text) && words.length === 1))) words.shift();
    // Titles and what qualifies them: `US President Joe Biden`, `Chinese President Xi Jinping`, `Treasury Secretary Janet Yellen`.
    const qualifier = (k: number) => words[k + 1] && TITLES.has(words[k + 1].text.toLowerCase()) && (/^\p{Lu}+$/u.test(words[k].text) || ADJECTIVE.test(words[k].text));
    while (words.length > 1 && (TITLES.has(words[0].text.toLowerCase()) || (words.length > 2 && qualifier(0)) || JOINERS.has(words[0].text))) {
      afterTitle = afterTitle || TITLES.has(words[0].text.toLowerCase()) || Boolean(qualifier(0));
      words.shift();
    }
    while (words.length && JOINERS.has(words[words.length - 1].text)) words.pop();
    if (!words.length) continue;
    if (words.every((w) => TITLES.has(w.text.toLowerCase()) || JOINERS.has(w.text))) continue;
    if (words.length === 1 && (ADJECTIVE.test(words[0].text) || /^\d+$/.test(words[0].text))) continue;
    if (words.length === 1 && words[0].sentenceStart && !midSentenceCaps.has(words[0].text)) continue;
    // `Woodside, California`: a name, a comma and a second name make one place.
    let place = false;
    let after = toks[j];
    let next = toks[j + 1];
    // `APEC summit`, `Russia-Ukraine conflict`, `China’s foreign ministry`: the noun is part of the name.
    let tail: Token | null = null;
    const lastWord = words[words.length - 1];
    if (lastWord && after && HEAD_NOUNS.has(after.text) && !lastWord.possessive) tail = after;
    else if (lastWord?.possessive && after && MINISTRY_OF.has(after.text) && next?.text === 'ministry') tail = next;
    if (tail) {
      i = toks.indexOf(tail);
      after = toks[i + 1];
      next = toks[i + 2];
    } else if (words.length === 1 && /-/.test(words[0].text) && words[0].text.split('-').every((w) => /^\p{Lu}/u.test(w))) continue;
    if (!tail && after?.text === ',' && next && /^\p{Lu}\p{Ll}+$/u.test(next.text) && words.length === 1 && toks[j + 2]?.text === ',') {
      words.push({ ...next, text: `, ${next.text}` });
      place = true;
      i = j + 1;
    }
    const start = words[0].start;
    const last = words[words.length - 1];
    const end = tail ? tail.start + tail.text.length : place ? next.start + next.text.length : last.start + last.text.length;
    const name = text.slice(start, end).replace(/['’]s$/, '');
    if (isKnown(start, end) || name.length < 2) continue;
    const key = name.toLowerCase();
    const seen = found.get(key);
    if (seen) seen.count += 1;
    else found.set(key, { name, kind: tail ? (tail.text === 'ministry' || tail.text === 'council' || tail.text === 'administration' || tail.text === 'government' ? 'organization' : 'event') : kindOf(words.map((w) => w.text.replace(/^, /, '')), afterTitle, place), count: 1, firstOffset: start });
  }
  return [...found.values()].sort((a, b) => a.firstOffset - b.firstOffset);
}
