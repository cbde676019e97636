/**
 * IPTC NewsML-G2: a `newsItem`, a `newsMessage` holding several, and a `packageItem` that groups a
 * text with its pictures (its `itemRef@residref`s name items of the same message). Read from a text
 * item: `guid` and `version`; `itemMeta` (`provider`, `versionCreated`, `firstCreated`, `embargoed`,
 * `pubStatus` stat:usable / stat:withheld / stat:canceled, every `signal` — sig:update,
 * sig:correction —, `edNote`); `contentMeta` (every `headline` with its role, `slugline`, `description`
 * roles, `by`/`creator`, `dateline`, `located`, `subject`/`genre` qcodes with names and URIs);
 * `rightsInfo`; `contentSet` with an `inlineXML` XHTML or NITF body (nested markup kept) or
 * `inlineData` text. A picture item: its `remoteContent` renditions, caption, creator and rights.
 */
import { htmlToBlocks, textToBlocks, toSections } from '../blocks';
import { invalidItem } from '../errors';
import { cleanText, emptyItem, parseTime, type Concept, type ConceptKind, type IngestItem, type Picture, type Signal } from '../item';
import { child, cleanTextOf, descendants, elements, find, textOf, toHtml, type XmlElement } from '../xml';
import { largest } from './ninjs';
import { readNitf } from './nitf';

const local = (qcode: string | undefined) => (qcode ? qcode.slice(qcode.indexOf(':') + 1) : '');

const CONCEPT_KINDS: Record<string, ConceptKind> = {
  'cpnat:person': 'person',
  'cpnat:organisation': 'organization',
  'cpnat:geoArea': 'place',
  'cpnat:poi': 'place',
  'cpnat:event': 'event',
  'cpnat:abstract': 'topic',
  'cpnat:object': 'topic',
};

/** A concept's name in the item's language, else the first. */
function nameOf(el: XmlElement, language: string | null): string | null {
  const names = elements(el, 'name');
  const base = language?.split('-')[0];
  const chosen = names.find((n) => n.attrs['xml:lang'] === language) ?? names.find((n) => base && n.attrs['xml:lang']?.split('-')[0] === base) ?? names[0];
  return cleanTextOf(chosen);
}

function concept(el: XmlElement, language: string | null): Concept | null {
  const name = nameOf(el, language);
  if (!name) return null;
  const type = el.attrs.type;
  const kind: ConceptKind = (type && CONCEPT_KINDS[type]) || 'topic';
  const out: Concept = { name, kind };
  if (el.attrs.qcode) out.code = el.attrs.qcode;
  if (el.attrs.uri) out.uri = el.attrs.uri;
  // A sameAs carrying a Wikidata URI or qcode identifies it best.
  for (const same of elements(el, 'sameAs')) {
    if (same.attrs.uri && !out.uri) out.uri = same.attrs.uri;
    if (same.attrs.qcode?.startsWith('wd:') && !out.uri) out.uri = `http://www.wikidata.org/entity/${local(same.attrs.qcode)}`;
  }
  if (el.attrs.rel) out.rel = el.attrs.rel;
  return out;
}

const itemClass = (item: XmlElement) => find(item, 'itemMeta/itemClass')?.attrs.qcode ?? '';
const isPicture = (item: XmlElement) => /^ninat:(picture|graphic)$/.test(itemClass(item));

function rights(item: XmlElement) {
  const info = child(item, 'rightsInfo');
  return { holder: cleanTextOf(find(info, 'copyrightHolder/name')), usageTerms: cleanTextOf(child(info, 'usageTerms')) };
}

