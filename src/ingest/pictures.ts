/**
 * Pictures an item references by URL (G2 `remoteContent`, ninjs renditions, NITF `media-reference`,
 * a page's figures) are fetched before the item's transaction and stored in it: a GET through the
 * outbound guard (request-filtering-agent refuses loopback, private, link-local and metadata
 * addresses at connect time, after DNS, unless INGEST_ALLOW_PRIVATE_SOURCES), at most 3 redirects
 * (each through the guard), 10 s, UPLOAD_MAX_BYTES; the type is what the bytes say (file-type), a
 * JPEG, PNG, WebP, GIF or AVIF. Each becomes an upload (the configured provider: disk or S3) and an
 * Image with caption, credit and agency (from `REUTERS/Kevin Lamarque` or the copyright holder),
 * usage terms and licence `agency`; an Image already made from the same URL is reused. A picture
 * that cannot be fetched leaves the article without it and is named in the warnings.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { useAgent } from 'request-filtering-agent';
import { IMAGE_TYPES, sniff } from '../middlewares/upload-guard';
import { writingAgencyFields } from './agency-fields';
import type { IngestItem, Picture } from './item';

const IMAGE = 'api::image.image';
const MAX_REDIRECTS = 3;
/** Pictures an item may bring; the rest are named in the warnings. */
export const MAX_PICTURES = 10;

export interface FetchOptions {
  allowPrivate: boolean;
  maxBytes: number;
  timeoutMs: number;
  /** a picture's file on this machine instead of its URL (a WordPress export's uploads folder), or null to fetch it */
  local?: (url: string) => string | null;
  /** the URL to fetch instead (a WordPress export's media moved to another host) */
  rewrite?: (url: string) => string;
}

export interface Fetched {
  picture: Picture;
  url: string;
  filepath: string;
  mime: string;
  size: number;
  /** the upload made of it before the item's transaction (uploadFetched) */
  fileId?: number;
  /** an Image was made of it in the transaction */
  stored?: boolean;
}

/** One GET to a file; rejects with a sentence saying why. */
function download(url: string, target: string, options: FetchOptions, redirects = 0): Promise<{ size: number }> {
  return new Promise((resolve, reject) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return reject(new Error('is not a URL'));
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return reject(new Error(`is ${parsed.protocol} (only http and https are fetched)`));
    const client = parsed.protocol === 'https:' ? https : http;
    let agent: http.Agent | undefined;
    try {
      agent = options.allowPrivate ? undefined : useAgent(url);
    } catch (error) {
      return reject(error instanceof Error ? error : new Error(String(error)));
    }
    const req = client.get(parsed, { agent, timeout: options.timeoutMs, headers: { 'user-agent': 'newsroom-cms-ingest/1', accept: 'image/*' } }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (redirects >= MAX_REDIRECTS) return reject(new Error(`redirected more than ${MAX_REDIRECTS} times`));
        return download(new URL(res.headers.location, parsed).href, target, options, redirects + 1).then(resolve, reject);
      }
      if (status !== 200) {
        res.resume();
        return reject(new Error(`answered ${status}`));
      }
      if (Number(res.headers['content-length']) > options.maxBytes) {
        res.destroy();
        return reject(new Error(`is larger than ${options.maxBytes} bytes`));
      }
      let size = 0;
      const out = createWriteStream(target);
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes) {
          res.destroy();
          out.destroy();
          reject(new Error(`is larger than ${options.maxBytes} bytes`));
        }
      });
      res.pipe(out);
      out.on('finish', () => resolve({ size }));
      out.on('error', reject);
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`took longer than ${options.timeoutMs} ms`)));
    req.on('error', (error: NodeJS.ErrnoException) => reject(new Error(error.code === 'ERR_REQUEST_FILTERING' || /is not allowed/.test(error.message) ? `is a private address (INGEST_ALLOW_PRIVATE_SOURCES is off): ${error.message}` : error.message)));
  });
}

/** Fetches `url` into a temporary file whose bytes are an image; throws a sentence otherwise (the file removed). */
export async function fetchPicture(url: string, options: FetchOptions): Promise<{ filepath: string; mime: string; size: number }> {
  const filepath = path.join(os.tmpdir(), `newsroom-ingest-${randomUUID()}`);
  try {
    const { size } = await download(url, filepath, options);
    const mime = await sniff(filepath);
    if (!mime || !(mime in IMAGE_TYPES)) throw new Error(`is not a JPEG, PNG, WebP, GIF or AVIF image (its bytes say ${mime ?? 'nothing known'})`);
    return { filepath, mime, size };
  } catch (error) {
    await fs.rm(filepath, { force: true });
    throw error;
  }
}

/** A picture on this machine, copied to a temporary file (the original stays where it is) if its bytes are an image. */
async function copyPicture(file: string, options: FetchOptions): Promise<{ filepath: string; mime: string; size: number }> {
  const stat = await fs.stat(file).catch(() => null);
  if (!stat?.isFile()) throw new Error(`is not in the uploads folder (${file})`);
  if (stat.size > options.maxBytes) throw new Error(`is larger than ${options.maxBytes} bytes`);
  const filepath = path.join(os.tmpdir(), `newsroom-ingest-${randomUUID()}`);
  await fs.copyFile(file, filepath);
  const mime = await sniff(filepath);
  if (!mime || !(mime in IMAGE_TYPES)) {
    await fs.rm(filepath, { force: true });
    throw new Error(`is not a JPEG, PNG, WebP, GIF or AVIF image (its bytes say ${mime ?? 'nothing known'})`);
  }
  return { filepath, mime, size: stat.size };
}

