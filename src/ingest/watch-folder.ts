/**
 * The watched folder (INGEST_WATCH_DIR), the way agencies deliver over FTP/SFTP. Every process looks
 * every INGEST_WATCH_INTERVAL_SECONDS; a file is read only when its size and modification time are
 * what the previous look saw (a file still being written is left alone), and names a transfer is
 * still writing (`.tmp`, `.part`, `.filepart`, dot-files) are skipped. The process that renames the
 * file into `.processing/` owns it (a rename is atomic: with several processes on one folder each
 * file is ingested once); after the ingest it goes to `processed/` (time-stamped), or to `error/`
 * with `<name>.error.json` saying why. A file left in `.processing/` by a process that died is put
 * back after 10 minutes (ingest is idempotent by guid, so a second try changes nothing twice).
 * The format comes from the extension: .xml (NewsML-G2 or NITF by the root), .nitf, .json (ninjs),
 * .txt, .html/.htm.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { writingAs } from '../changes';
import { IngestError } from './errors';

export const PROCESSING = '.processing';
export const PROCESSED = 'processed';
export const FAILED = 'error';
const ABANDONED_MS = 10 * 60_000;
const TYPES: Record<string, string> = { '.xml': 'application/xml', '.nitf': 'application/nitf+xml', '.json': 'application/json', '.txt': 'text/plain', '.html': 'text/html', '.htm': 'text/html' };
const IN_TRANSFER = /(^\.)|\.(tmp|part|filepart|partial|crdownload)$/i;

export interface FolderRun {
  ingested: string[];
  failed: string[];
  waiting: string[];
}

type Ingest = (bytes: Buffer, contentType: string) => Promise<unknown>;

export class WatchFolder {
  /** what the previous look saw of each file: size and mtime */
  private readonly seen = new Map<string, string>();

  constructor(
    readonly dir: string,
    private readonly ingest: Ingest,
    private readonly log: { warn(m: string): void; info(m: string): void },
  ) {}

  async prepare(): Promise<void> {
    for (const sub of [PROCESSING, PROCESSED, FAILED]) await fs.mkdir(path.join(this.dir, sub), { recursive: true });
  }

  /** One look at the folder: what is ready is claimed and ingested, one file at a time. */
  async scan(): Promise<FolderRun> {
    await this.prepare();
    await this.putBackAbandoned();
    const run: FolderRun = { ingested: [], failed: [], waiting: [] };
    const entries = await fs.readdir(this.dir, { withFileTypes: true });
    const present = new Set<string>();
    for (const entry of entries) {
      if (!entry.isFile() || IN_TRANSFER.test(entry.name)) continue;
      present.add(entry.name);
      const file = path.join(this.dir, entry.name);
      const stat = await fs.stat(file).catch(() => null);
      if (!stat) continue;
      const now = `${stat.size}:${stat.mtimeMs}`;
      const before = this.seen.get(entry.name);
      this.seen.set(entry.name, now);
      if (before !== now) {
        run.waiting.push(entry.name);
        continue;
      }
      const claimed = path.join(this.dir, PROCESSING, `${entry.name}.${randomUUID()}`);
      try {
        await fs.rename(file, claimed);
      } catch {
        continue; // another process took it
      }
      this.seen.delete(entry.name);
      if (await this.process(entry.name, claimed)) run.ingested.push(entry.name);
      else run.failed.push(entry.name);
    }
    for (const name of this.seen.keys()) if (!present.has(name)) this.seen.delete(name);
    return run;
  }

  private async process(name: string, claimed: string): Promise<boolean> {
    const type = TYPES[path.extname(name).toLowerCase()];
    try {
      if (!type) throw new IngestError('UnsupportedFormat', `${path.extname(name) || 'no extension'}: the folder reads .xml, .nitf, .json, .txt, .html`);
      const result = await this.ingest(await fs.readFile(claimed), type);
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      await fs.rename(claimed, path.join(this.dir, PROCESSED, `${stamp}-${name}`));
      this.log.info(`[ingest] ${name}: ${JSON.stringify((result as { data?: unknown }).data ?? null)}`);
      return true;
    } catch (error) {
      const why =
        error instanceof IngestError
          ? { status: error.status, name: error.code, message: error.message, details: error.details }
          : { status: 500, name: 'Error', message: error instanceof Error ? error.message : String(error), details: [] };
      await fs.rename(claimed, path.join(this.dir, FAILED, name));
      await fs.writeFile(path.join(this.dir, FAILED, `${name}.error.json`), `${JSON.stringify({ file: name, at: new Date().toISOString(), error: why }, null, 2)}\n`);
      this.log.warn(`[ingest] ${name} moved to ${FAILED}/: ${why.message}`);
      return false;
    }
  }

  private async putBackAbandoned(): Promise<void> {
    const dir = path.join(this.dir, PROCESSING);
    for (const name of await fs.readdir(dir)) {
      const file = path.join(dir, name);
      const stat = await fs.stat(file).catch(() => null);
      if (stat && Date.now() - stat.mtimeMs > ABANDONED_MS) {
        await fs.rename(file, path.join(this.dir, name.replace(/\.[0-9a-f-]{36}$/, ''))).catch(() => undefined);
      }
    }
  }
}

export const FOLDER_ACTOR = { kind: 'system' as const, name: 'ingest folder' };

/** The folder watcher of this process, writing as `ingest folder`. */
export function watchFolder(strapi: Core.Strapi, dir: string, ingest: Ingest): WatchFolder {
  return new WatchFolder(dir, (bytes, type) => writingAs({ actor: FOLDER_ACTOR }, () => ingest(bytes, type)), strapi.log);
}
