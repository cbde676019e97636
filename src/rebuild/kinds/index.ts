/** One small adapter per kind of receiver. */
import { buildHook } from './build-hook';
import { githubDispatch } from './github-dispatch';
import { cloudflarePurge, fastlyPurge, varnishPurge } from './purge';
import { standard } from './standard';
import type { KindAdapter, TargetKind } from './types';

export const ADAPTERS: Record<TargetKind, KindAdapter> = {
  standard,
  'build-hook': buildHook,
  'github-dispatch': githubDispatch,
  varnish: varnishPurge,
  fastly: fastlyPurge,
  cloudflare: cloudflarePurge,
};

export * from './types';
