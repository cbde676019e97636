/**
 * Counting the SQL statements a piece of work runs (knex's `query` event), once the database is
 * quiet: Strapi starts jobs of its own after boot and after writes, and background work (the
 * rebuild dispatcher's poll, the scheduler) is left out of the count.
 */
import type { TestApp } from './strapi';

// The rebuild dispatcher's poll and the scheduler's scan (through the query engine, aliased t0),
// and the advisory lock each takes first on PostgreSQL.
const BACKGROUND = /rebuild_|t0\W+publish_at|pg_try_advisory_xact_lock/;
// How long after the work a transaction it overlapped has to show it was background work.
const SETTLE_MS = 100;

interface QueryEvent {
  sql: string;
  __knexTxId?: string;
}

export function sqlCounter(app: TestApp) {
  /** Waits until no SQL statement has run for 300 ms. */
  async function quiet(): Promise<void> {
    let last = Date.now();
    const onQuery = () => (last = Date.now());
    app.strapi.db.connection.on('query', onQuery);
    try {
      for (const until = Date.now() + 10_000; Date.now() < until && Date.now() - last < 300; ) await new Promise((r) => setTimeout(r, 50));
    } finally {
      app.strapi.db.connection.off('query', onQuery);
    }
  }

  /**
   * Once the database is quiet, runs `work` and counts the SQL statements run meanwhile. A
   * background job's transaction can begin during the work (its BEGIN and lock are not
   * recognisable alone): every statement of a transaction that runs a background statement, up
   * to SETTLE_MS after the work, is left out.
   */
  async function sqlDuring<T>(work: () => Promise<T>): Promise<[T, number]> {
    await quiet();
    const seen: QueryEvent[] = [];
    const background = new Set<string>();
    let during = true;
    const onQuery = (query: QueryEvent) => {
      if (BACKGROUND.test(query.sql)) {
        if (query.__knexTxId) background.add(query.__knexTxId);
      } else if (during) seen.push(query);
    };
    app.strapi.db.connection.on('query', onQuery);
    try {
      const result = await work();
      during = false;
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      return [result, seen.filter((q) => !(q.__knexTxId && background.has(q.__knexTxId))).length];
    } finally {
      app.strapi.db.connection.off('query', onQuery);
    }
  }

  return { quiet, sqlDuring };
}
