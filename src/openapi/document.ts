/**
 * The OpenAPI 3.1 document of the public API, made from the code at each call:
 *   - the routes Strapi serves under /api (its router, so a route added anywhere is seen) — each
 *     must be described in routes.ts or the build of the document fails, naming it;
 *   - request parameters from the zod schemas the handlers validate with (z.toJSONSchema);
 *   - response schemas from the models (models.ts), and the one error shape of every 4xx/5xx.
 * Served at GET /api/openapi.json; `npm run openapi` writes openapi.json, which CI compares.
 */
import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import { modelSchemas, type JsonSchema } from './models';
import { describeRoutes, TAG_DESCRIPTIONS, type RouteDoc } from './routes';

export const OPENAPI_PATH = '/api/openapi.json';

/** Strapi's error shape, as every error answer of this API has it (src/errors/boundary.ts). */
const ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    data: { type: 'null' },
    error: {
      type: 'object',
      properties: { status: { type: 'integer' }, name: { type: 'string' }, message: { type: 'string' }, details: {} },
      required: ['status', 'name', 'message'],
    },
  },
  required: ['error'],
};

/** A zod query schema (a strict object) as OpenAPI query parameters. */
export function queryParameters(schema: z.ZodType): Record<string, unknown>[] {
  const json = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => {
    const { $schema: _, ...clean } = s as JsonSchema;
    const object = clean.type === 'object' || name === 'filters' || name === 'pagination' || name === 'populate';
    return {
      name,
      in: 'query',
      required: (json.required ?? []).includes(name),
      ...(object ? { style: 'deepObject', explode: true } : {}),
      schema: Object.keys(clean).length ? clean : {},
    };
  });
}

const toTemplate = (path: string) => path.replace(/:([A-Za-z_]+)/g, '{$1}').replace('(.*)', '{path}');

/** `METHOD /api/path` of every content-API route Strapi serves (the catch-all and GraphQL's router aside). */
export function servedRoutes(strapi: Core.Strapi): string[] {
  const layers = (strapi.server as unknown as { listRoutes(): { path: string; methods: string[] }[] }).listRoutes();
  const out = new Set<string>();
  for (const layer of layers) {
    if (!layer.path.startsWith('/api/')) continue;
    for (const method of layer.methods) if (method !== 'HEAD') out.add(`${method} ${layer.path}`);
  }
  return [...out].sort();
}

function operation(route: RouteDoc): Record<string, unknown> {
  const path = route.docPath ?? route.path;
  const names = [...(path.match(/:([A-Za-z_]+)/g) ?? []).map((p) => p.slice(1)), ...(path.includes('(.*)') ? ['path'] : [])];
  const params = names.map((name) => ({ name, in: 'path', required: true, schema: route.pathSchema?.[name] ?? { type: 'string' } }));
  const responses: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(route.responses)) {
    responses[status] = { description: r.description, ...(r.content ? { content: r.content } : {}), ...(r.headers ? { headers: r.headers } : {}) };
  }
  // Any route: a method it does not take (405), a body over the limit (413), the rate limit (429).
  for (const status of [...(route.errors ?? ['400', '404']), '405', '413', '429']) {
    responses[status] ??= { description: ERROR_DESCRIPTIONS[status] ?? 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  }
  responses['5XX'] = { description: 'Server error or database outage (503 with Retry-After); never a stack', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: route.tags,
    parameters: [...params, ...(route.query ? queryParameters(route.query) : []), ...(route.extraParameters ?? [])],
    ...(route.requestBody ? { requestBody: route.requestBody } : {}),
    responses,
    security: route.security === 'token' ? [{ apiToken: [] }] : route.security === 'jwt' ? [{ apiToken: [] }, { userJwt: [] }] : [{}, { apiToken: [] }],
  };
}

const ERROR_DESCRIPTIONS: Record<string, string> = {
  '400': 'Bad request: the error names the parameter or field',
  '401': 'Missing or invalid credentials',
  '403': 'Not allowed (e.g. drafts without an API token)',
  '404': 'Not found',
  '405': 'Method not allowed',
  '410': 'Gone: withdrawn',
  '412': 'Precondition failed: If-Match names an older version',
  '413': 'Payload too large',
  '429': 'Too many requests (Retry-After)',
  '451': 'Withheld for legal reasons',
};

export async function openApiDocument(strapi: Core.Strapi): Promise<Record<string, unknown>> {
  const routes = describeRoutes();
  const described = new Set(routes.map((r) => `${r.method} ${r.path}`));
  const missing = servedRoutes(strapi).filter((r) => !described.has(r));
  if (missing.length > 0) throw new Error(`OpenAPI: routes served but not described in src/openapi/routes.ts: ${missing.join(', ')}`);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) (paths[toTemplate(route.docPath ?? route.path)] ??= {})[route.method.toLowerCase()] = operation(route);
  const schemas = await modelSchemas(strapi, ['api::article.article', 'api::entity.entity', 'api::image.image', 'plugin::upload.file', 'plugin::i18n.locale']);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Newsroom CMS public API',
      version: '1.0.0',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
      description:
        'REST reads of published articles, entities and images (drafts only with an API token), the article view and lists, distribution (feeds, sitemaps, structured data, the path resolver), the public revision trail, preview, health and uploads. Generated from the code (src/openapi); every response the integration tests receive is validated against it.',
    },
    servers: [{ url: '/' }],
    tags: [...new Set(routes.flatMap((r) => r.tags))].sort().map((name) => ({ name, ...(TAG_DESCRIPTIONS[name] ? { description: TAG_DESCRIPTIONS[name] } : {}) })),
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      schemas: { ...schemas, Error: ERROR_SCHEMA },
      securitySchemes: {
        apiToken: { type: 'http', scheme: 'bearer', description: 'An API token issued in the admin (Settings → API Tokens); required for drafts and writes' },
        userJwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "An end user's JWT from /api/auth/local (users-permissions)" },
      },
    },
  };
}
