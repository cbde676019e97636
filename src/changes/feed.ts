/**
 * The change feed: subscribers receive the changes of a write inside that write's database
 * transaction, so whatever they store commits or rolls back with the content itself. The feed
 * knows none of its subscribers; they register themselves.
 */
import type { Core } from '@strapi/strapi';
import type { ContentChange, DocumentWrite, SiteChange } from './types';

/** The write's transaction, as knex hands it to queries, and a hook for after it commits. */
export interface ChangeTransaction {
  trx: import('knex').Knex.Transaction;
  onCommit(callback: () => void): void;
}

export type ChangeSubscriber = (changes: ContentChange[], tx: ChangeTransaction) => Promise<void> | void;
/** Asks for every write, draft saves included (version history); public consumers use `subscribe`. */
export type WriteSubscriber = (write: DocumentWrite, tx: ChangeTransaction) => Promise<void> | void;
export type SiteChangeSubscriber = (change: SiteChange) => void;

export interface ChangeFeed {
  subscribe(subscriber: ChangeSubscriber): () => void;
  emit(changes: ContentChange[], tx: ChangeTransaction): Promise<void>;
  subscribeWrites(subscriber: WriteSubscriber): () => void;
  /** Hands one write to the write subscribers and its public changes (if any) to the others. */
  emitWrite(write: DocumentWrite, tx: ChangeTransaction): Promise<void>;
  /** Site-wide changes, after the write committed (src/changes/site.ts). */
  subscribeSite(subscriber: SiteChangeSubscriber): () => void;
  emitSite(change: SiteChange): void;
}

function createChangeFeed(): ChangeFeed {
  const subscribers = new Set<ChangeSubscriber>();
  const writeSubscribers = new Set<WriteSubscriber>();
  const siteSubscribers = new Set<SiteChangeSubscriber>();
  return {
    subscribe(subscriber) {
      subscribers.add(subscriber);
      return () => subscribers.delete(subscriber);
    },
    async emit(changes, tx) {
      // In order, not in parallel: they share one transaction (one connection).
      for (const subscriber of subscribers) await subscriber(changes, tx);
    },
    subscribeWrites(subscriber) {
      writeSubscribers.add(subscriber);
      return () => writeSubscribers.delete(subscriber);
    },
    async emitWrite(write, tx) {
      if (write.changes.length > 0) await this.emit(write.changes, tx);
      for (const subscriber of writeSubscribers) await subscriber(write, tx);
    },
    subscribeSite(subscriber) {
      siteSubscribers.add(subscriber);
      return () => siteSubscribers.delete(subscriber);
    },
    emitSite(change) {
      for (const subscriber of siteSubscribers) subscriber(change);
    },
  };
}

const feeds = new WeakMap<Core.Strapi, ChangeFeed>();

/** The feed of one Strapi instance. */
export function changeFeed(strapi: Core.Strapi): ChangeFeed {
  let feed = feeds.get(strapi);
  if (!feed) {
    feed = createChangeFeed();
    feeds.set(strapi, feed);
  }
  return feed;
}
