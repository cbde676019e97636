/**
 * Route config for a content type's public read routes (find, findOne): the read-query guard, and
 * the type's default populate when it has one.
 */
export function readRoutesConfig(populate?: Record<string, unknown>) {
  const middlewares = ['global::read-query', ...(populate ? [{ name: 'global::default-populate', config: { populate } }] : [])];
  return { find: { middlewares }, findOne: { middlewares } };
}
