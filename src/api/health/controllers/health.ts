import type { Core } from '@strapi/strapi';
import { databaseAnswers } from '../../../errors/database-probe';
import { poolState } from '../../../database-guard/pool';
import { isDraining } from '../../../http/shutdown';
import { contentQueueOf } from '../../../middlewares/content-queue';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async check(ctx: { status: number; body: unknown; set: (name: string, value: string) => void }) {
    ctx.set('Cache-Control', 'no-store');
    if (isDraining(strapi)) {
      // Shutting down (src/http/shutdown.ts): out of rotation, while requests already routed here are served.
      ctx.status = 503;
      ctx.body = { data: null, error: { status: 503, name: 'ServiceUnavailableError', message: 'This process is shutting down', details: { draining: true } } };
      return;
    }
    if (await databaseAnswers(strapi)) {
      ctx.status = 200;
      ctx.body = { status: 'ok', database: 'up', pool: poolState(strapi, contentQueueOf(strapi)) };
    } else {
      // The API's error shape, like every error answer (src/errors/boundary.ts adds Retry-After).
      ctx.status = 503;
      ctx.body = { data: null, error: { status: 503, name: 'ServiceUnavailableError', message: 'The database is not answering', details: { database: 'down', pool: poolState(strapi, contentQueueOf(strapi)) } } };
    }
  },
});
