/**
 * `npm run uploads:migrate`: copies the uploads kept on this server's disk into the bucket
 * (UPLOAD_PROVIDER=s3 and its S3_* settings) and points their URLs at S3_PUBLIC_URL.
 *
 * A file at a time, in id order: its original and every responsive format are put under the key
 * the S3 provider would have given them (S3_PREFIX/<hash><ext>), then its row is rewritten (url,
 * formats' urls, provider) in one statement. Idempotent and resumable: only rows still marked
 * `local` are read, so a second run finds nothing to do and a run that stopped half-way carries on
 * (a file whose objects were put but whose row was not rewritten is put again: same key, same
 * bytes). A file whose bytes are missing from disk is reported and left as it was. The files on
 * disk are left in place, so a URL cached before the move still answers.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Core } from '@strapi/strapi';
import type { Env } from '../env';
import { OBJECT_CACHE_CONTROL, s3ClientConfig } from './s3';

const FILE_UID = 'plugin::upload.file';

interface FileRow {
  id: number;
  hash: string;
  ext: string | null;
  mime: string | null;
  url: string;
  formats: Record<string, { hash: string; ext?: string | null; mime?: string | null; url: string } & Record<string, unknown>> | null;
}

interface OnDisk {
  file: string;
  size: number;
}

export interface MigrationReport {
  /** files moved by this run */
  moved: number;
  /** objects put (originals and formats) */
  objects: number;
  /** files left on disk because a file of theirs is missing there, by id */
  missing: Array<{ id: number; path: string }>;
  /** files still on disk before the run */
  total: number;
}

export interface MigrationOptions {
  /** rows read per query */
  batch?: number;
  /** one line per batch: how far it got */
  progress?: (line: string) => void;
}

/** The object key the S3 provider gives a file: S3_PREFIX/<hash><ext>. */
export const objectKey = (env: Env, hash: string, ext: string | null | undefined) => `${env.S3_PREFIX ? `${env.S3_PREFIX}/` : ''}${hash}${ext ?? ''}`;

export async function migrateUploads(strapi: Core.Strapi, env: Env, options: MigrationOptions = {}): Promise<MigrationReport> {
  if (env.UPLOAD_PROVIDER !== 's3' || !env.S3_BUCKET || !env.S3_PUBLIC_URL) {
    throw new Error('uploads:migrate needs UPLOAD_PROVIDER=s3 with S3_BUCKET and S3_PUBLIC_URL (the bucket to copy the uploads into)');
  }
  const batch = options.batch ?? 100;
  const progress = options.progress ?? (() => undefined);
  const client = new S3Client(s3ClientConfig(env));
  const publicDir = path.resolve(env.PUBLIC_DIR);
  const publicUrl = env.S3_PUBLIC_URL.replace(/\/+$/, '');
  const query = strapi.db.query(FILE_UID);
  const report: MigrationReport = { moved: 0, objects: 0, missing: [], total: await query.count({ where: { provider: 'local' } }) };

  const put = async (key: string, { file, size }: OnDisk, mime: string | null | undefined) => {
    await client.send(
      new PutObjectCommand({
        Bucket: env.S3_BUCKET,
        Key: key,
        Body: createReadStream(file),
        ContentLength: size,
        ContentType: mime ?? undefined,
        CacheControl: OBJECT_CACHE_CONTROL,
        ...(env.S3_ACL ? { ACL: env.S3_ACL } : {}),
      }),
    );
    report.objects += 1;
  };
  /** Where a local upload's URL (/uploads/<name>) is on disk and its size; null for a URL that is not one, or a file not there. */
  const onDisk = async (url: string): Promise<OnDisk | null> => {
    if (!url.startsWith('/uploads/')) return null;
    const file = path.resolve(publicDir, `.${decodeURIComponent(url)}`);
    if (!file.startsWith(`${publicDir}${path.sep}`)) return null;
    const found = await stat(file).catch(() => null);
    return found?.isFile() ? { file, size: found.size } : null;
  };

  try {
    for (let after = 0; ; ) {
      const rows = (await query.findMany({
        where: { provider: 'local', id: { $gt: after } },
        select: ['id', 'hash', 'ext', 'mime', 'url', 'formats'],
        orderBy: { id: 'asc' },
        limit: batch,
      })) as FileRow[];
      if (rows.length === 0) break;
      after = rows[rows.length - 1].id;
      for (const row of rows) {
        const parts = [{ url: row.url, hash: row.hash, ext: row.ext, mime: row.mime }, ...Object.values(row.formats ?? {})];
        const present: Array<{ part: (typeof parts)[number]; at: OnDisk }> = [];
        const missing: string[] = [];
        for (const part of parts) {
          const at = await onDisk(part.url);
          if (at) present.push({ part, at });
          else missing.push(part.url);
        }
        if (missing.length > 0) {
          report.missing.push(...missing.map((p) => ({ id: row.id, path: p })));
          continue;
        }
        for (const { part, at } of present) await put(objectKey(env, part.hash, part.ext), at, part.mime);
        const formats = row.formats
          ? Object.fromEntries(Object.entries(row.formats).map(([name, f]) => [name, { ...f, url: `${publicUrl}/${objectKey(env, f.hash, f.ext)}` }]))
          : row.formats;
        await query.update({ where: { id: row.id }, data: { url: `${publicUrl}/${objectKey(env, row.hash, row.ext)}`, formats, provider: 'aws-s3' } });
        report.moved += 1;
      }
      progress(`uploads:migrate: ${report.moved}/${report.total} files moved, ${report.objects} objects put${report.missing.length ? `, ${new Set(report.missing.map((m) => m.id)).size} missing on disk` : ''}`);
    }
  } finally {
    client.destroy();
  }
  return report;
}
