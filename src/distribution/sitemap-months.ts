/**
 * The sitemap index's summary, one row per month of first publications (UTC): how many published
 * article URLs the month holds and its newest dateModified. The index reads these rows (one per
 * month: flat as the archive grows) instead of grouping every article.
 *
 * Kept from the change feed's records, in the write's transaction: each change names the month of
 * its locale's first publication (`firstPublishedAt`, or the publish itself for a first publish),
 * and that month is counted again from the articles (an index range of one month). Counting again,
 * rather than adding and subtracting, cannot drift. On PostgreSQL a month is counted under an
 * advisory lock of its own, so two writes in one month count one after the other and the second
 * sees the first (READ COMMITTED: each statement reads what has committed).
 *
 * Writes past the feed (the seed's dateline, the boot backfill, `seed:synthetic`, SQL by hand)
 * are caught at boot: `reconcileSitemapMonths` rebuilds the rows when their total differs from
 * the published count, or when asked to.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { ARTICLE_UID, type ContentChange } from '../changes';
import { LOCK_KEYS } from '../pg/lock-keys';

export const SITEMAP_MONTH_UID = 'api::sitemap-month.sitemap-month';

/** Advisory lock keys: a month is (KEY, yyyymm); the whole summary is KEY as one bigint. */
const LOCK_KEY = LOCK_KEYS.SITEMAP_MONTHS;

export interface MonthSummary {
  /** YYYY-MM */
  month: string;
  urls: number;
  lastmod: Date;
}

/** A month's key, YYYY-MM (month 1 to 12). */
export const monthKey = (year: number, month: number) => `${year}-${String(month).padStart(2, '0')}`;
export const monthOf = (at: Date) => monthKey(at.getUTCFullYear(), at.getUTCMonth() + 1);

/** [from, to) of a YYYY-MM month in UTC. */
export function monthRange(month: string): { from: Date; to: Date } {
  const [year, m] = month.split('-').map(Number);
  return { from: new Date(Date.UTC(year, m - 1, 1)), to: new Date(Date.UTC(year, m, 1)) };
}

const isPostgres = (strapi: Core.Strapi) => strapi.db.dialect.client === 'postgres';

/** The SQL of one article's dateModified (newest of first publication and last update), in ms since the epoch. */
function modifiedSql(strapi: Core.Strapi): string {
  return isPostgres(strapi)
    ? 'extract(epoch from max(greatest(first_published_at, coalesce(last_updated_at, first_published_at)))) * 1000'
    : 'max(max(first_published_at, coalesce(last_updated_at, first_published_at)))';
}

const articleTable = (strapi: Core.Strapi) => strapi.db.metadata.get(ARTICLE_UID).tableName;
const summaryTable = (strapi: Core.Strapi) => strapi.db.metadata.get(SITEMAP_MONTH_UID).tableName;

/** The months a batch of changes touches: each article change's month of first publication. */
export function monthsTouched(changes: ContentChange[], firstPublish: Date): Set<string> {
  const months = new Set<string>();
  for (const c of changes) {
    if (c.contentType !== ARTICLE_UID) continue;
    const at = c.firstPublishedAt ? new Date(c.firstPublishedAt) : c.action === 'publish' || c.action === 'update-published' ? firstPublish : null;
    if (at && !Number.isNaN(at.getTime())) months.add(monthOf(at));
  }
  return months;
}

