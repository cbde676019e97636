/**
 * Scheduled publishing and embargo for articles (`publishAt`, `unpublishAt`, per locale):
 *   publish-guard.ts  a publish before publishAt (or after unpublishAt) is refused
 *   scheduler.ts      publishes and unpublishes what is due, once across processes
 * The task runs every SCHEDULE_INTERVAL_SECONDS on Strapi's cron.
 */
import type { Core } from '@strapi/strapi';
import type { Env } from '../env';
import { publishGuard } from './publish-guard';
import { runSchedule } from './scheduler';

export function registerSchedule(strapi: Core.Strapi): void {
  strapi.documents.use(publishGuard(strapi));
}

export function startSchedule(strapi: Core.Strapi, env: Env): void {
  const seconds = env.SCHEDULE_INTERVAL_SECONDS;
  strapi.cron.add({
    newsroomSchedule: {
      task: async () => {
        try {
          await runSchedule(strapi);
        } catch (error) {
          strapi.log.warn(`[schedule] run failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      },
      options: { rule: seconds === 60 ? '0 * * * * *' : `*/${seconds} * * * * *` },
    },
  });
}

export { runSchedule } from './scheduler';
