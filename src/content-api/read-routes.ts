/**
 * Route config for a content type's public read routes (find, findOne): the read-query guard, and
 * the type's default populate when it has one.
 */
export function readRoutesConfig(uid: string, populate?: Record<string, unknown>) {
  const middlewares = [{ name: 'global::read-query', config: { uid } }, ...(populate ? [{ name: 'global::default-populate', config: { populate } }] : [])];
  return { find: { middlewares }, findOne: { middlewares } };
}
