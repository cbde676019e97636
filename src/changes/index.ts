/**
 * The change feed: the one place that decides what a write changed and which published articles
 * it alters, and when a setting changed that alters every public answer. Register
 * `changeFeedMiddleware` and `watchSiteSettings` once; consumers `changeFeed(strapi).subscribe(...)`
 * and `.subscribeSite(...)`; a consumer that needs draft saves too (history) `.subscribeWrites(...)`.
 */
export { announcePublicUpdate } from './announce';
export { changeFeedMiddleware } from './document-middleware';
export { changeFeed, type ChangeFeed, type ChangeSubscriber, type ChangeTransaction, type SiteChangeSubscriber, type WriteSubscriber } from './feed';
export { currentIntent, SCHEDULER, writingAs, type Actor, type ActorKind, type WriteIntent } from './actor';
export { watchSiteSettings } from './site';
export { tagsFor } from './tags';
export * from './types';
