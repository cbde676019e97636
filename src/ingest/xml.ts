/**
 * XML in, a small element tree out, read with saxes: it expands no entity a DTD declares and never
 * fetches anything. A document whose DTD declares entities (billion laughs, an external entity naming
 * `file:///etc/passwd` or a URL) is refused before any of them is read, so memory stays flat; a DOCTYPE
 * that only names a DTD (`<!DOCTYPE nitf SYSTEM "nitf-3-5.dtd">`, as agencies send) is accepted and
 * the DTD ignored. Malformed XML is a 400 with its line and column.
 */
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { malformed } from './errors';

export interface XmlElement {
  /** the local name (`newsItem`, `body.content`) */
  name: string;
  /** the namespace URI, '' for none */
  ns: string;
  /** by local name; `xml:lang` under that name */
  attrs: Record<string, string>;
  children: XmlNode[];
  line: number;
}

export type XmlNode = XmlElement | string;

/** Deeper than any news format nests: a deeper document is an attack on the walkers, not an item. */
export const MAX_DEPTH = 256;

export function parseXml(text: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  const fail = (message: string, what = 'XML is not well-formed'): never => {
    throw malformed(`${what} at line ${parser.line}, column ${parser.column}: ${message}`, { line: parser.line, column: parser.column });
  };
  parser.on('error', (error) => fail(error.message.replace(/^\d+:\d+: /, '')));
  parser.on('doctype', (doctype) => {
    if (/<!ENTITY/i.test(doctype)) fail('a DTD that declares entities is refused; nothing was expanded or fetched', 'XML DTD');
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    if (stack.length >= MAX_DEPTH) fail(`elements nest deeper than ${MAX_DEPTH}`);
    const attrs: Record<string, string> = {};
    for (const attribute of Object.values(tag.attributes)) {
      if (attribute.prefix === 'xmlns' || attribute.name === 'xmlns') continue;
      attrs[attribute.prefix === 'xml' ? attribute.name : attribute.local] = attribute.value;
    }
    const element: XmlElement = { name: tag.local, ns: tag.uri, attrs, children: [], line: parser.line };
    if (stack.length) stack[stack.length - 1].children.push(element);
    else root = element;
    stack.push(element);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const addText = (value: string) => {
    if (stack.length) stack[stack.length - 1].children.push(value);
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.write(text).close();
  if (!root) fail('no root element');
  return root as unknown as XmlElement;
}

export const isElement = (node: XmlNode | undefined): node is XmlElement => typeof node === 'object' && node !== null;

export const elements = (parent: XmlElement | null | undefined, name?: string): XmlElement[] =>
  parent ? parent.children.filter((c): c is XmlElement => isElement(c) && (name === undefined || c.name === name)) : [];

export const child = (parent: XmlElement | null | undefined, name: string): XmlElement | null => elements(parent, name)[0] ?? null;

/** The first element down `path` (`contentMeta/headline`). */
export function find(parent: XmlElement | null | undefined, path: string): XmlElement | null {
  let at: XmlElement | null = parent ?? null;
  for (const part of path.split('/')) {
    at = child(at, part);
    if (!at) return null;
  }
  return at;
}

export function findAll(parent: XmlElement | null | undefined, path: string): XmlElement[] {
  const parts = path.split('/');
  const last = parts.pop() as string;
  const at = parts.length ? find(parent, parts.join('/')) : parent;
  return elements(at, last);
}

/** Every element named `name` anywhere below `parent`. */
export function descendants(parent: XmlElement, name: string, out: XmlElement[] = []): XmlElement[] {
  for (const c of parent.children) {
    if (!isElement(c)) continue;
    if (c.name === name) out.push(c);
    descendants(c, name, out);
  }
  return out;
}

/** All the text below an element, as written. */
export function textOf(node: XmlNode | null | undefined): string {
  if (node === null || node === undefined) return '';
  if (typeof node === 'string') return node;
  return node.children.map(textOf).join('');
}

/** An element's text with white space collapsed; null when empty or absent. */
export function cleanTextOf(node: XmlElement | null | undefined): string | null {
  const text = textOf(node).replace(/[\s\u00a0]+/g, ' ').trim();
  return text === '' ? null : text;
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string) => escapeText(s).replace(/"/g, '&quot;');

/**
 * An element's content as HTML for the body cleaner, with `rename` mapping a format's own elements to
 * HTML (NITF `hl2` → `h2`, `bq` → `blockquote`); elements `rename` maps to null are left out with their
 * text. Nested markup is kept as it is.
 */
export function toHtml(parent: XmlElement, rename: (el: XmlElement) => string | null | undefined = () => undefined): string {
  return parent.children
    .map((c) => {
      if (typeof c === 'string') return escapeText(c);
      const renamed = rename(c);
      if (renamed === null) return '';
      const tag = renamed ?? c.name;
      const attrs = Object.entries(c.attrs)
        .filter(([k]) => /^[a-zA-Z][\w.-]*$/.test(k))
        .map(([k, v]) => ` ${k}="${escapeAttr(v)}"`)
        .join('');
      return `<${tag}${attrs}>${toHtml(c, rename)}</${tag}>`;
    })
    .join('');
}
