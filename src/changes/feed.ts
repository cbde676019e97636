/**
 * The change feed: subscribers receive the changes of a write inside that write's database
 * transaction, so whatever they store commits or rolls back with the content itself. The feed
 * knows none of its subscribers; they register themselves.
 */
import type { Core } from '@strapi/strapi';
import type { ContentChange, SiteChange } from './types';

/** The write's transaction, as knex hands it to queries, and a hook for after it commits. */
export interface ChangeTransaction {
  trx: import('knex').Knex.Transaction;
  onCommit(callback: () => void): void;
}

export type ChangeSubscriber = (changes: ContentChange[], tx: ChangeTransaction) => Promise<void> | void;
export type SiteChangeSubscriber = (change: SiteChange) => void;

export interface ChangeFeed {
  subscribe(subscriber: ChangeSubscriber): () => void;
  emit(changes: ContentChange[], tx: ChangeTransaction): Promise<void>;
  /** Site-wide changes, after the write committed (src/changes/site.ts). */
  subscribeSite(subscriber: SiteChangeSubscriber): () => void;
  emitSite(change: SiteChange): void;
}

function createChangeFeed(): ChangeFeed {
  const subscribers = new Set<ChangeSubscriber>();
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
