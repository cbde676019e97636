/**
 * Body HTML from any format → Strapi blocks, split into sections at subheadings. The HTML is first
 * cleaned with an allowlist (sanitize-html): paragraphs, headings, lists, quotes, links, bold,
 * italic, underline, strike-through, code and line breaks stay; scripts, styles, iframes, objects,
 * forms, images (tracking pixels; real pictures are taken out before) and every attribute but a
 * link's http(s)/mailto `href` go; unknown elements keep their text. The cleaned HTML is then walked
 * with linkedom.
 */
import { parseHTML } from 'linkedom';
import sanitizeHtml from 'sanitize-html';
import type { Section } from './item';

export interface TextNode {
  type: 'text';
  text: string;
  bold?: true;
  italic?: true;
  underline?: true;
  strikethrough?: true;
  code?: true;
}
export interface LinkNode {
  type: 'link';
  url: string;
  children: TextNode[];
}
export type Inline = TextNode | LinkNode;
export type Block =
  | { type: 'paragraph'; children: Inline[] }
  | { type: 'heading'; level: 1 | 2 | 3 | 4 | 5 | 6; children: Inline[] }
  | { type: 'quote'; children: Inline[] }
  | { type: 'list'; format: 'ordered' | 'unordered'; children: { type: 'list-item'; children: Inline[] }[] };

const ALLOWED_TAGS = ['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'blockquote', 'a', 'strong', 'b', 'em', 'i', 'u', 's', 'strike', 'del', 'code', 'br', 'div', 'section', 'article'];

/** The allowlist cleaning, on its own for callers that keep HTML. */
export function cleanHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: { a: ['href'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowProtocolRelative: false,
    // Their text is code or markup, never prose.
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed', 'svg', 'math', 'template', 'head', 'title', 'button', 'select', 'figcaption'],
    disallowedTagsMode: 'discard',
  });
}

type Marks = Omit<TextNode, 'type' | 'text'>;

const MARKS: Record<string, keyof Marks> = { strong: 'bold', b: 'bold', em: 'italic', i: 'italic', u: 'underline', s: 'strikethrough', strike: 'strikethrough', del: 'strikethrough', code: 'code' };
const BLOCK_TAGS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'blockquote', 'div', 'section', 'article', 'li']);

interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
  getAttribute?(name: string): string | null;
}

const tagOf = (n: DomNode) => n.nodeName.toLowerCase();

/** Inline content of a node, marks carried down; white space collapsed as a browser shows it. */
function inlines(node: DomNode, marks: Marks = {}, out: Inline[] = []): Inline[] {
  for (const c of Array.from(node.childNodes)) {
    if (c.nodeType === 3) {
      const text = (c.textContent ?? '').replace(/[\s\u00a0]+/g, ' ');
      if (text) out.push({ type: 'text', text, ...marks });
      continue;
    }
    if (c.nodeType !== 1) continue;
    const tag = tagOf(c);
    if (tag === 'br') out.push({ type: 'text', text: '\n', ...marks });
    else if (tag === 'a') {
      const url = c.getAttribute?.('href') ?? '';
      const children = inlines(c, marks).flatMap((i) => (i.type === 'text' ? [i] : i.children));
      if (url && children.length) out.push({ type: 'link', url, children });
      else out.push(...children);
    } else if (MARKS[tag]) inlines(c, { ...marks, [MARKS[tag]]: true }, out);
    else inlines(c, marks, out);
  }
  return out;
}

/** Trims the run's ends, merges neighbours with the same marks, drops empty text. */
function tidy(children: Inline[]): Inline[] {
  const merged: Inline[] = [];
  for (const node of children) {
    const last = merged[merged.length - 1];
    if (node.type === 'text' && last?.type === 'text' && sameMarks(last, node)) last.text += node.text;
    else merged.push(node.type === 'text' ? { ...node } : { ...node, children: node.children.map((c) => ({ ...c })) });
  }
  const first = merged[0];
  if (first?.type === 'text') first.text = first.text.replace(/^[ \n]+/, '');
  if (first?.type === 'link' && first.children[0]) first.children[0].text = first.children[0].text.replace(/^ +/, '');
  const end = merged[merged.length - 1];
  if (end?.type === 'text') end.text = end.text.replace(/[ \n]+$/, '');
  if (end?.type === 'link' && end.children.length) {
    const t = end.children[end.children.length - 1];
    t.text = t.text.replace(/ +$/, '');
  }
  for (const n of merged) if (n.type === 'text') n.text = n.text.replace(/ *\n */g, '\n');
  return merged.filter((n) => (n.type === 'text' ? n.text !== '' : n.children.some((c) => c.text !== '')));
}

