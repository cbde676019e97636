/**
 * Runs boot-time setup in one transaction, holding a PostgreSQL advisory lock for its length, so
 * N processes booting together on one database do it one after another: the first creates
 * locales, permissions and the story, the others find them there. The lock is released with the
 * transaction, also when a process dies. SQLite serialises writers by itself.
 *
 * Advisory locks are re-entrant within a session, so setup steps may take the lock again.
 */
import type { Core } from '@strapi/strapi';
import { LOCK_KEYS } from '../pg/lock-keys';

/** Arbitrary constant naming the lock; every process doing boot-time setup waits on it. */
const BOOT_LOCK_KEY = LOCK_KEYS.BOOT;

export async function withBootLock<T>(strapi: Core.Strapi, work: (trx: import('knex').Knex.Transaction) => Promise<T>): Promise<T> {
  return (await strapi.db.transaction(async ({ trx }) => {
    if (strapi.db.dialect.client === 'postgres') {
      await trx.raw('select pg_advisory_xact_lock(?)', [BOOT_LOCK_KEY]);
    }
    return work(trx as unknown as import('knex').Knex.Transaction);
  })) as T;
}
