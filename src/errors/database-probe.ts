import type { Core } from '@strapi/strapi';

/** How long the database may take to answer before it counts as down. */
export const DATABASE_TIMEOUT_MS = 2_000;

/** Whether the database answers `select 1` within DATABASE_TIMEOUT_MS. */
export async function databaseAnswers(strapi: Core.Strapi): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      strapi.db.connection.raw('select 1'),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('database timeout')), DATABASE_TIMEOUT_MS);
      }),
    ]);
    return true;
  } catch (error) {
    strapi.log.error(`[health] database check failed: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  } finally {
    clearTimeout(timer);
  }
}
