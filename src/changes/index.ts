/**
 * The change feed: the one place that decides what a write changed and which published articles
 * it alters. Register `changeFeedMiddleware` once; consumers `changeFeed(strapi).subscribe(...)`.
 */
export { changeFeedMiddleware } from './document-middleware';
export { changeFeed, type ChangeFeed, type ChangeSubscriber, type ChangeTransaction } from './feed';
export { tagsFor } from './tags';
export * from './types';
