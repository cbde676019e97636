/** The published articles that name an entity, newest first (src/reads); see article/routes/01-article-reads.ts. */
export default {
  type: 'content-api',
  routes: [{ method: 'GET', path: '/entities/:slug/articles', handler: 'entity.articles', config: { auth: false } }],
};
