/**
 * IPTC ninjs 1.x and 2.x. The item is validated against IPTC's published schema for its major
 * version (`src/ingest/schemas/`, with ajv) before anything is read: a violation is a 422 naming the
 * JSON path. Version: 2.x when the item says so (`$standard` / `standard`) or uses a 2.x property
 * (`headlines`, `bodies`, `by`, `people` …); 1.x otherwise.
 *
 * 1.x: `uri`, `headline`, `description_text`, `body_html` / `body_text`, `byline`,
 * `person`/`organisation`/`place`/`subject` as `{name, code, scheme, rel}`, `associations` as an object.
 * 2.x: `headlines[]`/`descriptions[]`/`bodies[]` with `role` and `contenttype`, `by`,
 * `people`/`organisations`/`places`/`subjects`/`events` with `uri`, `renditions[]`/`associations[]`.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { htmlToBlocks, textToBlocks, toSections } from '../blocks';
import { invalidItem } from '../errors';
import { cleanText, emptyItem, parseTime, type Concept, type ConceptKind, type IngestItem, type Picture, type Rendition } from '../item';
import schema1 from '../schemas/ninjs-schema_1.6.json';
import geojson from '../schemas/GeoJSON.json';
import schema2 from '../schemas/ninjs-schema_2.2.json';

type Json = Record<string, unknown>;

let validators: { v1: ValidateFunction; v2: ValidateFunction } | null = null;

function compiled() {
  if (validators) return validators;
  const a1 = new Ajv({ strict: false, allErrors: true });
  const a2 = new Ajv2020({ strict: false, allErrors: true });
  addFormats(a1);
  addFormats(a2);
  // 2.2 refers to GeoJSON's schema by its URL; the copy beside it answers (its draft-07 `$schema` dropped: its keywords are the same in 2020-12).
  const { $schema: _draft, ...geometry } = geojson as Json;
  a2.addSchema(geometry);
  validators = { v1: a1.compile(schema1), v2: a2.compile(schema2) };
  return validators;
}

const V2_KEYS = ['headlines', 'bodies', 'descriptions', 'by', 'people', 'organisations', 'places', 'subjects', 'events', 'objects', 'infosources', 'genres', 'trustindicators'];

export function ninjsMajor(item: Json): 1 | 2 | 3 {
  const standard = (item.$standard ?? item.standard) as { version?: unknown } | undefined;
  const declared = typeof standard?.version === 'string' ? Number.parseInt(standard.version, 10) : NaN;
  if (declared === 1 || declared === 2 || declared === 3) return declared;
  return V2_KEYS.some((k) => k in item) || Array.isArray(item.renditions) || Array.isArray(item.associations) ? 2 : 1;
}

const describe = (e: ErrorObject) => {
  const extra = e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : e.keyword === 'enum' ? ` (${((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).join(', ')})` : '';
  return `${e.message ?? e.keyword}${extra}`;
};

function validate(item: unknown): 1 | 2 {
  if (!item || typeof item !== 'object' || Array.isArray(item)) throw invalidItem('a ninjs item is a JSON object', [{ path: '', message: 'must be an object' }]);
  const major = ninjsMajor(item as Json);
  if (major === 3) throw invalidItem('ninjs 3.x is not read yet: send 1.x or 2.x', [{ path: '/$standard/version', message: 'ninjs 3.x is not supported' }]);
  const check = major === 1 ? compiled().v1 : compiled().v2;
  if (!check(item)) {
    const details = (check.errors ?? []).slice(0, 10).map((e) => ({ path: e.instancePath || '/', message: describe(e) }));
    throw invalidItem(`not valid ninjs ${major}.x: ${details[0].path} ${details[0].message}`, details);
  }
  return major;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? cleanText(v) : null);
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter((x): x is Json => Boolean(x) && typeof x === 'object') : []);

function concepts(values: unknown, kind: ConceptKind): Concept[] {
  return list(values).flatMap((c) => {
    const name = str(c.name) ?? str(c.literal);
    if (!name) return [];
    const concept: Concept = { name, kind };
    const code = str(c.code);
    const uri = str(c.uri) ?? (str(c.scheme) && code ? `${str(c.scheme)}${code}` : null);
    if (code) concept.code = code;
    if (uri) concept.uri = uri;
    if (str(c.rel)) concept.rel = str(c.rel) as string;
    return [concept];
  });
}

const byRole = (values: Json[], roles: string[]) => roles.map((r) => values.find((v) => str(v.role) === r)).find(Boolean);

const looksLikeMarkup = (value: string) => /^\s*</.test(value) || /<\/(p|div|h[1-6]|li)>/i.test(value);

function body(bodies: { contenttype: string | null; value: string }[], item: IngestItem): void {
  const isRich = (b: { contenttype: string | null; value: string }) => (b.contenttype ? /html|xml/.test(b.contenttype) : looksLikeMarkup(b.value));
  const chosen = bodies.find(isRich) ?? bodies[0];
  if (!chosen) return;
  const blocks = isRich(chosen) ? htmlToBlocks(chosen.value) : textToBlocks(chosen.value);
  item.sections = toSections(blocks, item.warnings);
}

function renditionsOf(value: unknown): Rendition[] {
  const entries: Json[] = Array.isArray(value) ? (value as Json[]) : value && typeof value === 'object' ? Object.entries(value as Record<string, Json>).map(([name, r]): Json => ({ name, ...r })) : [];
  return entries.flatMap((r) => {
    const href = str(r.href);
    if (!href) return [];
    const out: Rendition = { href };
    if (str(r.name)) out.name = str(r.name) as string;
    const mime = str(r.contenttype) ?? str(r.mimetype);
    if (mime) out.mimeType = mime;
    if (typeof r.width === 'number') out.width = r.width;
    if (typeof r.height === 'number') out.height = r.height;
    return [out];
  });
}

/** The rendition to store: the widest image one (a missing width counts as small). */
export function largest(renditions: Rendition[]): Rendition | null {
  const images = renditions.filter((r) => !r.mimeType || r.mimeType.startsWith('image/'));
  return [...images].sort((a, b) => (b.width ?? 0) - (a.width ?? 0))[0] ?? null;
}

