import type { Core } from '@strapi/strapi';

/** How long the database may take to answer before the process counts as not ready. */
const DATABASE_TIMEOUT_MS = 2_000;

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async check(ctx: { status: number; body: unknown; set: (name: string, value: string) => void }) {
    ctx.set('Cache-Control', 'no-store');
    try {
      await Promise.race([
        strapi.db.connection.raw('select 1'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('database timeout')), DATABASE_TIMEOUT_MS).unref()),
      ]);
      ctx.status = 200;
      ctx.body = { status: 'ok', database: 'up' };
    } catch (error) {
      strapi.log.error(`[health] database check failed: ${error instanceof Error ? error.message : String(error)}`);
      ctx.status = 503;
      ctx.body = { status: 'unavailable', database: 'down' };
    }
  },
});
