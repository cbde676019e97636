/**
 * The one shape every format parser produces and the pipeline writes: an agency item, a pasted
 * page or a WordPress post, normalised. Times are ISO strings in UTC (whatever offset the source
 * wrote); the body is Strapi blocks already split into sections at subheadings.
 */
import type { Block } from './blocks';

export type IngestFormat = 'ninjs' | 'newsml-g2' | 'nitf' | 'text' | 'html' | 'wordpress';
export type PubStatus = 'usable' | 'withheld' | 'canceled';
export type Signal = 'update' | 'correction';
export type ConceptKind = 'person' | 'organization' | 'place' | 'topic' | 'event';

/** A person, organisation, place or subject the item itself names, with the codes it carries. */
export interface Concept {
  name: string;
  kind: ConceptKind;
  /** a qcode (`medtop:04000000`), a ninjs code, a NITF tobject refnum */
  code?: string;
  /** a URI (`http://www.wikidata.org/entity/Q6279`) */
  uri?: string;
  rel?: string;
}

export interface Rendition {
  href: string;
  name?: string;
  mimeType?: string;
  width?: number;
  height?: number;
}

export interface Picture {
  /** the rendition to store: the largest image one */
  href: string | null;
  caption: string | null;
  /** as the source gives it, e.g. `REUTERS/Kevin Lamarque` */
  credit: string | null;
  copyrightHolder: string | null;
  usageTerms: string | null;
  altText: string | null;
  renditions: Rendition[];
}

export interface Section {
  heading: string | null;
  body: Block[];
}

export interface IngestItem {
  format: IngestFormat;
  /** ninjs `uri`, G2 `guid`, NITF `doc-id`, WordPress `guid`; null for a paste */
  guid: string | null;
  version: string | null;
  versionCreated: string | null;
  firstCreated: string | null;
  pubStatus: PubStatus;
  embargoed: string | null;
  signals: Signal[];
  /** BCP 47 as the source gives it (`en-GB`) */
  language: string | null;
  headline: string | null;
  /** every headline with its role, the main one first */
  headlines: { role: string | null; value: string }[];
  standfirst: string | null;
  bylines: string[];
  /** the story's date, YYYY-MM-DD */
  dateline: string | null;
  located: string | null;
  slugline: string | null;
  ednote: string | null;
  /** a correction the item carries (NITF `correction@info`) */
  correction: string | null;
  /** the agency or source, e.g. `Reuters` */
  provider: string | null;
  sections: Section[];
  pictures: Picture[];
  concepts: Concept[];
  /** what the parser dropped or could not read, for `meta.warnings` */
  warnings: string[];
}

export function emptyItem(format: IngestFormat): IngestItem {
  return {
    format,
    guid: null,
    version: null,
    versionCreated: null,
    firstCreated: null,
    pubStatus: 'usable',
    embargoed: null,
    signals: [],
    language: null,
    headline: null,
    headlines: [],
    standfirst: null,
    bylines: [],
    dateline: null,
    located: null,
    slugline: null,
    ednote: null,
    correction: null,
    provider: null,
    sections: [],
    pictures: [],
    concepts: [],
    warnings: [],
  };
}

/** Collapses runs of white space (pretty-printed XML) and trims; null for nothing. */
export function cleanText(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const text = value.replace(/[\s\u00a0]+/g, ' ').trim();
  return text === '' ? null : text;
}

const NITF_NORM = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A time as ISO UTC from what wires send: ISO 8601 with any offset (`-05:00`, `+0530`, `Z`, none =
 * UTC), a bare date, NITF's `YYYYMMDDTHHMMSS±HHMM`. Null (and a warning) for what is not a time,
 * never an exception: a missing or odd `firstCreated` must not stop an item.
 */
export function parseTime(value: string | null | undefined, field: string, warnings: string[]): string | null {
  const raw = cleanText(value);
  if (!raw) return null;
  let iso = raw;
  const nitf = NITF_NORM.exec(raw);
  if (nitf) {
    const [, y, mo, d, h = '00', mi = '00', s = '00', zone = 'Z'] = nitf;
    iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`;
  } else if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) {
    iso = `${raw}T00:00:00Z`;
  } else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(raw)) {
    iso = `${raw.replace(' ', 'T')}Z`;
  } else if (/[+-]\d{4}$/.test(raw)) {
    iso = `${raw.slice(0, -2)}:${raw.slice(-2)}`;
  }
  const time = Date.parse(iso);
  if (Number.isNaN(time) || !/^\d{4}/.test(iso)) {
    warnings.push(`${field} "${raw.slice(0, 60)}" is not a time: left out`);
    return null;
  }
  return new Date(time).toISOString();
}
