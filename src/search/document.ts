/**
 * What the index holds of one published article locale, made from the article as the public sees
 * it: its title, standfirst, the names and aliases of the entities it names and of its bylines,
 * its body (every section's heading and blocks) and its hero image's caption (none once the
 * image's rights have expired: the caption leaves the index with the picture).
 */
import { rightsExpired } from '../image-rights';
import { monthOf } from '../distribution/sitemap-months';
import { searchLocale, tokenize } from './analyse';

interface EntityLike {
  documentId?: unknown;
  name?: unknown;
  aliases?: unknown;
}

/** A published article row with what the index needs populated. */
export interface ArticleForIndex {
  id: unknown;
  documentId: unknown;
  locale: unknown;
  slug?: unknown;
  title?: unknown;
  standfirst?: unknown;
  firstPublishedAt?: unknown;
  publishedAt?: unknown;
  sections?: Array<{ heading?: unknown; body?: unknown }> | null;
  entities?: EntityLike[] | null;
  authors?: EntityLike[] | null;
  heroImage?: { caption?: unknown; rightsExpireAt?: unknown } | null;
}

export interface IndexDocument {
  documentId: string;
  locale: string;
  articleId: number;
  slug: string | null;
  title: string;
  standfirst: string | null;
  body: string;
  captions: string | null;
  publishedMs: number;
  month: string;
  entityIds: string[];
  /** the folded words it holds, each once (the vocabulary) */
  words: string[];
  terms: { title: string[]; standfirst: string[]; entities: string[]; body: string[]; captions: string[] };
}

/** The text of Strapi blocks (any node with `text`, blocks one per line). */
export function blocksText(blocks: unknown): string {
  if (!Array.isArray(blocks)) return '';
  const inline = (node: unknown): string => {
    if (!node || typeof node !== 'object') return '';
    const n = node as { text?: unknown; children?: unknown };
    if (typeof n.text === 'string') return n.text;
    return Array.isArray(n.children) ? n.children.map(inline).join('') : '';
  };
  return blocks
    .map((block) => {
      const b = block as { type?: unknown; children?: unknown };
      if (b?.type === 'list' && Array.isArray(b.children)) return b.children.map(inline).join('\n');
      return inline(b);
    })
    .filter((line) => line.length > 0)
    .join('\n');
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

const namesOf = (list: EntityLike[] | null | undefined): string[] =>
  (list ?? []).flatMap((e) => [text(e.name), ...(Array.isArray(e.aliases) ? e.aliases.map(text) : [])]).filter((s): s is string => s !== null);

/** A date as epoch milliseconds (a Date, a number, an ISO string), or null. */
export const epochMs = (v: unknown): number | null => {
  if (v === null || v === undefined || v === '') return null;
  const ms = v instanceof Date ? v.getTime() : typeof v === 'number' ? v : new Date(String(v)).getTime();
  return Number.isFinite(ms) ? ms : null;
};

/** The text of an article's sections: each heading, then its blocks. */
export const sectionsText = (sections: ArticleForIndex['sections']): string =>
  (sections ?? [])
    .flatMap((s) => [text(s?.heading), blocksText(s?.body)])
    .filter((s): s is string => Boolean(s))
    .join('\n');

export function indexDocument(article: ArticleForIndex, now = Date.now()): IndexDocument {
  const locale = String(article.locale);
  const analyser = searchLocale(locale);
  const title = text(article.title) ?? '';
  const standfirst = text(article.standfirst);
  const body = sectionsText(article.sections);
  const hero = article.heroImage;
  const captions = hero && !rightsExpired(hero, now) ? text(hero.caption) : null;
  const entityNames = [...namesOf(article.entities), ...namesOf(article.authors)].join('\n');
  const publishedMs = epochMs(article.firstPublishedAt) ?? epochMs(article.publishedAt) ?? now;
  const fields = { title, standfirst, entities: entityNames, body, captions };
  const words = new Set<string>();
  const terms = {} as IndexDocument['terms'];
  for (const [name, value] of Object.entries(fields) as Array<[keyof IndexDocument['terms'], string | null]>) {
    const tokens = value ? tokenize(value, analyser) : [];
    terms[name] = tokens.map((t) => t.term);
    for (const t of tokens) if (t.word.length <= 64) words.add(t.word);
  }
  const entityIds = [...new Set((article.entities ?? []).map((e) => e.documentId).filter((d): d is string => typeof d === 'string'))];
  return {
    documentId: String(article.documentId),
    locale,
    articleId: Number(article.id),
    slug: text(article.slug),
    title,
    standfirst,
    body,
    captions,
    publishedMs,
    month: monthOf(new Date(publishedMs)),
    entityIds,
    words: [...words],
    terms,
  };
}
