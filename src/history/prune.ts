/**
 * Retention: draft versions older than HISTORY_DRAFT_RETENTION_DAYS go, and a document locale
 * keeps at most HISTORY_MAX_VERSIONS draft versions (the oldest go first). Versions that were
 * published, pinned ones and each document locale's newest version (what its current draft was
 * saved as) are always kept. Deletes run in batches, each in a transaction of its own; on
 * PostgreSQL a batch holds a transaction-scoped advisory lock and a process that cannot take it
 * skips the run, so one process prunes at a time (the scheduler's pattern).
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { LOCK_KEYS } from '../pg/lock-keys';

export interface PruneOptions {
  retentionDays: number;
  maxVersions: number;
  batchSize?: number;
  now?: Date;
}

export interface PruneRun {
  ran: boolean;
  byAge: number;
  byCount: number;
}

const TABLE = 'history_versions';

/** Not the newest version of its document locale. */
const notNewest = (knex: Knex) =>
  knex.raw(
    `v.id <> (select max(w.id) from ${TABLE} w where w.target_uid = v.target_uid and w.target_document_id = v.target_document_id and w.target_locale = v.target_locale)`,
  );

async function batch(strapi: Core.Strapi, pick: (trx: Knex.Transaction) => Promise<number[]>): Promise<number | null> {
  return strapi.db.transaction(async ({ trx }) => {
    if (strapi.db.dialect.client === 'postgres') {
      const locked = await trx.raw('select pg_try_advisory_xact_lock(?) as locked', [LOCK_KEYS.HISTORY_PRUNE]);
      if (!locked.rows[0].locked) return null;
    }
    const ids = await pick(trx);
    if (ids.length > 0) await trx(TABLE).whereIn('id', ids).delete();
    return ids.length;
  });
}

export async function pruneHistory(strapi: Core.Strapi, options: PruneOptions): Promise<PruneRun> {
  const size = options.batchSize ?? 1_000;
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.retentionDays * 86_400_000);
  const run: PruneRun = { ran: true, byAge: 0, byCount: 0 };
  const prunable = (knex: Knex) => knex({ v: TABLE }).where({ 'v.published': false, 'v.pinned': false });

  for (;;) {
    const n = await batch(strapi, async (trx) =>
      (await prunable(trx).andWhere('v.saved_at', '<', cutoff).andWhere(notNewest(trx)).orderBy('v.id').limit(size).select('v.id')).map((r: { id: number }) => Number(r.id)),
    );
    if (n === null) return { ...run, ran: false };
    run.byAge += n;
    if (n < size) break;
  }

  const over: { target_uid: string; target_document_id: string; target_locale: string; n: number | string }[] = await prunable(strapi.db.connection)
    .groupBy('v.target_uid', 'v.target_document_id', 'v.target_locale')
    .having(strapi.db.connection.raw('count(*) > ?', [options.maxVersions]))
    .select('v.target_uid', 'v.target_document_id', 'v.target_locale', strapi.db.connection.raw('count(*) as n'));
  for (const group of over) {
    let excess = Number(group.n) - options.maxVersions;
    while (excess > 0) {
      const n = await batch(strapi, async (trx) =>
        (
          await prunable(trx)
            .andWhere({ 'v.target_uid': group.target_uid, 'v.target_document_id': group.target_document_id, 'v.target_locale': group.target_locale })
            .andWhere(notNewest(trx))
            .orderBy('v.id')
            .limit(Math.min(size, excess))
            .select('v.id')
        ).map((r: { id: number }) => Number(r.id)),
      );
      if (n === null) return { ...run, ran: false };
      run.byCount += n;
      excess -= n;
      if (n === 0) break;
    }
  }
  return run;
}
