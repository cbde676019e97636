/**
 * An auth context that may read exactly what the Public role may (setup/public-access.ts), for
 * sanitizing output on routes that authenticate by other means (a preview token): private
 * fields go, and relations are kept where the Public role could read them.
 */
import { errors } from '@strapi/utils';
import { PUBLIC_ACTIONS } from '../setup/public-access';

const allowed = new Set<string>(PUBLIC_ACTIONS);

export const PUBLIC_READER = {
  strategy: {
    name: 'public-reader',
    authenticate: async () => ({ authenticated: false }),
    verify: async (_auth: unknown, config: { scope?: string | string[] } = {}) => {
      const scopes = ([] as string[]).concat(config.scope ?? []);
      if (scopes.length === 0 || !scopes.every((s) => allowed.has(s))) throw new errors.ForbiddenError();
    },
  },
  credentials: null,
};