function picture(a: Json, major: 1 | 2): Picture | null {
  if (str(a.type) && str(a.type) !== 'picture' && str(a.type) !== 'graphic') return null;
  const renditions = renditionsOf(a.renditions);
  const descriptions = list(a.descriptions);
  const caption = major === 2 ? str((byRole(descriptions, ['caption', 'summary']) ?? descriptions[0])?.value) ?? str(list(a.headlines)[0]?.value) : str(a.description_text) ?? str(a.headline);
  // Without a rendition that has an href, an http(s) `uri` is the picture itself (IPTC's own 1.6 association example).
  const uri = str(a.uri);
  return {
    href: largest(renditions)?.href ?? (uri && /^https?:\/\//.test(uri) ? uri : null),
    caption,
    credit: major === 2 ? str(a.by) : str(a.byline),
    copyrightHolder: str(a.copyrightholder),
    usageTerms: str(a.usageterms),
    altText: major === 2 ? str(byRole(descriptions, ['alt', 'alttext', 'alt-text'])?.value) : str(a.description_alt) ?? null,
    renditions,
  };
}

export function parseNinjs(input: unknown): IngestItem {
  const major = validate(input);
  const n = input as Json;
  const item = emptyItem('ninjs');
  item.guid = str(n.uri);
  item.version = str(n.version);
  item.versionCreated = parseTime(str(n.versioncreated), 'versioncreated', item.warnings);
  item.firstCreated = parseTime(str(n.firstcreated), 'firstcreated', item.warnings);
  item.pubStatus = (str(n.pubstatus) as IngestItem['pubStatus'] | null) ?? 'usable';
  item.embargoed = parseTime(str(n.embargoed), 'embargoed', item.warnings);
  item.language = str(n.language);
  item.located = str(n.located);
  item.slugline = str(n.slugline);
  item.ednote = str(n.ednote);
  item.provider = str(n.copyrightholder);
  const created = str(n.contentcreated) ?? str(n.firstcreated) ?? str(n.versioncreated);
  item.dateline = created && /^\d{4}-\d{2}-\d{2}/.test(created) ? created.slice(0, 10) : null;
  const pictures: Picture[] = [];
  if (major === 1) {
    // `headline`, else an extra headline (`headline_main` in IPTC's own 1.6 examples).
    if (str(n.headline)) item.headlines.push({ role: 'main', value: str(n.headline) as string });
    for (const [key, value] of Object.entries(n)) if (key.startsWith('headline_') && str(value)) item.headlines.push({ role: key.slice(9), value: str(value) as string });
    item.headline = item.headlines[0]?.value ?? null;
    item.standfirst = str(n.description_text) ?? str(n.description_usage);
    // `body_html`/`body_xhtml` are markup, `body_text` is not; other `body_*` names say nothing, so their content decides.
    const bodies = Object.entries(n)
      .filter(([k, v]) => k.startsWith('body_') && typeof v === 'string')
      .map(([k, v]) => ({ contenttype: k === 'body_text' ? 'text/plain' : /html/.test(k) ? 'text/html' : null, value: v as string }));
    body(bodies, item);
    item.bylines = str(n.byline) ? [str(n.byline) as string] : [];
    item.concepts = [...concepts(n.person, 'person'), ...concepts(n.organisation, 'organization'), ...concepts(n.place, 'place'), ...concepts(n.subject, 'topic'), ...concepts(n.event, 'event')];
    for (const a of Object.values((n.associations as Record<string, Json> | undefined) ?? {})) {
      const p = picture(a, 1);
      if (p) pictures.push(p);
    }
  } else {
    const headlines = list(n.headlines).filter((h) => str(h.value));
    const main = byRole(headlines, ['main', 'headline']) ?? headlines[0];
    item.headline = str(main?.value);
    item.headlines = [main, ...headlines.filter((h) => h !== main)].filter(Boolean).map((h) => ({ role: str(h!.role), value: str(h!.value) as string }));
    const descriptions = list(n.descriptions);
    item.standfirst = str((byRole(descriptions, ['summary', 'abstract', 'teaser', 'standfirst', 'description']) ?? descriptions.find((d) => !str(d.role)))?.value);
    const bodies = list(n.bodies)
      .filter((b) => typeof b.value === 'string')
      .sort((a, b) => (str(a.role) === 'main' ? -1 : 0) - (str(b.role) === 'main' ? -1 : 0))
      .map((b) => ({ contenttype: str(b.contenttype), value: b.value as string }));
    body(bodies, item);
    item.bylines = str(n.by) ? [str(n.by) as string] : [];
    item.concepts = [...concepts(n.people, 'person'), ...concepts(n.organisations, 'organization'), ...concepts(n.places, 'place'), ...concepts(n.subjects, 'topic'), ...concepts(n.events, 'event')];
    for (const a of list(n.associations)) {
      const p = picture(a, 2);
      if (p) pictures.push(p);
    }
  }
  item.pictures = pictures;
  return item;
}
