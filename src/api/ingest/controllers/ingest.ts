/**
 * The ingest route's adapter: the bytes the ingest-body middleware kept → src/ingest → 201/200
 * with `{ data, meta: { suggestions, warnings } }`, or the item's error as `{ data: null, error }`.
 */
import type { Core } from '@strapi/strapi';
import { loadEnv } from '../../../env';
import { ingestBytes, pictureOptions } from '../../../ingest';
import { IngestError } from '../../../ingest/errors';
import type { IngestBody } from '../../../middlewares/ingest-body';

interface Ctx {
  state: { ingest?: IngestBody };
  query: Record<string, unknown>;
  status: number;
  body: unknown;
}

const errorBody = (error: IngestError) => ({ data: null, error: { status: error.status, name: error.code, message: error.message, details: { errors: error.details } } });

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async create(ctx: Ctx) {
    const link = ctx.query.link;
    if (link !== undefined && link !== 'known' && link !== 'none') {
      ctx.status = 400;
      ctx.body = { data: null, error: { status: 400, name: 'ValidationError', message: 'link must be known or none', details: { errors: [{ path: ['link'], message: 'must be known or none' }] } } };
      return;
    }
    const body = ctx.state.ingest ?? { bytes: Buffer.alloc(0), contentType: undefined };
    try {
      const result = await ingestBytes(strapi, body.bytes, body.contentType, { link: link === 'known' ? 'known' : 'none', pictures: pictureOptions(loadEnv()) });
      ctx.status = result.status;
      ctx.body = { data: result.data, meta: result.meta };
    } catch (error) {
      if (!(error instanceof IngestError)) throw error;
      ctx.status = error.status;
      ctx.body = errorBody(error);
    }
  },
});
