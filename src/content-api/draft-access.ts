/**
 * Who may read drafts through the content API (REST and GraphQL).
 *
 * Strapi 5 returns draft versions to anyone holding `find`/`findOne` when the request asks for
 * `status=draft` (GraphQL `status: DRAFT`). This product only lets API tokens (issued by admins
 * for previews and build pipelines) read drafts; the Public role and end-user JWTs never can.
 */
import { errors } from '@strapi/utils';

export const PUBLICATION_STATUSES = ['published', 'draft'] as const;

interface AuthState {
  auth?: { strategy?: { name?: string } };
}

export function canReadDrafts(state: AuthState | undefined): boolean {
  return state?.auth?.strategy?.name === 'api-token';
}

/**
 * Throws a 400 for an unknown status and a 403 for a draft read without an API token.
 * `status` is the raw query value (REST) or the lower-cased enum value (GraphQL).
 */
export function assertStatusReadable(status: unknown, state: AuthState | undefined): void {
  if (status === undefined) return;
  if (typeof status !== 'string' || !(PUBLICATION_STATUSES as readonly string[]).includes(status)) {
    throw new errors.ValidationError(`Invalid status: expected one of ${PUBLICATION_STATUSES.join(', ')}`, {
      key: 'status',
      source: 'query',
      param: 'status',
    });
  }
  if (status === 'draft' && !canReadDrafts(state)) {
    throw new errors.ForbiddenError('Reading drafts requires an API token');
  }
}
