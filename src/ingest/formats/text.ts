/**
 * A pasted page as plain text, read by the shape a scraped news page has: the headline first, a
 * one-paragraph standfirst, a date line, then optionally a picture's credit line (`IMAGE SOURCE:`,
 * `Photo:`, `Credit:` …) with its caption, and the body: paragraphs, and subheadings — short lines
 * standing alone, with no closing punctuation, followed by text. Scrape residue is dropped and
 * counted in the warnings: tracking-tag lines (`!-- Google tag (gtag.js) -->`), "Advertisement", and
 * the headline repeated after the date line.
 */
import { textToBlocks, toSections, type Block } from '../blocks';
import { emptyItem, type IngestItem } from '../item';

const RESIDUE = [/^<?!--.*-->$/, /^<!--|-->$/, /\bgtag\(|googletagmanager|window\.dataLayer/i, /^advertisement$/i, /^(share|share this|share on \w+)$/i];
const CREDIT = /^(?:image source|image|photo|photograph|picture|credit|image credit|photo credit|source)\s*[:：]\s*(.+)$/i;
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH = `(${MONTHS.map((m) => `${m.slice(0, 3)}(?:${m.slice(3)})?`).join('|')})\\.?`;
const WEEKDAY = '(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?,?\\s+)?';
const DATE_MDY = new RegExp(`^${WEEKDAY}${MONTH}\\s+(\\d{1,2}),?\\s+(\\d{4})\\b`, 'i');
const DATE_DMY = new RegExp(`^${WEEKDAY}(\\d{1,2})\\s+${MONTH},?\\s+(\\d{4})\\b`, 'i');
const DATE_ISO = /^(\d{4})-(\d{2})-(\d{2})\b/;

const pad = (n: number) => String(n).padStart(2, '0');
const monthNumber = (name: string) => MONTHS.findIndex((m) => m.startsWith(name.toLowerCase().slice(0, 3))) + 1;

/** A date line (`April 10, 2024`, `10 April 2024`, `Wed, Apr 10, 2024 10:32`, `2024-04-10`) as YYYY-MM-DD, else null. */
export function dateLine(line: string): string | null {
  const text = line.trim();
  if (text.length > 60) return null;
  let y: number, m: number, d: number;
  let match = DATE_MDY.exec(text);
  if (match) [m, d, y] = [monthNumber(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = DATE_DMY.exec(text))) [d, m, y] = [Number(match[1]), monthNumber(match[2]), Number(match[3])];
  else if ((match = DATE_ISO.exec(text))) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** A line that reads as a subheading: short, no closing punctuation, not a sentence. */
export function looksLikeHeading(line: string): boolean {
  const text = line.trim();
  if (!text || text.length > 100 || text.split(/\s+/).length > 12) return false;
  if (/[.!?:;,…"”’)\]]$/.test(text) || /^[a-z]/.test(text)) return false;
  return true;
}

interface Run {
  lines: string[];
}

export function parseText(input: string): IngestItem {
  const item = emptyItem('text');
  const dropped: string[] = [];
  const runs: Run[] = [];
  let run: Run | null = null;
  for (const raw of input.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/)) {
    const line = raw.replace(/[\s\u00a0]+$/, '').replace(/^[\s\u00a0]+/, '');
    if (line && RESIDUE.some((r) => r.test(line))) {
      dropped.push(line);
      continue;
    }
    if (!line) {
      run = null;
      continue;
    }
    if (!run) runs.push((run = { lines: [] }));
    run.lines.push(line.replace(/[ \t\u00a0]+/g, ' '));
  }

  const lines = runs.flatMap((r, i) => r.lines.map((text, j) => ({ text, run: i, first: j === 0, alone: r.lines.length === 1 })));
  let at = 0;
  const body: Block[] = [];
  if (lines[at]) item.headline = lines[at++].text;
  // The standfirst: one paragraph before the date line, in a run of its own.
  const dateAt = lines.findIndex((l, i) => i >= at && i < at + 4 && dateLine(l.text) !== null);
  if (dateAt > at && lines[at].alone && !CREDIT.test(lines[at].text)) item.standfirst = lines[at++].text;
  if (dateAt >= at) {
    // Anything between the standfirst and the date line is body text the shape did not expect.
    while (at < dateAt) body.push({ type: 'paragraph', children: [{ type: 'text', text: lines[at++].text }] });
    item.dateline = dateLine(lines[at++].text);
    // The headline repeated after the date line is the page's layout, not the story.
    while (lines[at] && lines[at].text === item.headline) dropped.push(lines[at++].text);
  }
  const credit = lines[at] ? CREDIT.exec(lines[at].text) : null;
  if (credit) {
    at += 1;
    const caption = lines[at] && !looksLikeHeading(lines[at].text) ? lines[at++].text : null;
    item.pictures.push({ href: null, caption, credit: credit[1].trim(), copyrightHolder: null, usageTerms: null, altText: null, renditions: [] });
  }
  for (; at < lines.length; at++) {
    const line = lines[at];
    const next = lines[at + 1];
    if (line.alone && next && next.run !== line.run && looksLikeHeading(line.text)) {
      body.push({ type: 'heading', level: 2, children: [{ type: 'text', text: line.text }] });
    } else body.push(...textToBlocks(line.text));
  }
  item.sections = toSections(body, item.warnings);
  if (dropped.length) item.warnings.push(`${dropped.length} line${dropped.length > 1 ? 's' : ''} of page residue left out: ${dropped.map((d) => JSON.stringify(d.slice(0, 60))).join(', ')}`);
  return item;
}
