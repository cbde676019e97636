/**
 * Who made a write, as the change feed records it: the admin user, the API token or end user of
 * the request, or — outside any request — whoever wrapped the work in `writingAs` (the scheduler,
 * a script). A write with neither is `system` (the seed, migrations).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Core } from '@strapi/strapi';

export type ActorKind = 'admin' | 'api-token' | 'user' | 'scheduler' | 'system';

export interface Actor {
  kind: ActorKind;
  /** the admin user's, token's or end user's id */
  id?: number;
  /** the admin user's name, the token's name, the end user's username; `scheduler` or `system` */
  name: string;
  email?: string;
}

/** What a write's caller says about it beyond its data: who, and why (e.g. "Restored version 12"). */
export interface WriteIntent {
  actor?: Actor;
  note?: string;
}

const intent = new AsyncLocalStorage<WriteIntent>();

/** Runs `work` so every write in it is recorded as made by `actor` and/or with `note`. */
export function writingAs<T>(with_: WriteIntent, work: () => Promise<T>): Promise<T> {
  const outer = intent.getStore();
  return intent.run({ ...outer, ...with_ }, work);
}

export const SCHEDULER: Actor = { kind: 'scheduler', name: 'scheduler' };
const SYSTEM: Actor = { kind: 'system', name: 'system' };

interface RequestState {
  state?: {
    user?: { id?: number; firstname?: string | null; lastname?: string | null; email?: string | null; username?: string | null };
    auth?: { strategy?: { name?: string }; credentials?: { id?: number; name?: string; username?: string; email?: string } | null };
  };
}

function fromRequest(strapi: Core.Strapi): Actor | undefined {
  const ctx = strapi.requestContext.get() as RequestState | undefined;
  const auth = ctx?.state?.auth;
  if (!auth?.strategy?.name) return undefined;
  const strategy = auth.strategy.name;
  if (strategy === 'admin') {
    const user = ctx?.state?.user ?? {};
    const name = [user.firstname, user.lastname].filter(Boolean).join(' ') || user.email || 'admin';
    return { kind: 'admin', id: user.id, name, ...(user.email ? { email: user.email } : {}) };
  }
  if (strategy === 'content-api-token' || strategy === 'api-token' || strategy === 'admin-token') return { kind: 'api-token', id: auth.credentials?.id, name: auth.credentials?.name ?? 'API token' };
  const user = auth.credentials ?? {};
  return { kind: 'user', id: user.id, name: user.username ?? user.email ?? 'user', ...(user.email ? { email: user.email } : {}) };
}

/** Who is writing now, and the note the caller gave. */
export function currentIntent(strapi: Core.Strapi): { actor: Actor; note?: string } {
  const given = intent.getStore();
  const actor = given?.actor ?? fromRequest(strapi) ?? SYSTEM;
  return { actor, ...(given?.note ? { note: given.note } : {}) };
}