/** Counts the months again from the articles and stores them, in the write's transaction. */
export async function refreshMonths(strapi: Core.Strapi, trx: Knex.Transaction, months: Iterable<string>): Promise<void> {
  const articles = articleTable(strapi);
  const summary = summaryTable(strapi);
  // In a fixed order, so two writes touching the same months cannot deadlock on their locks.
  for (const month of [...months].sort()) {
    const { from, to } = monthRange(month);
    if (isPostgres(strapi)) {
      await trx.raw('select pg_advisory_xact_lock_shared(?::bigint), pg_advisory_xact_lock(?, ?)', [LOCK_KEY, LOCK_KEY, Number(month.replace('-', ''))]);
    }
    const [row] = (await trx(articles)
      .select(trx.raw('count(*) as urls'), trx.raw(`${modifiedSql(strapi)} as lastmod`))
      .whereNotNull('published_at')
      .where('first_published_at', '>=', from)
      .where('first_published_at', '<', to)) as Array<{ urls: string | number; lastmod: string | number | null }>;
    const urls = Number(row?.urls ?? 0);
    if (urls === 0) {
      await trx(summary).where({ month }).delete();
      continue;
    }
    const now = new Date();
    await trx(summary)
      .insert({ month, urls, lastmod: new Date(Number(row.lastmod)), created_at: now, updated_at: now })
      .onConflict('month')
      .merge(['urls', 'lastmod', 'updated_at']);
  }
}

/** The summary, newest month first. */
export async function sitemapMonths(strapi: Core.Strapi): Promise<MonthSummary[]> {
  const knex = strapi.db.connection as unknown as Knex;
  const rows = (await knex(summaryTable(strapi)).select('month', 'urls', 'lastmod').where('urls', '>', 0).orderBy('month', 'desc')) as Array<{
    month: string;
    urls: number | string;
    lastmod: Date | string | number;
  }>;
  return rows.map((r) => ({ month: r.month, urls: Number(r.urls), lastmod: new Date(typeof r.lastmod === 'string' && /^\d+$/.test(r.lastmod) ? Number(r.lastmod) : r.lastmod) }));
}

/** How many published article URLs a month holds (0 for none). */
export async function monthUrls(strapi: Core.Strapi, month: string): Promise<number> {
  const knex = strapi.db.connection as unknown as Knex;
  const row = (await knex(summaryTable(strapi)).first('urls').where({ month })) as { urls: number | string } | undefined;
  return Number(row?.urls ?? 0);
}

/**
 * At boot: rebuilds the summary from the articles (one GROUP BY) when `force` or when its total
 * differs from the published count. Under the summary's exclusive lock on PostgreSQL, so writes
 * wait for it and processes booting together rebuild it once (the next finds the totals agree).
 * Returns whether it rebuilt.
 */
export async function reconcileSitemapMonths(strapi: Core.Strapi, force = false): Promise<boolean> {
  const knex = strapi.db.connection as unknown as Knex;
  const articles = articleTable(strapi);
  const summary = summaryTable(strapi);
  const postgres = isPostgres(strapi);
  return knex.transaction(async (trx) => {
    if (postgres) await trx.raw('select pg_advisory_xact_lock(?::bigint)', [LOCK_KEY]);
    if (!force) {
      const [published] = (await trx(articles).count({ n: '*' }).whereNotNull('published_at').whereNotNull('first_published_at')) as Array<{ n: string | number }>;
      const [kept] = (await trx(summary).sum({ n: 'urls' })) as Array<{ n: string | number | null }>;
      if (Number(published?.n ?? 0) === Number(kept?.n ?? 0)) return false;
    }
    const month = postgres ? "to_char(first_published_at at time zone 'UTC', 'YYYY-MM')" : "strftime('%Y-%m', first_published_at / 1000, 'unixepoch')";
    const rows = (await trx(articles)
      .select(trx.raw(`${month} as month`), trx.raw('count(*) as urls'), trx.raw(`${modifiedSql(strapi)} as lastmod`))
      .whereNotNull('published_at')
      .whereNotNull('first_published_at')
      .groupByRaw(month)) as Array<{ month: string; urls: string | number; lastmod: string | number }>;
    await trx(summary).delete();
    const now = new Date();
    for (let i = 0; i < rows.length; i += 500) {
      await trx(summary).insert(
        rows.slice(i, i + 500).map((r) => ({ month: r.month, urls: Number(r.urls), lastmod: new Date(Number(r.lastmod)), created_at: now, updated_at: now })),
      );
    }
    return true;
  });
}
