/**
 * Reader search (src/search): public, anonymous, published content only, cached by the read cache.
 */
export default {
  type: 'content-api',
  routes: [
    { method: 'GET', path: '/search', handler: 'search.search', config: { auth: false } },
    { method: 'GET', path: '/search/suggest', handler: 'search.suggest', config: { auth: false } },
  ],
};
