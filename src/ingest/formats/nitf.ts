/**
 * NITF 3.x (`<nitf>`), on its own or inside a NewsML-G2 `inlineXML`. Read: `docdata/doc-id@id-string`
 * (the guid), `du-key@version`, `date.issue@norm` (`YYYYMMDDTHHMMSS±HHMM`), `date.release@norm` (the
 * embargo when ahead), `docdata@management-status` (usable, withheld, canceled; embargoed),
 * `ed-msg@info`, `correction@info`, `doc.copyright@holder`, `tobject.subject` codes, `identified-content`;
 * `hedline/hl1` and every `hl2`, `byline` (its `person`s, else its text), `dateline` (`location`,
 * `story.date@norm`), `abstract`, `body.content` with nested markup kept (`hl2` subheadings, `bq`
 * quotes, inline `person`/`org`/`location` kept as text and read as concepts) and its `media`
 * pictures (`media-reference`, `media-caption`, `media-producer`).
 */
import { htmlToBlocks, toSections } from '../blocks';
import { cleanText, emptyItem, parseTime, type Concept, type IngestItem, type Picture } from '../item';
import { child, cleanTextOf, descendants, elements, find, findAll, textOf, toHtml, type XmlElement } from '../xml';

const RENAME: Record<string, string | null> = {
  hl1: 'h2',
  hl2: 'h2',
  bq: 'blockquote',
  block: 'div',
  pre: 'p',
  media: null,
  credit: null,
  fn: null,
  note: null,
  'body.end': null,
};

/** NITF inline elements that name things, as concept kinds. */
const INLINE_CONCEPTS: Record<string, Concept['kind']> = { person: 'person', org: 'organization', location: 'place', event: 'event' };

function pictureOf(media: XmlElement): Picture | null {
  if (media.attrs['media-type'] && media.attrs['media-type'] !== 'image') return null;
  const refs = elements(media, 'media-reference').filter((r) => r.attrs.source);
  if (!refs.length) return null;
  const renditions = refs.map((r) => ({
    href: r.attrs.source,
    ...(r.attrs['mime-type'] ? { mimeType: r.attrs['mime-type'] } : {}),
    ...(Number(r.attrs.width) ? { width: Number(r.attrs.width) } : {}),
    ...(Number(r.attrs.height) ? { height: Number(r.attrs.height) } : {}),
  }));
  const biggest = [...renditions].sort((a, b) => (b.width ?? 0) - (a.width ?? 0))[0];
  return {
    href: biggest.href,
    caption: cleanTextOf(child(media, 'media-caption')),
    credit: cleanTextOf(child(media, 'media-producer')),
    copyrightHolder: null,
    usageTerms: null,
    altText: cleanText(refs[0].attrs['alternate-text']),
    renditions,
  };
}

