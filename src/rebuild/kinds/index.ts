/** One small adapter per kind of receiver. */
import { buildHook } from './build-hook';
import { githubDispatch } from './github-dispatch';
import { standard } from './standard';
import type { KindAdapter, TargetKind } from './types';

export const ADAPTERS: Record<TargetKind, KindAdapter> = {
  standard,
  'build-hook': buildHook,
  'github-dispatch': githubDispatch,
};

export * from './types';
