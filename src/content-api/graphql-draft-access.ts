/**
 * The draft rule of `read-query.ts`, applied to GraphQL: queries of a draft-and-publish type that
 * ask for `status: DRAFT` need an API token.
 */
import type { Core } from '@strapi/strapi';
import { assertDraftsReadable } from './read-query';

type Resolver = (parent: unknown, args: Record<string, unknown>, context: { state?: never }, info: unknown) => unknown;

const guard = async (next: Resolver, parent: unknown, args: Record<string, unknown>, context: { state?: never }, info: unknown) => {
  const status = typeof args.status === 'string' ? args.status.toLowerCase() : undefined;
  assertDraftsReadable(status, context.state);
  return next(parent, args, context, info);
};

export function registerGraphqlDraftAccess(strapi: Core.Strapi): void {
  const resolversConfig: Record<string, { middlewares: unknown[] }> = {};
  for (const contentType of Object.values(strapi.contentTypes)) {
    if (!contentType.uid.startsWith('api::') || !contentType.options?.draftAndPublish) continue;
    const { singularName, pluralName } = contentType.info;
    for (const query of [singularName, pluralName, `${pluralName}_connection`]) {
      resolversConfig[`Query.${query}`] = { middlewares: [guard] };
    }
  }
  strapi.plugin('graphql').service('extension').use({ resolversConfig });
}