/** What a `<nitf>` element says, into `item` (fields the envelope already set are kept). */
export function readNitf(nitf: XmlElement, item: IngestItem): void {
  const docdata = find(nitf, 'head/docdata');
  const w = item.warnings;
  if (docdata) {
    item.guid ??= cleanText(child(docdata, 'doc-id')?.attrs['id-string']);
    item.version ??= cleanText(child(docdata, 'du-key')?.attrs.version);
    const issued = parseTime(child(docdata, 'date.issue')?.attrs.norm, 'date.issue', w);
    item.versionCreated ??= issued;
    item.firstCreated ??= issued;
    const release = parseTime(child(docdata, 'date.release')?.attrs.norm, 'date.release', w);
    if (release && Date.parse(release) > Date.now()) item.embargoed ??= release;
    const status = docdata.attrs['management-status'];
    if (status === 'withheld' || status === 'canceled') item.pubStatus = status;
    if (status === 'embargoed' && release) item.embargoed ??= release;
    item.ednote ??= cleanText(child(docdata, 'ed-msg')?.attrs.info);
    const correction = child(docdata, 'correction');
    if (correction) {
      item.correction = cleanText(correction.attrs.info) ?? 'Corrected';
      if (!item.signals.includes('correction')) item.signals.push('correction');
    }
    item.provider ??= cleanText(child(docdata, 'doc.copyright')?.attrs.holder);
    for (const subject of descendants(find(nitf, 'head') ?? docdata, 'tobject.subject')) {
      const name = cleanText(subject.attrs['tobject.subject.matter'] ?? subject.attrs['tobject.subject.detail'] ?? subject.attrs['tobject.subject.type']);
      const code = cleanText(subject.attrs['tobject.subject.refnum']);
      if (name) item.concepts.push({ name, kind: 'topic', ...(code ? { code: `subj:${code}` } : {}) });
    }
    for (const [tag, kind] of Object.entries(INLINE_CONCEPTS)) {
      for (const el of findAll(docdata, `identified-content/${tag}`)) {
        const name = cleanTextOf(el) ?? cleanText(el.attrs.value);
        if (name) item.concepts.push({ name, kind, ...(el.attrs.value && el.attrs.idsrc ? { code: `${el.attrs.idsrc}:${el.attrs.value}` } : {}) });
      }
    }
  }
  const head = find(nitf, 'body/body.head');
  const hedline = child(head, 'hedline');
  const hl1 = cleanTextOf(child(hedline, 'hl1')) ?? cleanTextOf(find(nitf, 'head/title'));
  if (hl1) {
    item.headline ??= hl1;
    if (!item.headlines.some((h) => h.value === hl1)) item.headlines.push({ role: item.headlines.length ? 'hl1' : 'main', value: hl1 });
  }
  for (const hl2 of elements(hedline, 'hl2')) {
    const value = cleanTextOf(hl2);
    if (value) item.headlines.push({ role: 'subtitle', value });
  }
  // An envelope's byline (G2 `by`/`creator`) is the same person said once: NITF's is read only without one.
  for (const byline of item.bylines.length ? [] : elements(head, 'byline')) {
    const people = elements(byline, 'person').map(cleanTextOf).filter((p): p is string => Boolean(p));
    if (people.length) item.bylines.push(...people);
    else {
      // The byline without its title (`By Meredith Jameson, <byttl>Staff Reporter</byttl>`), unless the title is all it has.
      const name = cleanText(byline.children.map((c) => (typeof c === 'string' || c.name !== 'byttl' ? textOf(c) : '')).join(''))?.replace(/[,\s]+$/, '');
      const text = (name ?? cleanTextOf(byline))?.replace(/^by\s+/i, '');
      if (text) item.bylines.push(text);
    }
  }
  const dateline = child(head, 'dateline');
  if (dateline) {
    item.located ??= cleanTextOf(child(dateline, 'location')) ?? cleanTextOf(dateline);
    const norm = child(dateline, 'story.date')?.attrs.norm;
    if (norm && /^\d{8}/.test(norm)) item.dateline ??= `${norm.slice(0, 4)}-${norm.slice(4, 6)}-${norm.slice(6, 8)}`;
  }
  const abstract = child(head, 'abstract');
  if (abstract) item.standfirst ??= cleanTextOf(abstract);

  const content = find(nitf, 'body/body.content');
  if (content) {
    for (const media of descendants(content, 'media')) {
      const picture = pictureOf(media);
      if (picture) item.pictures.push(picture);
    }
    for (const [tag, kind] of Object.entries(INLINE_CONCEPTS)) {
      for (const el of descendants(content, tag)) {
        const name = cleanTextOf(el);
        if (name && !item.concepts.some((c) => c.name === name && c.kind === kind)) item.concepts.push({ name, kind });
      }
    }
    const html = toHtml(content, (el) => (el.name in RENAME ? RENAME[el.name] : undefined));
    item.sections = toSections(htmlToBlocks(html), item.warnings);
  }
  if (!item.dateline && item.firstCreated) item.dateline = item.firstCreated.slice(0, 10);
}

export function parseNitf(root: XmlElement): IngestItem {
  const item = emptyItem('nitf');
  item.language = cleanText(root.attrs['xml:lang'] ?? find(root, 'body')?.attrs['xml:lang']);
  readNitf(root, item);
  return item;
}
