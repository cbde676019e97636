/**
 * The parts of a content-API read query that Strapi accepts silently when they are wrong
 * (`status=bogus` reads drafts, `pagination[pageSize]=abc` is ignored, `pageSize=1000` is cut to
 * the maximum, `locale=xx` answers an empty list). This product answers a 400 naming the
 * parameter instead. Everything else (filters, sort, fields, populate, unknown keys) is checked
 * by Strapi itself with `rest.strictParams`.
 */
import { errors } from '@strapi/utils';
import { z } from 'zod';
import { PAGE_SIZE } from '../../config/api';

export const PUBLICATION_STATUSES = ['published', 'draft'] as const;

const wholeNumber = (name: string, min: number, max?: number) => {
  let schema = z.coerce
    .number({ error: `${name} must be a whole number` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be at least ${min}`);
  if (max !== undefined) schema = schema.max(max, `${name} must be at most ${max}`);
  return schema;
};

const paginationSchema = z
  .strictObject(
    {
      page: wholeNumber('pagination.page', 1).optional(),
      pageSize: wholeNumber('pagination.pageSize', 1, PAGE_SIZE.max).optional(),
      start: wholeNumber('pagination.start', 0).optional(),
      limit: wholeNumber('pagination.limit', 1, PAGE_SIZE.max).optional(),
      withCount: z.enum(['true', 'false'], { error: 'pagination.withCount must be true or false' }).optional(),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? `pagination has unknown keys: ${issue.keys.join(', ')}` : 'pagination must be an object') },
  )
  .refine((p) => !((p.page ?? p.pageSize) !== undefined && (p.start ?? p.limit) !== undefined), {
    message: 'pagination takes page/pageSize or start/limit, not both',
  });

const readQuerySchema = z.object({
  status: z.enum(PUBLICATION_STATUSES, { error: `status must be one of ${PUBLICATION_STATUSES.join(', ')}` }).optional(),
  // Strapi expects these shapes and fails with a 500 on others (`_q[0]=x`, `filters[]=*`).
  _q: z.string({ error: '_q must be a single search string' }).max(200, '_q must be at most 200 characters').optional(),
  filters: z.record(z.string(), z.unknown(), { error: 'filters must be an object of field conditions' }).optional(),
  locale: z.string({ error: 'locale must be a single locale code' }).min(1, 'locale must not be empty').optional(),
  pagination: paginationSchema.optional(),
});

export type ReadQuery = z.infer<typeof readQuerySchema>;

/** Validates a REST read query; throws Strapi's ValidationError (400) naming the parameter. */
export function parseReadQuery(query: Record<string, unknown>): ReadQuery {
  const result = readQuerySchema.safeParse(query);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = String(issue.path[0] ?? 'query');
  throw new errors.ValidationError(issue.message, { source: 'query', param, path: issue.path.map(String) });
}

interface AuthState {
  auth?: { strategy?: { name?: string } };
}

/** Name of the auth strategy of admin-issued API tokens on the content API (Strapi 5.54). */
export const API_TOKEN_STRATEGY = 'content-api-token';

/**
 * Strapi 5 returns drafts to anyone holding `find`/`findOne` who asks for `status=draft`
 * (GraphQL `status: DRAFT`). Here only API tokens, issued by admins for previews and builds,
 * may read drafts; the Public role and end-user JWTs never can.
 */
export function canReadDrafts(state: AuthState | undefined): boolean {
  return state?.auth?.strategy?.name === API_TOKEN_STRATEGY;
}

export function assertDraftsReadable(status: string | undefined, state: AuthState | undefined): void {
  if (status === 'draft' && !canReadDrafts(state)) {
    // PolicyError is the 403 whose message Strapi passes through to the client.
    throw new errors.PolicyError('Reading drafts requires an API token', { param: 'status' });
  }
}