/** The pictures of `item` worth fetching: those with a URL, not already in the library by that URL. */
export async function fetchItemPictures(strapi: Core.Strapi, item: IngestItem, options: FetchOptions, warnings: string[]): Promise<Fetched[]> {
  // One fetch per URL: a post may show the same picture as its hero and in its body.
  const wanted = item.pictures.filter((p, i, all) => p.href && all.findIndex((q) => q.href === p.href) === i);
  if (wanted.length > MAX_PICTURES) warnings.push(`${wanted.length - MAX_PICTURES} pictures past the first ${MAX_PICTURES} were not fetched`);
  const fetched: Fetched[] = [];
  for (const picture of wanted.slice(0, MAX_PICTURES)) {
    const url = picture.href as string;
    if (await strapi.db.query(IMAGE).findOne({ where: { sourceUrl: url }, select: ['id'] })) {
      fetched.push({ picture, url, filepath: '', mime: '', size: 0 });
      continue;
    }
    try {
      const file = options.local?.(url) ?? null;
      fetched.push({ picture, url, ...(file ? await copyPicture(file, options) : await fetchPicture(options.rewrite?.(url) ?? url, options)) });
    } catch (error) {
      warnings.push(`picture ${url} was not fetched: it ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return fetched;
}

export async function removeFetched(fetched: Fetched[]): Promise<void> {
  await Promise.all(fetched.filter((f) => f.filepath).map((f) => fs.rm(f.filepath, { force: true })));
}

/** `REUTERS/Kevin Lamarque` or `Kevin Lamarque/Reuters` → agency and photographer; else the credit as given and the copyright holder as agency. */
export function splitCredit(credit: string | null, holder: string | null): { credit: string | null; agency: string | null } {
  if (!credit) return { credit: null, agency: holder };
  const parts = credit.split(/\s*\/\s*/);
  if (parts.length === 2) {
    const [a, b] = parts;
    const caps = (s: string) => s === s.toUpperCase() && /\p{L}/u.test(s);
    if (caps(a) && !caps(b)) return { agency: a, credit: b };
    if (caps(b) && !caps(a)) return { agency: b, credit: a };
  }
  return { credit, agency: holder };
}

const cut = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

const fileInfoOf = (item: IngestItem, f: Fetched) => {
  const caption = cut(f.picture.caption ?? item.headline ?? 'Picture', 1000);
  const altText = cut(f.picture.altText ?? caption, 300);
  const name = `${path.basename(new URL(f.url).pathname).replace(/[^\w.-]+/g, '-').slice(0, 80) || 'picture'}`;
  return { caption, altText, name };
};

async function upload(strapi: Core.Strapi, item: IngestItem, f: Fetched): Promise<number> {
  const { caption, altText, name } = fileInfoOf(item, f);
  const [file] = await strapi.plugin('upload').service('upload').upload({
    data: { fileInfo: { name, caption, alternativeText: altText } },
    files: { filepath: f.filepath, originalFilename: name, mimetype: f.mime, size: f.size },
  });
  return file.id as number;
}

/**
 * Before the item's transaction: each fetched picture through the upload provider, which makes
 * Strapi's resized formats (seconds of image work for a large picture) — so the transaction never
 * holds a connection, or SQLite's only one, while they are made.
 */
export async function uploadFetched(strapi: Core.Strapi, item: IngestItem, fetched: Fetched[]): Promise<void> {
  for (const f of fetched) if (f.filepath && f.fileId === undefined) f.fileId = await upload(strapi, item, f);
}

/**
 * After the item: the uploads no Image kept — all of them when its transaction rolled back, else
 * those it did not need (the item was unchanged, killed, or kept in the history only).
 */
export async function removeUnused(strapi: Core.Strapi, fetched: Fetched[], committed: boolean): Promise<void> {
  for (const f of fetched) {
    if (f.fileId === undefined || (committed && f.stored)) continue;
    const file = await strapi.db.query('plugin::upload.file').findOne({ where: { id: f.fileId } });
    if (file) await strapi.plugin('upload').service('upload').remove(file);
    f.fileId = undefined;
  }
}

/** In the item's transaction: each fetched picture as an Image (reused when one came from the same URL); their documentIds in order. */
export async function storePictures(strapi: Core.Strapi, item: IngestItem, fetched: Fetched[]): Promise<string[]> {
  const ids: string[] = [];
  for (const f of fetched) {
    const existing = (await strapi.db.query(IMAGE).findOne({ where: { sourceUrl: f.url }, select: ['documentId'] })) as { documentId: string } | null;
    if (existing) {
      ids.push(existing.documentId);
      continue;
    }
    if (!f.filepath) continue;
    const { caption, altText } = fileInfoOf(item, f);
    const asset = f.fileId ?? (f.fileId = await upload(strapi, item, f));
    const { credit, agency } = splitCredit(f.picture.credit, f.picture.copyrightHolder ?? item.provider);
    const image = await writingAgencyFields(() =>
      strapi.documents(IMAGE).create({
        data: {
          asset,
          caption,
          altText,
          ...(credit ? { credit: cut(credit, 200) } : {}),
          ...(agency ? { agency: cut(agency, 200) } : {}),
          ...(f.picture.usageTerms ? { usageTerms: cut(f.picture.usageTerms, 2000) } : {}),
          licence: 'agency',
          sourceUrl: f.url.slice(0, 2000),
        } as never,
      }),
    );
    f.stored = true;
    ids.push(image.documentId);
  }
  return ids;
}
