/**
 * Ingest: wire items, pasted pages and exports become draft articles.
 *   parse.ts          Content-Type → format parser → normalised items (item.ts)
 *   formats/          ninjs 1.x/2.x (validated against IPTC's schemas in schemas/), NewsML-G2, NITF, pasted text, pasted HTML
 *   xml.ts            saxes: no DTD entity is ever expanded or fetched
 *   blocks.ts         body HTML → allowlist → Strapi blocks → sections at subheadings
 *   suggest.ts        entities matched from the newsroom's vocabulary; candidates.ts names that are not in it
 *   pipeline.ts       one item → one article locale in one transaction: versions, updates, corrections, embargoes, withholds, kills
 *   pictures.ts       pictures fetched through the outbound guard, stored as uploads and Images
 *   watch-folder.ts   INGEST_WATCH_DIR: each file once across processes, then processed/ or error/
 *   agency-fields.ts  only ingest writes an article's agencyStatus/agencySource
 * Entry points: POST /api/ingest (src/api/ingest), the watched folder.
 */
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import type { Env } from '../env';
import { AGENCY_FIELDS } from './agency-fields';
import type { FetchOptions } from './pictures';
import { watchFolder, type WatchFolder } from './watch-folder';
import { parseInput } from './parse';
import { suggestCandidates } from './candidates';
import { registerIngestAdminRoutes } from './admin-routes';
import { checkItem, ingestItem, localeFor, type IngestOptions, type IngestOutcome } from './pipeline';
import { loadVocabulary, suggestKnown } from './suggest';

let folder: WatchFolder | undefined;

/** In bootstrap: the watched folder, when INGEST_WATCH_DIR is set, looked at every INGEST_WATCH_INTERVAL_SECONDS. */
export async function startIngest(strapi: Core.Strapi, env: Env): Promise<void> {
  if (!env.INGEST_WATCH_DIR) return;
  folder = watchFolder(strapi, path.resolve(env.INGEST_WATCH_DIR), (bytes, type) => ingestBytes(strapi, bytes, type, { link: 'none', pictures: pictureOptions(env) }));
  await folder.prepare();
  let running = false;
  const seconds = env.INGEST_WATCH_INTERVAL_SECONDS;
  strapi.cron.add({
    newsroomIngestFolder: {
      task: async () => {
        if (running) return;
        running = true;
        try {
          await folder?.scan();
        } catch (error) {
          strapi.log.warn(`[ingest] folder look failed: ${error instanceof Error ? error.message : String(error)}`);
        } finally {
          running = false;
        }
      },
      options: { rule: seconds === 60 ? '0 * * * * *' : `*/${seconds} * * * * *` },
    },
  });
}

/** This process's folder watcher (tests look with it). */
export const ingestFolder = (): WatchFolder | undefined => folder;

/** How pictures are fetched: the outbound guard unless INGEST_ALLOW_PRIVATE_SOURCES, at most UPLOAD_MAX_BYTES, 10 s. */
export const pictureOptions = (env: Env): FetchOptions => ({ allowPrivate: env.INGEST_ALLOW_PRIVATE_SOURCES, maxBytes: env.UPLOAD_MAX_BYTES, timeoutMs: 10_000 });

export const INGEST_ITEM_UID = 'api::ingest-item.ingest-item';

/** In register: the internal table has no GraphQL type, and no GraphQL input writes the agency's fields (the write rules would drop them anyway). */
export function registerIngest(strapi: Core.Strapi): void {
  const graphql = strapi.plugin('graphql').service('extension');
  graphql.shadowCRUD(INGEST_ITEM_UID).disable();
  for (const field of AGENCY_FIELDS) graphql.shadowCRUD('api::article.article').field(field).disableInput();
  graphql.shadowCRUD('api::image.image').field('sourceUrl').disableInput();
  registerIngestAdminRoutes(strapi);
}

/** What an upload would become, without writing: each item as parsed, its locale and its suggestions (the Import page's preview). */
export async function previewBytes(strapi: Core.Strapi, bytes: Buffer, contentType: string | undefined) {
  const { format, items } = parseInput(bytes, contentType);
  items.forEach((item, i) => checkItem(item, items.length > 1 ? i : undefined));
  const vocabulary = await loadVocabulary(strapi);
  return Promise.all(
    items.map(async (item) => ({
      format,
      locale: await localeFor(strapi, item.language),
      item: { headline: item.headline, standfirst: item.standfirst, dateline: item.dateline, bylines: item.bylines, sections: item.sections, pictures: item.pictures, pubStatus: item.pubStatus, embargoed: item.embargoed, guid: item.guid, version: item.version },
      suggestions: { known: suggestKnown(item, vocabulary), candidates: suggestCandidates(item, vocabulary) },
      warnings: item.warnings,
    })),
  );
}

export interface IngestBatchOutcome extends Omit<IngestOutcome, 'data' | 'meta'> {
  data: IngestOutcome['data'] | IngestOutcome['data'][];
  meta: IngestOutcome['meta'] | { items: IngestOutcome['meta'][] };
}

/**
 * Bytes of one upload → its items ingested, each in its own transaction. Every item is parsed and
 * checked before the first is written, so a message with one bad item writes nothing.
 */
export async function ingestBytes(strapi: Core.Strapi, bytes: Buffer, contentType: string | undefined, options: IngestOptions): Promise<IngestBatchOutcome> {
  const { items } = parseInput(bytes, contentType);
  items.forEach((item, i) => checkItem(item, items.length > 1 ? i : undefined));
  const outcomes: IngestOutcome[] = [];
  for (const item of items) outcomes.push(await ingestItem(strapi, item, options));
  if (outcomes.length === 1) return outcomes[0];
  return { status: outcomes.some((o) => o.status === 201) ? 201 : 200, data: outcomes.map((o) => o.data), meta: { items: outcomes.map((o) => o.meta) } };
}

export { parseInput } from './parse';
export type { IngestItem } from './item';
