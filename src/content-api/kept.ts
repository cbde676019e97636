/**
 * Values each process keeps until the setting they come from changes: the Public role's ability,
 * the site's default locale. Reading them costs a statement (or more) on every request for
 * answers that change when an administrator edits a setting.
 *
 * A consumer of the change feed's site-wide changes (src/changes/site.ts): a change of the
 * value's setting, announced once its write committed, drops the value in this process; on
 * PostgreSQL it also sends one NOTIFY (channel `newsroom_kept`, payload the value's name) and every
 * other process drops it; a process whose LISTEN connection was lost drops everything it keeps
 * when it reconnects, since it may have missed a notice. A value loaded before a drop is never
 * kept after it (a generation counter).
 */
import type { Core } from '@strapi/strapi';
import { changeFeed, type SiteChangeReason } from '../changes';
import { connectedWithin, listen, type Listener } from '../pg/listener';

const CHANNEL = 'newsroom_kept';

export interface Kept<T> {
  /** The kept value, or `load`'s, kept unless a write came in while it loaded. */
  get(load: () => Promise<T>): Promise<T>;
  /** The kept value, if there is one. */
  peek(): T | undefined;
  /** A token to pass to `keep` for a value built from reads made after this call. */
  generation(): number;
  /** Keeps `value` unless a write came in since `generation` was read. */
  keep(value: T, generation: number): void;
  forget(): void;
}

interface Registry {
  kept: Map<string, Kept<unknown>>;
  notify?: (name: string) => void;
  listener?: Listener;
}

const registries = new WeakMap<Core.Strapi, Registry>();
function registry(strapi: Core.Strapi): Registry {
  let r = registries.get(strapi);
  if (!r) registries.set(strapi, (r = { kept: new Map() }));
  return r;
}

function memo<T>(): Kept<T> {
  let value: { v: T } | undefined;
  let generation = 0;
  let loading: { promise: Promise<T>; generation: number } | undefined;
  const self: Kept<T> = {
    async get(load) {
      if (value) return value.v;
      if (loading?.generation === generation) return loading.promise;
      const built = generation;
      const promise = load().then(
        (v) => {
          self.keep(v, built);
          if (loading?.promise === promise) loading = undefined;
          return v;
        },
        (error: unknown) => {
          if (loading?.promise === promise) loading = undefined;
          throw error;
        },
      );
      loading = { promise, generation: built };
      return promise;
    },
    peek: () => value?.v,
    generation: () => generation,
    keep(v, built) {
      if (built === generation) value = { v };
    },
    forget() {
      generation += 1;
      value = undefined;
    },
  };
  return self;
}

/** A value this process keeps until the change feed announces a change of its setting (`reason`). */
export function keptUntilChanged<T>(strapi: Core.Strapi, name: string, reason: SiteChangeReason): Kept<T> {
  const r = registry(strapi);
  if (r.kept.has(name)) throw new Error(`kept value ${name} is defined twice`);
  const kept = memo<T>();
  r.kept.set(name, kept as Kept<unknown>);
  changeFeed(strapi).subscribeSite((change) => {
    if (change.reason !== reason) return;
    kept.forget();
    r.notify?.(name);
  });
  return kept;
}

/**
 * PostgreSQL: writes tell the other processes, and this one listens for theirs. Waits (bounded)
 * for the LISTEN, whose connecting forgets every kept value.
 */
export async function startKept(strapi: Core.Strapi): Promise<void> {
  const r = registry(strapi);
  if (strapi.db.dialect.client !== 'postgres' || r.listener) return;
  r.notify = (name) => {
    strapi.db.connection.raw('select pg_notify(?, ?)', [CHANNEL, name]).catch((error: Error) => {
      strapi.log.warn(`[kept] could not tell other processes that ${name} changed: ${error.message}`);
    });
  };
  const forgetAll = () => r.kept.forEach((k) => k.forget());
  r.listener = listen(strapi, CHANNEL, (payload) => (payload && r.kept.has(payload) ? r.kept.get(payload)?.forget() : forgetAll()), {
    retryMs: 1_000,
    onConnected: forgetAll,
  });
  await connectedWithin(r.listener);
}

export async function stopKept(strapi: Core.Strapi): Promise<void> {
  const r = registries.get(strapi);
  const listener = r?.listener;
  if (r) {
    r.listener = undefined;
    r.notify = undefined;
  }
  await listener?.stop();
}
