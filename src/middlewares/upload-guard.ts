/**
 * One gate for every file that enters, whatever the route (the admin's media library, the
 * content API's `/api/upload`, a replace): it runs right after the body parser, on any request
 * that carried files, before authentication and before the upload plugin sees them.
 *
 *   name      a file name with a NUL byte, a control character, a path separator, a `.`/`..`
 *             segment, one of < > : " | ? *, a Windows device name (con, nul, com1...), or over
 *             255 bytes is a 400 naming the file (the upload plugin refuses these names too, but
 *             one file at a time, after storing the files sent before it)
 *   content   the first bytes must be a JPEG, PNG, WebP, GIF or AVIF image (`file-type`, by magic
 *             bytes; the declared type and extension count for nothing): SVG, HTML, scripts,
 *             text and anything unrecognised are a 400 naming the file and what it is; an
 *             accepted file goes on with the type its bytes have as its declared type
 *   fileInfo  when given as text it must be a JSON object without prototype keys (the upload
 *             plugin parses it unguarded: a 500)
 *
 *   order     the files of a field are put back in the order the request sent them: the parser
 *             lists them as each finishes writing, so a small file sent second could come first,
 *             and the upload plugin pairs `fileInfo[i]` with the i-th file (a caption on the
 *             wrong image); `stampFileOrder` (the parser's fileBegin, in stream order) marks them
 *
 * Sizes: the body parser stops a file over UPLOAD_MAX_BYTES with a 413 (config/middlewares.ts).
 * The upload plugin's own `security` allow list (config/plugins.ts) says the same, for depth.
 */
import { open, rm } from 'node:fs/promises';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { prototypeWord } from '../content-api/read-query';

/** What the media library stores: raster images a browser shows and cannot run. */
export const IMAGE_TYPES = {
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/webp': 'WebP',
  'image/gif': 'GIF',
  'image/avif': 'AVIF',
} as const;
const KINDS = Object.values(IMAGE_TYPES);
const ACCEPTED = `${KINDS.slice(0, -1).join(', ')} or ${KINDS.at(-1)}`;

/** As many bytes as file-type reads to recognise any type. */
const SNIFF_BYTES = 4100;

const ORDER = Symbol('newsroom.fileOrder');

interface UploadedFile {
  filepath?: string;
  mimetype?: string | null;
  originalFilename?: string | null;
  size?: number;
  [ORDER]?: number;
}

/** Increases with every file part that begins, in this process: within one request, the order sent. */
let filesBegun = 0;

/** The body parser's `onFileBegin` (config/middlewares.ts): marks each file with when its part began. */
export function stampFileOrder(_field: string, file: object): void {
  filesBegun += 1;
  (file as UploadedFile)[ORDER] = filesBegun;
}

const sentOrder = (a: UploadedFile, b: UploadedFile) => (a[ORDER] ?? 0) - (b[ORDER] ?? 0);

/** Why a file name cannot be stored, or null. */
export function badFileName(name: string | null | undefined): string | null {
  if (!name) return 'has no name';
  if (Buffer.byteLength(name) > 255) return 'has a name over 255 bytes';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'has a control character (or a NUL byte) in its name';
  if (/[/\\]/.test(name)) return 'has a path separator in its name';
  if (name === '.' || name === '..') return 'is named like a directory';
  // What the upload plugin refuses file by file, after storing the files before it: refused here,
  // with every file of the request, before any is stored.
  if (/[<>:"|?*]/.test(name)) return 'has a character a file name may not hold (< > : " | ? *) in its name';
  if (/^(con|prn|aux|nul|com\d|lpt\d)$/i.test(name)) return 'has a name reserved on Windows';
  return null;
}

type FileTypeModule = { fileTypeFromBuffer(buffer: Uint8Array): Promise<{ mime: string } | undefined> };
let fileType: FileTypeModule | undefined;

/**
 * file-type is an ES module, which Node (20.19+) loads with `require`. Node's own loader is
 * reached through `process.getBuiltinModule`, so a host that replaces `require` with one that
 * cannot load ES modules (jest, in the tests) still gets the real thing.
 */
function loadFileType(): FileTypeModule {
  const { createRequire } = (process as unknown as { getBuiltinModule(id: 'node:module'): typeof import('node:module') }).getBuiltinModule('node:module');
  return createRequire(__filename)('file-type') as FileTypeModule;
}

/** The type a file's bytes say it is (file-type), or undefined when they say nothing known. */
export async function sniff(path: string): Promise<string | undefined> {
  fileType ??= loadFileType();
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return (await fileType.fileTypeFromBuffer(buffer.subarray(0, bytesRead)))?.mime;
  } finally {
    await handle.close();
  }
}

/** Every file of a parsed multipart body, with the field it came in. */
function filesOf(files: Record<string, UploadedFile | UploadedFile[]> | undefined): Array<{ field: string; file: UploadedFile }> {
  if (!files || typeof files !== 'object') return [];
  // In place: the upload plugin reads the same arrays after this.
  return Object.entries(files).flatMap(([field, value]) => (Array.isArray(value) ? value.sort(sentOrder) : [value]).map((file) => ({ field, file })));
}

function checkFileInfo(body: unknown): void {
  const fileInfo = (body as { fileInfo?: unknown } | undefined)?.fileInfo;
  for (const [i, info] of (Array.isArray(fileInfo) ? fileInfo : [fileInfo]).entries()) {
    if (typeof info !== 'string') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(info);
    } catch {
      throw new errors.ValidationError('fileInfo must be a JSON object', { param: 'fileInfo', index: i });
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new errors.ValidationError('fileInfo must be a JSON object', { param: 'fileInfo', index: i });
    }
    // `{"__proto__": …}` is an own key once parsed; the upload plugin failed on it with a 500.
    const word = prototypeWord(parsed as Record<string, unknown>);
    if (word) throw new errors.ValidationError(`fileInfo may not use ${word} as a key`, { param: 'fileInfo', index: i });
  }
}

export default (): Core.MiddlewareHandler => async (ctx, next) => {
  const request = ctx.request as typeof ctx.request & { files?: Record<string, UploadedFile | UploadedFile[]>; body?: unknown };
  const files = filesOf(request.files);
  if (files.length > 0) {
    try {
      await check(files, request.body);
    } catch (error) {
      // Refused: the parser's temporary copies go now, not at some later clean-up.
      await Promise.all(files.map(({ file }) => (file.filepath ? rm(file.filepath, { force: true }) : undefined)));
      throw error;
    }
  }
  await next();
};

async function check(files: Array<{ field: string; file: UploadedFile }>, body: unknown): Promise<void> {
  for (const [index, { field, file }] of files.entries()) {
    const badName = badFileName(file.originalFilename);
    if (badName) throw new errors.ValidationError(`File ${index + 1} ${badName}`, { param: field, index });
    const type = file.filepath ? await sniff(file.filepath) : undefined;
    if (!type || !(type in IMAGE_TYPES)) {
      const named = JSON.stringify(file.originalFilename);
      throw new errors.ValidationError(`File ${index + 1} (${named}) is not a ${ACCEPTED} image: its content is ${type ?? 'of no known image type'}`, {
        param: field,
        index,
        detected: type ?? null,
        accepted: Object.keys(IMAGE_TYPES),
      });
    }
    // What the bytes are is what the upload plugin is told, not what the client declared.
    file.mimetype = type;
  }
  checkFileInfo(body);
}