function pictureItem(item: XmlElement): Picture | null {
  const contentMeta = child(item, 'contentMeta');
  const language = item.attrs['xml:lang'] ?? null;
  const renditions = elements(child(item, 'contentSet'), 'remoteContent')
    .filter((r) => r.attrs.href)
    .map((r) => ({
      href: r.attrs.href,
      ...(r.attrs.rendition ? { name: local(r.attrs.rendition) } : {}),
      ...(r.attrs.contenttype ? { mimeType: r.attrs.contenttype } : {}),
      ...(Number(r.attrs.width) ? { width: Number(r.attrs.width) } : {}),
      ...(Number(r.attrs.height) ? { height: Number(r.attrs.height) } : {}),
    }));
  if (!renditions.length) return null;
  const descriptions = elements(contentMeta, 'description');
  const caption = descriptions.find((d) => d.attrs.role === 'drol:caption') ?? descriptions[0];
  const { holder, usageTerms } = rights(item);
  return {
    href: largest(renditions)?.href ?? renditions[0].href,
    caption: cleanTextOf(caption) ?? cleanTextOf(child(contentMeta, 'headline')),
    credit: cleanTextOf(child(contentMeta, 'creditline')) ?? nameOf(child(contentMeta, 'creator') ?? ({ children: [] } as unknown as XmlElement), language) ?? cleanTextOf(child(contentMeta, 'by')),
    copyrightHolder: holder,
    usageTerms,
    altText: cleanTextOf(descriptions.find((d) => d.attrs.role === 'drol:alternative')),
    renditions,
  };
}

/** The XHTML or NITF body of an `inlineXML`, or the text of an `inlineData`. */
function readContent(contentSet: XmlElement | null, item: IngestItem): void {
  const inline = child(contentSet, 'inlineXML');
  if (inline) {
    const nitf = descendants(inline, 'nitf')[0];
    if (nitf) {
      readNitf(nitf, item);
      return;
    }
    const body = descendants(inline, 'body')[0] ?? inline;
    item.sections = toSections(htmlToBlocks(toHtml(body)), item.warnings);
    return;
  }
  const data = child(contentSet, 'inlineData');
  if (data) {
    const type = data.attrs.contenttype ?? 'text/plain';
    item.sections = toSections(/html/.test(type) ? htmlToBlocks(textOf(data)) : textToBlocks(textOf(data)), item.warnings);
  }
}

function textItem(el: XmlElement): IngestItem {
  const item = emptyItem('newsml-g2');
  const w = item.warnings;
  const meta = child(el, 'itemMeta');
  const content = child(el, 'contentMeta');
  item.guid = cleanText(el.attrs.guid);
  item.version = cleanText(el.attrs.version);
  item.language = cleanText(el.attrs['xml:lang']);
  const provider = child(meta, 'provider');
  item.provider = (provider && (nameOf(provider, item.language) ?? cleanText(local(provider.attrs.qcode) || provider.attrs.literal))) || null;
  item.versionCreated = parseTime(cleanTextOf(child(meta, 'versionCreated')), 'versionCreated', w);
  item.firstCreated = parseTime(cleanTextOf(child(meta, 'firstCreated')), 'firstCreated', w);
  item.embargoed = parseTime(cleanTextOf(child(meta, 'embargoed')), 'embargoed', w);
  const status = local(child(meta, 'pubStatus')?.attrs.qcode);
  item.pubStatus = status === 'withheld' || status === 'canceled' ? status : 'usable';
  if (status && !['usable', 'withheld', 'canceled'].includes(status)) w.push(`pubStatus stat:${status} is not known: read as usable`);
  item.signals = elements(meta, 'signal')
    .map((s) => local(s.attrs.qcode))
    .filter((s): s is Signal => s === 'update' || s === 'correction');
  item.ednote = elements(meta, 'edNote').map(cleanTextOf).filter(Boolean).join('\n') || null;

  const headlines = elements(content, 'headline').filter((h) => cleanTextOf(h));
  const main = headlines.find((h) => !h.attrs.role || h.attrs.role === 'hld:main') ?? headlines[0];
  item.headlines = [main, ...headlines.filter((h) => h !== main)].filter(Boolean).map((h) => ({ role: h!.attrs.role ? local(h!.attrs.role) : 'main', value: cleanTextOf(h!) as string }));
  item.headline = item.headlines[0]?.value ?? null;
  item.slugline = cleanTextOf(child(content, 'slugline'));
  const descriptions = elements(content, 'description');
  const summary = descriptions.find((d) => ['drol:summary', 'drol:teaser', 'drol:abstract'].includes(d.attrs.role ?? '')) ?? descriptions.find((d) => !d.attrs.role);
  item.standfirst = cleanTextOf(summary);
  const by = elements(content, 'by').map(cleanTextOf).filter((b): b is string => Boolean(b));
  const creators = elements(content, 'creator').map((c) => nameOf(c, item.language) ?? cleanText(c.attrs.literal)).filter((c): c is string => Boolean(c));
  item.bylines = (by.length ? by : creators).map((b) => b.replace(/^by\s+/i, ''));
  const located = child(content, 'located');
  item.located = located ? nameOf(located, item.language) : null;
  item.ednote ??= null;
  const dateline = cleanTextOf(child(content, 'dateline'));
  if (dateline && !item.located) item.located = dateline;
  const created = cleanTextOf(child(content, 'contentCreated')) ?? cleanTextOf(child(meta, 'firstCreated')) ?? cleanTextOf(child(meta, 'versionCreated'));
  item.dateline = created && /^\d{4}-\d{2}-\d{2}/.test(created) ? created.slice(0, 10) : null;
  for (const tag of ['subject', 'genre']) {
    for (const s of elements(content, tag)) {
      const c = concept(s, item.language);
      if (c) item.concepts.push(c);
    }
  }
  const { holder, usageTerms } = rights(el);
  item.provider ??= holder;
  readContent(child(el, 'contentSet'), item);
  if (usageTerms) item.warnings.push(`usage terms: ${usageTerms}`);
  return item;
}

