/**
 * GET /api/health: readiness for load balancers and orchestrators. Unlike Strapi's /_health, it
 * asks the database, so a process that lost its database is taken out of rotation.
 */
export default {
  routes: [
    {
      method: 'GET',
      path: '/health',
      handler: 'health.check',
      config: { auth: false, policies: [], middlewares: [] },
    },
  ],
};
