/**
 * The read cache, a consumer of the change feed:
 *   policy.ts      which requests it may answer; keys and tags
 *   read-cache.ts  the store (tags, TTL, byte budget, generation)
 *   front.ts       answering before Koa, filling from the full stack
 *   ../middlewares/http-cache.ts  ETag, Cache-Control, Surrogate-Key, 304 on the full stack
 * A change evicts every answer that shows a document it touched (the feed's `affected` articles
 * included) and the lists of its type, when its transaction commits: in this process at once,
 * in the others through PostgreSQL NOTIFY (each process ignores its own notices). A site-wide
 * change (the Public role's permissions, the default locale) empties every process's cache.
 * CACHE_ENABLED=false turns the front cache off.
 */
import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { changeFeed, tagsFor } from '../changes';
import type { Env } from '../env';
import { connectedWithin, listen, type Listener } from '../pg/listener';
import { installFrontCache } from './front';
import { ReadCache } from './read-cache';

const CHANNEL = 'newsroom_cache';
const MAX_NOTIFY_PAYLOAD = 7_000;
const instances = new WeakMap<Core.Strapi, { cache: ReadCache; origin: string; listener?: Listener }>();

/** What goes over NOTIFY: who sent it (a process ignores its own: it evicted at commit) and the tags. */
interface Notice {
  from: string;
  tags: string[] | '*';
}

export function registerReadCache(strapi: Core.Strapi, env: Env): void {
  if (!env.CACHE_ENABLED) return;
  const cache = new ReadCache(env.CACHE_MAX_BYTES, env.CACHE_TTL_SECONDS * 1000);
  const origin = randomUUID();
  instances.set(strapi, { cache, origin });
  const postgres = strapi.db.dialect.client === 'postgres';
  // What other processes are told to evict; all of it when the list would not fit a NOTIFY.
  const notice = (tags: string[] | '*'): [string, string] => {
    const payload = JSON.stringify({ from: origin, tags } satisfies Notice);
    return [CHANNEL, payload.length > MAX_NOTIFY_PAYLOAD ? JSON.stringify({ from: origin, tags: '*' } satisfies Notice) : payload];
  };
  changeFeed(strapi).subscribe(async (changes, { trx, onCommit }) => {
    const tags = tagsFor(changes);
    if (postgres) await trx.raw('select pg_notify(?, ?)', notice(tags));
    onCommit(() => cache.invalidate(tags));
  });
  // A setting that alters every public answer (who may read what, the default locale) changed
  // and committed: nothing cached can be trusted, here or in the other processes. (The feed says
  // which site changes those are: an entity's write reaches the cache as document changes.)
  changeFeed(strapi).subscribeSite((change) => {
    if (!change.everyAnswer) return;
    cache.invalidate('*');
    if (!postgres) return;
    strapi.db.connection.raw('select pg_notify(?, ?)', notice('*')).catch((error: Error) => {
      strapi.log.warn(`[cache] could not tell other processes to empty their caches: ${error.message}`);
    });
  });
}

/**
 * Puts the cache in front and, on PostgreSQL, listens for other processes' changes. Waits for the
 * LISTEN to connect (at most LISTEN_WAIT_MS, src/pg/listener.ts): connecting empties the cache
 * (what changed before is unknown), and an answer stored before that would be dropped with it —
 * or, were it kept, could be stale.
 */
export async function startReadCache(strapi: Core.Strapi): Promise<void> {
  const instance = instances.get(strapi);
  if (!instance) return;
  installFrontCache(strapi, instance.cache);
  if (strapi.db.dialect.client === 'postgres') {
    instance.listener = listen(
      strapi,
      CHANNEL,
      (payload) => {
        let notice: Notice;
        try {
          notice = JSON.parse(payload ?? '') as Notice;
        } catch {
          return instance.cache.invalidate('*');
        }
        // This process evicted at commit; its own notice arrives later and would evict what was
        // read since (a read right after a publish would fill the cache only to lose it).
        if (notice.from === instance.origin) return;
        instance.cache.invalidate(Array.isArray(notice.tags) ? notice.tags : '*');
      },
      // Whatever changed while not listening is unknown: start empty.
      { retryMs: 1_000, onConnected: () => instance.cache.invalidate('*') },
    );
    await connectedWithin(instance.listener);
  }
}

export async function stopReadCache(strapi: Core.Strapi): Promise<void> {
  await instances.get(strapi)?.listener?.stop();
}

/** The cache of a running app (tests, diagnostics). */
export const readCacheOf = (strapi: Core.Strapi): ReadCache | undefined => instances.get(strapi)?.cache;