const MARK_KEYS: (keyof Marks)[] = ['bold', 'italic', 'underline', 'strikethrough', 'code'];
const sameMarks = (a: TextNode, b: TextNode) => MARK_KEYS.every((k) => a[k] === b[k]);

/** The blocks of a container: block children become blocks, loose inline runs paragraphs. */
function blocksOf(node: DomNode, out: Block[] = []): Block[] {
  let run: DomNode[] = [];
  const flush = () => {
    if (!run.length) return;
    const holder = { nodeType: 1, nodeName: 'span', textContent: null, childNodes: run } as DomNode;
    // A line break between loose runs of text is a paragraph break (plain bodies sent as text with <br>).
    const children = tidy(inlines(holder));
    splitAtBreaks(children).forEach((c) => out.push({ type: 'paragraph', children: c }));
    run = [];
  };
  for (const c of Array.from(node.childNodes)) {
    if (c.nodeType === 1 && BLOCK_TAGS.has(tagOf(c))) {
      flush();
      const tag = tagOf(c);
      const children = tidy(inlines(c));
      if (tag === 'p' || tag === 'li') {
        if (children.length) out.push({ type: 'paragraph', children });
      } else if (/^h[1-6]$/.test(tag)) {
        if (children.length) out.push({ type: 'heading', level: Number(tag[1]) as 1, children });
      } else if (tag === 'blockquote') {
        const inner = blocksOf(c);
        for (const b of inner) {
          if (b.type === 'paragraph' || b.type === 'heading') out.push({ type: 'quote', children: b.children });
          else out.push(b);
        }
      } else if (tag === 'ul' || tag === 'ol') {
        const items = Array.from(c.childNodes)
          .filter((li) => li.nodeType === 1 || (li.textContent ?? '').trim())
          .map((li) => ({ type: 'list-item' as const, children: tidy(inlines(li)) }))
          .filter((li) => li.children.length);
        if (items.length) out.push({ type: 'list', format: tag === 'ol' ? 'ordered' : 'unordered', children: items });
      } else blocksOf(c, out);
    } else run.push(c);
  }
  flush();
  return out;
}

function splitAtBreaks(children: Inline[]): Inline[][] {
  const parts: Inline[][] = [[]];
  for (const node of children) {
    if (node.type === 'text' && node.text.includes('\n\n')) {
      const pieces = node.text.split(/\n{2,}/);
      pieces.forEach((piece, i) => {
        if (i > 0) parts.push([]);
        if (piece) parts[parts.length - 1].push({ ...node, text: piece });
      });
    } else parts[parts.length - 1].push(node);
  }
  return parts.map(tidy).filter((p) => p.length);
}

export const plainOf = (children: Inline[]) => children.map((c) => (c.type === 'text' ? c.text : c.children.map((t) => t.text).join(''))).join('');

/** Cleaned HTML → blocks. */
export function htmlToBlocks(html: string): Block[] {
  const { document } = parseHTML(`<!doctype html><html><body>${cleanHtml(html)}</body></html>`) as unknown as { document: { body: DomNode } };
  return blocksOf(document.body);
}

/** Plain text → paragraphs, one per blank-line-separated run (single line breaks kept as such). */
export function textToBlocks(text: string): Block[] {
  return text
    .split(/\r?\n[ \t\u00a0]*\r?\n/)
    .map((p) => p.replace(/[ \t\u00a0]+/g, ' ').replace(/ *\r?\n */g, '\n').trim())
    .filter(Boolean)
    .map((p) => ({ type: 'paragraph', children: [{ type: 'text', text: p }] }));
}

/**
 * Sections at subheadings: what comes before the first heading is the lead (no heading); a heading
 * with no text under it before the next one is left out, with a warning (a section needs a body).
 */
export function toSections(blocks: Block[], warnings: string[]): Section[] {
  const sections: Section[] = [];
  let current: Section = { heading: null, body: [] };
  const close = () => {
    if (current.body.length) sections.push(current);
    else if (current.heading !== null) warnings.push(`subheading "${current.heading.slice(0, 80)}" has no text under it: left out`);
  };
  for (const block of blocks) {
    if (block.type === 'heading') {
      close();
      current = { heading: plainOf(block.children).slice(0, 200), body: [] };
    } else current.body.push(block);
  }
  close();
  return sections;
}
