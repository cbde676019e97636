/**
 * A WordPress export (WXR 1.1 / 1.2) read as a stream with saxes: one `<item>` at a time is held in
 * memory, whatever the file's size, and a DTD declaring entities is refused as everywhere in ingest.
 * Yields the channel's facts (language, authors) first, then each item's fields.
 */
import { createReadStream } from 'node:fs';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { malformed } from '../errors';

export interface WxrMeta {
  name: string;
  value: string;
}

export interface WxrCategory {
  domain: string;
  nicename: string;
  name: string;
}

export interface WxrItem {
  title: string;
  link: string;
  guid: string;
  creator: string;
  content: string;
  excerpt: string;
  postId: string;
  postDate: string;
  postDateGmt: string;
  postModifiedGmt: string;
  postName: string;
  status: string;
  postType: string;
  attachmentUrl: string;
  categories: WxrCategory[];
  meta: WxrMeta[];
}

export interface WxrChannel {
  language: string | null;
  /** author_login → display name */
  authors: Map<string, string>;
}

const FIELDS: Record<string, keyof WxrItem> = {
  title: 'title',
  link: 'link',
  guid: 'guid',
  creator: 'creator',
  post_id: 'postId',
  post_date: 'postDate',
  post_date_gmt: 'postDateGmt',
  post_modified_gmt: 'postModifiedGmt',
  post_name: 'postName',
  status: 'status',
  post_type: 'postType',
  attachment_url: 'attachmentUrl',
};

const emptyItem = (): WxrItem => ({
  title: '', link: '', guid: '', creator: '', content: '', excerpt: '', postId: '', postDate: '', postDateGmt: '', postModifiedGmt: '', postName: '', status: '', postType: '', attachmentUrl: '', categories: [], meta: [],
});

/**
 * Reads `file`, calling `onChannel` once the channel's head is read (before the first item) and
 * `onItem` for every item, awaited one by one (the stream is paused meanwhile).
 */
export async function readWxr(file: string, onItem: (item: WxrItem, channel: WxrChannel) => Promise<void>): Promise<WxrChannel> {
  const channel: WxrChannel = { language: null, authors: new Map() };
  const parser = new SaxesParser({ xmlns: true, position: true });
  const path: string[] = [];
  let text = '';
  let item: WxrItem | null = null;
  let category: WxrCategory | null = null;
  let meta: Partial<WxrMeta> | null = null;
  let author: { login?: string; name?: string } | null = null;
  const ready: WxrItem[] = [];
  const fail = (message: string): never => {
    throw malformed(`WXR at line ${parser.line}, column ${parser.column}: ${message}`, { line: parser.line, column: parser.column });
  };
  parser.on('error', (e) => fail(e.message.replace(/^\d+:\d+: /, '')));
  parser.on('doctype', (d) => {
    if (/<!ENTITY/i.test(d)) fail('a DTD that declares entities is refused; nothing was expanded or fetched');
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    path.push(tag.local);
    text = '';
    if (tag.local === 'item' && path.length === 3) item = emptyItem();
    else if (item && tag.local === 'category' && path.length === 4) category = { domain: tag.attributes.domain?.value ?? '', nicename: tag.attributes.nicename?.value ?? '', name: '' };
    else if (item && tag.local === 'postmeta') meta = {};
    else if (!item && tag.local === 'author' && path.length === 3) author = {};
  });
  const onText = (t: string) => {
    text += t;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', (tag) => {
    const name = tag.local as string;
    const uri = (tag as SaxesTagNS).uri;
    const depth = path.length;
    path.pop();
    if (item) {
      if (name === 'item' && depth === 3) {
        ready.push(item);
        item = null;
      } else if (category && name === 'category') {
        category.name = text.trim();
        item.categories.push(category);
        category = null;
      } else if (meta && name === 'meta_key') meta.name = text.trim();
      else if (meta && name === 'meta_value') meta.value = text;
      else if (meta && name === 'postmeta') {
        if (meta.name) item.meta.push({ name: meta.name, value: meta.value ?? '' });
        meta = null;
      } else if (name === 'encoded' && depth === 4) {
        if (/excerpt/.test(uri)) item.excerpt = text;
        else item.content = text;
      } else if (depth === 4 && FIELDS[name]) (item[FIELDS[name]] as string) = text.trim();
    } else if (author) {
      if (name === 'author_login') author.login = text.trim();
      else if (name === 'author_display_name') author.name = text.trim();
      else if (name === 'author' && depth === 3) {
        if (author.login) channel.authors.set(author.login, author.name || author.login);
        author = null;
      }
    } else if (name === 'language' && depth === 3) channel.language = text.trim() || null;
    text = '';
  });
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024 });
  for await (const chunk of stream) {
    parser.write(chunk as string);
    while (ready.length) await onItem(ready.shift() as WxrItem, channel);
  }
  parser.close();
  while (ready.length) await onItem(ready.shift() as WxrItem, channel);
  return channel;
}
