/**
 * WordPress post content → HTML the ingest body cleaner reads: `[caption]` and `[gallery]`
 * shortcodes become figures (the gallery's attachments looked up by id), other shortcodes are kept as
 * text and counted, and paragraphs WordPress never wrote as `<p>` (its `wpautop` adds them on
 * display) are made from blank lines.
 */
export interface Attachment {
  url: string;
  caption: string;
  alt: string;
  title: string;
}

export interface Converted {
  html: string;
  /** shortcode names left as text, with how often */
  left: Map<string, number>;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const attr = (attrs: string, name: string) => new RegExp(`${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s\\]]+))`, 'i').exec(attrs)?.slice(1).find((v) => v !== undefined) ?? null;

const figure = (src: string, alt: string, caption: string) => `<figure><img src="${escape(src)}" alt="${escape(alt)}">${caption ? `<figcaption>${escape(caption)}</figcaption>` : ''}</figure>`;

/** `wpautop`, in short: blank lines separate paragraphs; block elements stay as they are. */
export function autop(html: string): string {
  if (/<p[\s>]/i.test(html)) return html;
  return html
    .split(/\n\s*\n/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => (/^<(h[1-6]|ul|ol|blockquote|figure|div|table|pre|hr)[\s>]/i.test(part) ? part : `<p>${part.replace(/\n/g, '<br>')}</p>`))
    .join('\n');
}

export function convertContent(content: string, attachments: Map<string, Attachment>): Converted {
  const left = new Map<string, number>();
  let html = content.replace(/\[caption([^\]]*)\]([\s\S]*?)\[\/caption\]/gi, (_all, attrs: string, inner: string) => {
    const img = /<img[^>]*>/i.exec(inner)?.[0] ?? '';
    const src = attr(img, 'src');
    const caption = (attr(attrs, 'caption') ?? inner.replace(/<a[^>]*>|<\/a>/gi, '').replace(/<img[^>]*>/i, '')).trim();
    return src ? `\n\n${figure(src, attr(img, 'alt') ?? '', caption)}\n\n` : caption;
  });
  html = html.replace(/\[gallery([^\]]*)\]/gi, (_all, attrs: string) => {
    const ids = (attr(attrs, 'ids') ?? '').split(',').map((id) => id.trim()).filter(Boolean);
    const figures = ids.map((id) => attachments.get(id)).filter((a): a is Attachment => Boolean(a)).map((a) => figure(a.url, a.alt, a.caption));
    return figures.length ? `\n\n${figures.join('\n')}\n\n` : '';
  });
  html = html.replace(/\[(\/?)([a-z][\w-]*)([^\]]*)\]/gi, (all, close: string, name: string) => {
    if (!close) left.set(name, (left.get(name) ?? 0) + 1);
    return all;
  });
  return { html: autop(html), left };
}
