/**
 * Published articles that name an entity, newest first (src/reads), and the entity's topic page
 * (src/distribution); see article/routes/01-article-reads.ts. `/entities/slug/:slug` is not the
 * core `/entities/:id` (a documentId).
 */
export default {
  type: 'content-api',
  routes: [
    { method: 'GET', path: '/entities/slug/:slug', handler: 'entity.topic', config: { auth: false } },
    { method: 'GET', path: '/entities/:slug/articles', handler: 'entity.articles', config: { auth: false } },
  ],
};
