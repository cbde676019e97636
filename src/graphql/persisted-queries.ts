/**
 * Apollo's automatic persisted queries (APQ), shared by every process on the database. A client
 * sends a query's sha256 alone; a server that does not know it answers PERSISTED_QUERY_NOT_FOUND
 * and the client sends the text once with it, which Apollo checks (the hash must be the text's),
 * parses, validates and runs through every limit before it stores it. With Apollo's default store
 * in each process's memory, each of N processes behind a load balancer would refuse every hash
 * once and cost its clients a second round trip; here the store Apollo is given
 * (`apolloServer.persistedQueries.cache`, config/plugins.ts) keeps the text in the
 * `graphql_persisted_queries` table, with the entries this process used last in memory in front
 * (MEMORY_CHARS in all).
 * A hash is the text's, so an entry never changes and no process can hold a stale one.
 *
 * Bounded: the table keeps the newest MAX_ROWS registrations (older ones are deleted every
 * PRUNE_EVERY registrations of a process; a pruned query is registered again by the next client
 * that sends its hash). A database error makes a lookup a miss and a registration a no-op: the
 * client then sends the text, which is answered as any query.
 */
import type { Core } from '@strapi/strapi';

export const PERSISTED_QUERY_UID = 'api::graphql-persisted-query.graphql-persisted-query';
export const MAX_ROWS = 10_000;
const PRUNE_EVERY = 100;
/** The queries kept in memory: at most this many characters in all (a query may be ~100 KB at the token limit). */
export const MEMORY_CHARS = 4_000_000;

/** The part of Apollo's KeyValueCache a persisted-query store implements. */
export interface PersistedQueryStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<boolean | void>;
}

/**
 * The store. `app` gives the running Strapi when Apollo calls it (the config that creates the store
 * is read before Strapi exists).
 */
export class SharedPersistedQueries implements PersistedQueryStore {
  private readonly memory = new Map<string, string>();
  private memoryChars = 0;
  private registrations = 0;

  constructor(private readonly app: () => Core.Strapi) {}

  private table() {
    const strapi = this.app();
    return strapi.db.connection(strapi.db.metadata.get(PERSISTED_QUERY_UID).tableName);
  }

  private forget(key: string): void {
    const known = this.memory.get(key);
    if (known === undefined) return;
    this.memory.delete(key);
    this.memoryChars -= known.length;
  }

  /** Kept as the most recently used; the least recently used go past MEMORY_CHARS. */
  private remember(key: string, query: string): void {
    this.forget(key);
    this.memory.set(key, query);
    this.memoryChars += query.length;
    for (const oldest of this.memory.keys()) {
      if (this.memoryChars <= MEMORY_CHARS || oldest === key) break;
      this.forget(oldest);
    }
  }

  async get(key: string): Promise<string | undefined> {
    const known = this.memory.get(key);
    if (known !== undefined) {
      this.remember(key, known);
      return known;
    }
    try {
      const row = (await this.table().select('query').where({ key }).first()) as { query?: string } | undefined;
      if (typeof row?.query !== 'string') return undefined;
      this.remember(key, row.query);
      return row.query;
    } catch (error) {
      this.app().log.debug(`[graphql] persisted query lookup failed, answered as unknown: ${(error as Error).message}`);
      return undefined;
    }
  }

  async set(key: string, query: string): Promise<void> {
    this.remember(key, query);
    try {
      const now = new Date();
      // Two processes registering one hash at once: the unique key keeps one row.
      await this.table().insert({ key, query, created_at: now, updated_at: now }).onConflict('key').ignore();
      this.registrations += 1;
      if (this.registrations % PRUNE_EVERY === 0) await this.prune();
    } catch (error) {
      this.app().log.debug(`[graphql] persisted query not stored: ${(error as Error).message}`);
    }
  }

  async delete(key: string): Promise<boolean> {
    this.forget(key);
    return (await this.table().where({ key }).del()) > 0;
  }

  /** Deletes all but the newest `keep` registrations (by id: ids grow with each insert). */
  async prune(keep = MAX_ROWS): Promise<void> {
    const newest = (await this.table().max({ id: 'id' }).first()) as { id?: number | string | null } | undefined;
    const cutoff = Number(newest?.id ?? 0) - keep;
    if (cutoff > 0) await this.table().where('id', '<=', cutoff).del();
  }
}

/** In register: no GraphQL types for the store's table. */
export function hidePersistedQueries(strapi: Core.Strapi): void {
  strapi.plugin('graphql').service('extension').shadowCRUD(PERSISTED_QUERY_UID).disable();
}
