/**
 * The change feed: the one place that decides what a write changed and which published articles
 * it alters, and when a setting changed that alters every public answer. Register
 * `changeFeedMiddleware` and `watchSiteSettings` once; consumers `changeFeed(strapi).subscribe(...)`
 * and `.subscribeSite(...)`.
 */
export { changeFeedMiddleware } from './document-middleware';
export { changeFeed, type ChangeFeed, type ChangeSubscriber, type ChangeTransaction, type SiteChangeSubscriber } from './feed';
export { watchSiteSettings } from './site';
export { tagsFor } from './tags';
export * from './types';
