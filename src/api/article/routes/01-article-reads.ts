/**
 * The fast public reads (src/reads) and the distribution reads (src/distribution). They serve
 * only published content, which the Public role may always read (setup/public-access.ts enforces
 * that at boot), so they skip the per-request permission lookup (`auth: false`) and sanitize for
 * the Public role themselves. The file name sorts before article.ts so `/articles/newest` is
 * matched before the core `/articles/:id`.
 */
export default {
  type: 'content-api',
  routes: [
    { method: 'GET', path: '/articles/slug/:slug', handler: 'article.bySlug', config: { auth: false } },
    { method: 'GET', path: '/articles/slug/:slug/structured-data', handler: 'article.structuredData', config: { auth: false } },
    { method: 'GET', path: '/articles/slug/:slug/ninjs', handler: 'article.ninjs', config: { auth: false } },
    { method: 'GET', path: '/articles/slug/:slug/related', handler: 'article.related', config: { auth: false } },
    { method: 'GET', path: '/articles/slug/:slug/revisions', handler: 'article.revisions', config: { auth: false } },
    { method: 'GET', path: '/articles/slug/:slug/revisions/:n', handler: 'article.revision', config: { auth: false } },
    { method: 'GET', path: '/articles/newest', handler: 'article.newest', config: { auth: false } },
  ],
};
