/**
 * POST /api/ingest: an agency item, a pasted page or an export becomes a draft article
 * (src/ingest). An API token needs the `ingest` permission (api::ingest.ingest.create); the
 * Public role never has it.
 */
export default {
  type: 'content-api',
  routes: [{ method: 'POST', path: '/ingest', handler: 'ingest.create', config: {} }],
};
