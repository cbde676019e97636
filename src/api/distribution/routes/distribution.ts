/**
 * Feeds, sitemaps and the site-path resolver (src/distribution): public, anonymous, published
 * content only (`auth: false`, as the fast reads), cached by the read cache.
 */
export default {
  type: 'content-api',
  routes: [
    { method: 'GET', path: '/feeds/entities/:file', handler: 'distribution.entityFeed', config: { auth: false } },
    { method: 'GET', path: '/feeds/:file', handler: 'distribution.articlesFeed', config: { auth: false } },
    { method: 'GET', path: '/sitemaps/:file', handler: 'distribution.sitemap', config: { auth: false } },
    { method: 'GET', path: '/resolve', handler: 'distribution.resolve', config: { auth: false } },
  ],
};
