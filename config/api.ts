import type { Core } from '@strapi/strapi';

/** Page sizes shared by REST and GraphQL, so both APIs page the same way. */
export const PAGE_SIZE = { default: 25, max: 100 } as const;

const config: Core.Config.Api = {
  rest: {
    defaultLimit: PAGE_SIZE.default,
    maxLimit: PAGE_SIZE.max,
    withCount: true,
    // Unknown query parameters are a 400, not silently ignored.
    strictParams: true,
  },
  documents: {
    // Unknown Document Service params (bad status, locale, ...) throw instead of being ignored.
    strictParams: true,
    // Required media and relations (an Image's asset) are enforced on API writes, not only in the admin.
    strictRelations: true,
  },
};

export default config;