/**
 * The text items of a G2 document with their pictures. A package gives each text the pictures it
 * groups with it; a message with one text and loose pictures gives it those.
 */
export function parseNewsmlG2(root: XmlElement): IngestItem[] {
  let items: XmlElement[];
  let packages: XmlElement[] = [];
  if (root.name === 'newsItem') items = [root];
  else if (root.name === 'newsMessage') {
    const set = child(root, 'itemSet');
    items = elements(set, 'newsItem');
    packages = elements(set, 'packageItem');
  } else if (root.name === 'packageItem') {
    throw invalidItem('a packageItem on its own names items it does not carry: send it in a newsMessage with its items', [{ path: 'packageItem', message: 'send the package in a newsMessage with its items' }]);
  } else throw invalidItem(`${root.name} is not a NewsML-G2 news item`, [{ path: root.name, message: 'expected newsItem, newsMessage or packageItem' }]);

  const texts = items.filter((i) => !isPicture(i));
  const pictures = new Map(items.filter(isPicture).map((i) => [i.attrs.guid, i]));
  if (!texts.length) throw invalidItem('the document holds no text item (only pictures or other media)', [{ path: root.name, message: 'no newsItem of class ninat:text' }]);
  const parsed = new Map(texts.map((t) => [t, textItem(t)]));
  const used = new Set<string>();
  for (const pkg of packages) {
    const refs = descendants(pkg, 'itemRef').map((r) => r.attrs.residref).filter(Boolean);
    const text = texts.find((t) => refs.includes(t.attrs.guid));
    if (!text) continue;
    for (const ref of refs) {
      const pic = pictures.get(ref);
      const picture = pic && pictureItem(pic);
      if (picture) {
        parsed.get(text)!.pictures.push(picture);
        used.add(ref);
      }
    }
  }
  if (texts.length === 1 && !packages.length) {
    for (const [guid, pic] of pictures) {
      const picture = pictureItem(pic);
      if (picture && !used.has(guid)) parsed.get(texts[0])!.pictures.push(picture);
    }
  }
  return [...parsed.values()];
}
