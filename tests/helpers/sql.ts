/**
 * Counting the SQL statements a piece of work runs (knex's `query` event), once the database is
 * quiet: Strapi starts jobs of its own after boot and after writes, and background work (the
 * rebuild dispatcher's poll, the scheduler) is left out of the count.
 */
import type { TestApp } from './strapi';

// The rebuild dispatcher's poll and the scheduler's scan (through the query engine, aliased t0).
const BACKGROUND = /rebuild_|t0\W+publish_at/;

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

  /** Once the database is quiet, runs `work` and counts the SQL statements run meanwhile. */
  async function sqlDuring<T>(work: () => Promise<T>): Promise<[T, number]> {
    await quiet();
    let count = 0;
    const onQuery = (query: { sql: string }) => {
      if (!BACKGROUND.test(query.sql)) count += 1;
    };
    app.strapi.db.connection.on('query', onQuery);
    try {
      return [await work(), count];
    } finally {
      app.strapi.db.connection.off('query', onQuery);
    }
  }

  return { quiet, sqlDuring };
}
