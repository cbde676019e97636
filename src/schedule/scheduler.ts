/**
 * Scheduled publishing and embargo: publishes each article locale whose `publishAt` has come and
 * unpublishes each whose `unpublishAt` has, through the Document Service, so a scheduled publish
 * is a publish like any other (the change feed records it, as the scheduler's; webhooks follow).
 * In the same run, images whose rights expired are announced (src/image-rights).
 *
 * State lives in the articles themselves, so a restart loses nothing. Every process runs the
 * task; on PostgreSQL one run at a time holds a transaction-scoped advisory lock and the others
 * skip, and the run decides from the rows it reads under that lock, so each publish happens once.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { SCHEDULER, writingAs } from '../changes';
import { announceExpiredRights } from '../image-rights';
import { LOCK_KEYS } from '../pg/lock-keys';

const ARTICLE = 'api::article.article';
const SCHEDULE_LOCK_KEY = LOCK_KEYS.SCHEDULE;

interface Row {
  documentId: string;
  locale: string;
  publishAt: string | null;
  unpublishAt: string | null;
  publishedAt: string | null;
}

export interface ScheduleRun {
  published: { documentId: string; locale: string }[];
  unpublished: { documentId: string; locale: string }[];
  /** due publishes refused (a hero image whose rights expired): left as drafts, with why */
  refused: { documentId: string; locale: string; reason: string }[];
  /** images whose rights expired, announced through the change feed */
  imagesExpired: string[];
  /** false when another process held the lock */
  ran: boolean;
}

const t = (v: string | null) => (v ? new Date(v).getTime() : null);

export async function runSchedule(strapi: Core.Strapi, now = new Date()): Promise<ScheduleRun> {
  const run: ScheduleRun = { published: [], unpublished: [], refused: [], imagesExpired: [], ran: false };
  await writingAs({ actor: SCHEDULER }, () => strapi.db.transaction(async ({ trx }) => {
    if (strapi.db.dialect.client === 'postgres') {
      const locked = await trx.raw('select pg_try_advisory_xact_lock(?) as locked', [SCHEDULE_LOCK_KEY]);
      if (!locked.rows[0].locked) return;
    }
    run.ran = true;
    const query = strapi.db.query(ARTICLE);
    const select = ['documentId', 'locale', 'publishAt', 'unpublishAt', 'publishedAt'];
    const drafts: Row[] = await query.findMany({ where: { publishedAt: null, publishAt: { $lte: now } }, select });
    // Only the published rows this run needs: those of the due drafts, and those due to go. (Every
    // published row, as this read once, is 100,000 rows materialised every run at 100k articles:
    // half a second of the event loop every SCHEDULE_INTERVAL_SECONDS, seen by bench:filters.)
    const dueIds = [...new Set(drafts.map((d) => d.documentId))];
    const counterparts: Row[] = dueIds.length ? await query.findMany({ where: { publishedAt: { $notNull: true }, documentId: { $in: dueIds } }, select }) : [];
    const live: Row[] = await query.findMany({ where: { publishedAt: { $notNull: true }, unpublishAt: { $lte: now } }, select });
    const liveKey = new Map(counterparts.map((r) => [`${r.documentId}/${r.locale}`, r]));
    const at = now.getTime();

    for (const draft of drafts) {
      const published = liveKey.get(`${draft.documentId}/${draft.locale}`);
      const expired = t(draft.unpublishAt) !== null && t(draft.unpublishAt)! <= at;
      // Due once: after the publish, the published version is newer than publishAt.
      const alreadyOut = published && t(published.publishedAt)! >= t(draft.publishAt)!;
      if (expired || alreadyOut) continue;
      try {
        await strapi.documents(ARTICLE).publish({ documentId: draft.documentId, locale: draft.locale });
      } catch (error) {
        // Refused before anything was written (an expired hero image): the others still go out.
        if (!(error instanceof errors.ValidationError)) throw error;
        run.refused.push({ documentId: draft.documentId, locale: draft.locale, reason: error.message });
        continue;
      }
      run.published.push({ documentId: draft.documentId, locale: draft.locale });
    }
    for (const row of live) {
      if (t(row.unpublishAt) === null || t(row.unpublishAt)! > at) continue;
      await strapi.documents(ARTICLE).unpublish({ documentId: row.documentId, locale: row.locale });
      run.unpublished.push({ documentId: row.documentId, locale: row.locale });
    }
    run.imagesExpired = await announceExpiredRights(strapi, trx, now);
  }));
  for (const { documentId, locale } of run.published) strapi.log.info(`[schedule] published ${documentId} (${locale})`);
  for (const { documentId, locale } of run.unpublished) strapi.log.info(`[schedule] unpublished ${documentId} (${locale})`);
  for (const { documentId, locale, reason } of run.refused) strapi.log.warn(`[schedule] did not publish ${documentId} (${locale}): ${reason}`);
  for (const documentId of run.imagesExpired) strapi.log.info(`[schedule] rights of image ${documentId} expired: it left the public answers`);
  return run;
}
