/**
 * An article's body as HTML for feeds (`content:encoded`, Atom content, JSON Feed content_html):
 * the hero image with its caption and credit, each section's heading and Strapi blocks (rendered
 * by Strapi's own blocks renderer, React escaping every text), and the public log of updates.
 * Links keep only http(s), mailto and site-relative targets.
 */
import { createElement, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { BlocksRenderer, type BlocksContent } from '@strapi/blocks-react-renderer';
import type { Row } from '../reads/article-loader';

const SAFE_HREF = /^(https?:|mailto:|\/(?!\/)|#)/i;

const blocks = {
  link: ({ children, url }: { children?: ReactNode; url: string }) => (SAFE_HREF.test(url) ? createElement('a', { href: url }, children) : createElement('span', null, children)),
};

export interface BodyImage {
  url: string;
  alt: string;
  caption: string | null;
  credit: string | null;
}

export function bodyHtml(article: Row, hero: BodyImage | null): string {
  const parts: ReactNode[] = [];
  if (hero) {
    const caption = [hero.caption, hero.credit ? `(${hero.credit})` : null].filter(Boolean).join(' ');
    parts.push(createElement('figure', { key: 'hero' }, createElement('img', { src: hero.url, alt: hero.alt }), caption ? createElement('figcaption', null, caption) : null));
  }
  ((article.sections ?? []) as Row[]).forEach((section, i) => {
    if (typeof section.heading === 'string' && section.heading) parts.push(createElement('h2', { key: `h${i}` }, section.heading));
    if (Array.isArray(section.body)) parts.push(createElement(BlocksRenderer, { key: `b${i}`, content: section.body as BlocksContent, blocks }));
  });
  const updates = (article.updates ?? []) as Row[];
  if (updates.length > 0) {
    parts.push(
      createElement(
        'aside',
        { key: 'updates' },
        updates.map((u, i) =>
          createElement('p', { key: i }, createElement('em', null, `${String(u.kind).replace(/^./, (c) => c.toUpperCase())}${u.at ? ` (${new Date(String(u.at)).toISOString().slice(0, 10)})` : ''}: `), String(u.note)),
        ),
      ),
    );
  }
  return renderToStaticMarkup(createElement('div', null, parts));
}
