/**
 * Bytes and a Content-Type in, normalised items out: the format comes from the media type
 * (`application/vnd.iptc.ninjs+json`, `application/json` holding ninjs,
 * `application/vnd.iptc.g2.newsitem+xml` and its newsmessage/packageitem siblings,
 * `application/nitf+xml`, `application/xml`/`text/xml` by the root element, `text/plain`,
 * `text/html`). Anything else is a 415; JSON or XML that does not parse a 400 with where.
 */
import { IngestError, malformed } from './errors';
import { parseHtmlPage } from './formats/html-page';
import { parseNewsmlG2 } from './formats/newsml-g2';
import { parseNinjs } from './formats/ninjs';
import { parseNitf } from './formats/nitf';
import { parseText } from './formats/text';
import type { IngestFormat, IngestItem } from './item';
import { parseXml } from './xml';

export const MEDIA_TYPES = [
  'application/vnd.iptc.ninjs+json',
  'application/json',
  'application/vnd.iptc.g2.newsitem+xml',
  'application/vnd.iptc.g2.newsmessage+xml',
  'application/vnd.iptc.g2.packageitem+xml',
  'application/nitf+xml',
  'application/xml',
  'text/xml',
  'text/plain',
  'text/html',
] as const;

export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/** Text of the body: UTF-8 unless a charset (or an XML declaration) says otherwise; a BOM dropped. */
export function decode(body: Buffer, contentType: string | undefined): string {
  const declared = /charset="?([\w-]+)/i.exec(contentType ?? '')?.[1] ?? /^<\?xml[^>]*encoding=["']([\w-]+)/.exec(body.subarray(0, 200).toString('latin1'))?.[1] ?? 'utf-8';
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(declared, { fatal: false });
  } catch {
    throw malformed(`charset ${declared} is not known`);
  }
  return decoder.decode(body).replace(/^\uFEFF/, '');
}

function lineColumn(text: string, position: number) {
  const before = text.slice(0, position).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    const at = position ? lineColumn(text, Number(position[1])) : lineColumn(text, text.length);
    throw malformed(`JSON does not parse at line ${at.line}, column ${at.column}: ${message.replace(/ in JSON at position \d+.*$/, '')}`, at);
  }
}

export interface Parsed {
  format: IngestFormat;
  items: IngestItem[];
}

export function parseInput(body: Buffer, contentType: string | undefined): Parsed {
  const type = mediaTypeOf(contentType);
  if (!(MEDIA_TYPES as readonly string[]).includes(type)) {
    throw new IngestError('UnsupportedFormat', `Content-Type ${type || '(none)'} is not a format ingest reads; send one of ${MEDIA_TYPES.join(', ')}`, [{ message: `unsupported ${type || 'missing'} Content-Type` }]);
  }
  const text = decode(body, contentType);
  if (type === 'text/plain') return { format: 'text', items: [parseText(text)] };
  if (type === 'text/html') return { format: 'html', items: [parseHtmlPage(text)] };
  if (type.endsWith('json')) return { format: 'ninjs', items: [parseNinjs(parseJson(text))] };
  const root = parseXml(text);
  if (root.name === 'nitf') return { format: 'nitf', items: [parseNitf(root)] };
  if (['newsItem', 'newsMessage', 'packageItem'].includes(root.name)) return { format: 'newsml-g2', items: parseNewsmlG2(root) };
  throw new IngestError('UnsupportedFormat', `XML with root element <${root.name}> is not NewsML-G2 (newsItem, newsMessage, packageItem) or NITF (nitf)`, [{ path: root.name, message: 'unknown root element' }]);
}
