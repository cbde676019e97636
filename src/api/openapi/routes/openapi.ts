/** GET /api/openapi.json: the public API's OpenAPI 3.1 document, generated from the code (src/openapi). */
export default {
  routes: [
    {
      method: 'GET',
      path: '/openapi.json',
      handler: 'openapi.document',
      config: { auth: false, policies: [], middlewares: [] },
    },
  ],
};
