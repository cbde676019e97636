/**
 * GET /api/preview/articles/:documentId?locale=&token=: the draft of exactly that article and
 * locale, for a valid preview token (the admin's Preview builds it). 401 without a valid token,
 * 403 for an expired one or one for another article or locale, 404 when preview is off.
 */
export default {
  routes: [
    {
      method: 'GET',
      path: '/preview/articles/:documentId',
      handler: 'preview.article',
      config: { auth: false, policies: [], middlewares: [] },
    },
  ],
};
