/**
 * A datetime as the database, the query engine or a client hands it — a Date, epoch milliseconds
 * (a number, or digits: SQLite), an ISO string — as epoch milliseconds; null when empty or not a time.
 */
export function storedTime(v: unknown): number | null {
  if (v === null || v === undefined || v === '') return null;
  const t = new Date(typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : (v as string | number | Date)).getTime();
  return Number.isNaN(t) ? null : t;
}
