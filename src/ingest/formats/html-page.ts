/**
 * A pasted web page (or a fragment of one) as HTML: the article is found with Mozilla's Readability
 * over a linkedom document (a page's navigation, comments and footers dropped), the headline from
 * the page's `og:title`, first `h1` or title, the standfirst from its description when that is not
 * the lead paragraph itself, the date from `article:published_time` or a `<time datetime>`, pictures
 * from the article's `<figure>`s (image, caption and credit) and `og:image`.
 */
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { htmlToBlocks, plainOf, toSections } from '../blocks';
import { cleanText, emptyItem, parseTime, type IngestItem, type Picture } from '../item';

/** The part of linkedom's DOM read here (the project's TypeScript has no DOM library). */
interface El {
  textContent: string | null;
  innerHTML: string;
  getAttribute(name: string): string | null;
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): ArrayLike<El>;
  remove(): void;
}
interface Doc extends El {
  documentElement: El | null;
  body: El | null;
}

const meta = (doc: Doc, names: string[]): string | null => {
  for (const name of names) {
    const el = doc.querySelector(`meta[property="${name}"], meta[name="${name}"]`);
    const value = cleanText(el?.getAttribute('content'));
    if (value) return value;
  }
  return null;
};

const absolute = (href: string | null | undefined, base: string | null): string | null => {
  if (!href) return null;
  try {
    const url = new URL(href, base ?? undefined);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
};

/** A figure's credit: an element classed credit/byline/source inside its caption, or a trailing `(Photo: …)`. */
function figurePicture(figure: El, base: string | null): Picture | null {
  const img = figure.querySelector('img');
  const href = absolute(img?.getAttribute('src') ?? img?.getAttribute('data-src'), base);
  if (!href) return null;
  const captionEl = figure.querySelector('figcaption');
  const creditEl = captionEl?.querySelector('[class*="credit"], [class*="byline"], [class*="source"], small, cite');
  const credit = cleanText(creditEl?.textContent);
  creditEl?.remove();
  const caption = cleanText(captionEl?.textContent);
  return { href, caption, credit, copyrightHolder: null, usageTerms: null, altText: cleanText(img?.getAttribute('alt')), renditions: [{ href }] };
}

export function parseHtmlPage(html: string): IngestItem {
  const item = emptyItem('html');
  const { document } = parseHTML(/<html[\s>]/i.test(html) ? html : `<!doctype html><html><head></head><body>${html}</body></html>`) as unknown as { document: Doc };
  const base = absolute(meta(document, ['og:url']) ?? document.querySelector('link[rel="canonical"]')?.getAttribute('href'), null);
  item.language = cleanText(document.documentElement?.getAttribute('lang'));
  const h1 = cleanText(document.querySelector('h1')?.textContent);
  item.headline = meta(document, ['og:title', 'twitter:title']) ?? h1 ?? cleanText(document.querySelector('title')?.textContent);
  const description = meta(document, ['og:description', 'description', 'twitter:description']);
  item.dateline = (parseTime(meta(document, ['article:published_time', 'datePublished']) ?? document.querySelector('time[datetime]')?.getAttribute('datetime'), 'published time', item.warnings) ?? '').slice(0, 10) || null;
  item.bylines = [meta(document, ['author', 'article:author'])].filter((b): b is string => Boolean(b && !/^https?:/.test(b)));

  // Figures are taken out before Readability, which keeps images but loses their captions' structure.
  for (const figure of Array.from(document.querySelectorAll('figure'))) {
    const picture = figurePicture(figure, base);
    if (picture) item.pictures.push(picture);
    figure.remove();
  }
  const ogImage = absolute(meta(document, ['og:image']), base);
  if (ogImage && !item.pictures.some((p) => p.href === ogImage)) item.pictures.unshift({ href: ogImage, caption: meta(document, ['og:image:alt']), credit: null, copyrightHolder: null, usageTerms: null, altText: meta(document, ['og:image:alt']), renditions: [{ href: ogImage }] });

  const bodyHtml = document.body?.innerHTML ?? '';
  const article = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0], { charThreshold: 100, keepClasses: false }).parse();
  if (article?.byline && !item.bylines.length) item.bylines = [cleanText(article.byline) as string].filter(Boolean);
  const blocks = htmlToBlocks(article?.content ?? bodyHtml);
  // The page's own h1 is the headline, not a section.
  if (blocks[0]?.type === 'heading' && plainOf(blocks[0].children) === (h1 ?? item.headline)) blocks.shift();
  const lead = blocks.find((b) => b.type === 'paragraph');
  if (description && (!lead || plainOf(lead.children) !== description)) item.standfirst = description;
  item.sections = toSections(blocks, item.warnings);
  return item;
}
