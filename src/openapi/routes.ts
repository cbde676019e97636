/**
 * What each public route takes and answers, for the OpenAPI document (document.ts). Queries are
 * the zod schemas the handlers parse with, imported from the handlers' modules; answers refer to
 * the model schemas (models.ts). Every route Strapi serves under /api must have an entry here:
 * the document's build fails naming any that has not. Strapi's own plugin routes (end-user
 * accounts, the content-type builder's read routes, email) are listed with Strapi's shapes left
 * open: they are Strapi's contract, documented by Strapi.
 */
import type { z } from 'zod';
import { readQuerySchema } from '../content-api/read-query';
import { feedQuery, noQuery, relatedQuery, resolveQuery, structuredDataQuery } from '../distribution/http';
import { trailQuery } from '../history/public-trail';
import { searchQuery, suggestQuery } from '../search/http';
import { pageQuery, viewQuery } from '../reads/article-reads';
import { ref, type JsonSchema } from './models';

type Security = 'public' | 'token' | 'jwt';

interface Answer {
  description: string;
  content?: Record<string, { schema: JsonSchema }>;
  headers?: Record<string, unknown>;
}

export interface RouteDoc {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** as Strapi serves it, e.g. /api/articles/:id */
  path: string;
  /** the path in the document when it must differ (one parameter name for one position) */
  docPath?: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security: Security;
  query?: z.ZodType;
  extraParameters?: Record<string, unknown>[];
  pathSchema?: Record<string, JsonSchema>;
  requestBody?: Record<string, unknown>;
  responses: Record<string, Answer>;
  /** error statuses besides 5XX (default 400, 404) */
  errors?: string[];
}

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const ok = (description: string, schema: JsonSchema): Record<string, Answer> => ({ '200': { description, content: json(schema) } });
const object = (properties: Record<string, JsonSchema>, required = Object.keys(properties)): JsonSchema => ({ type: 'object', properties, required, additionalProperties: false });
const open: JsonSchema = {};

// `pagination[withCount]=false` leaves out the count: `total` (and `pageCount`) are not in the answer.
const PAGINATION: JsonSchema = {
  anyOf: [
    object({ page: { type: 'integer' }, pageSize: { type: 'integer' }, pageCount: { type: 'integer' }, total: { type: 'integer' } }, ['page', 'pageSize']),
    object({ start: { type: 'integer' }, limit: { type: 'integer' }, total: { type: 'integer' } }, ['start', 'limit']),
  ],
};
/** The pool as health reports it: null when the database has no pool (it is gone). */
const POOL_STATE: JsonSchema = {
  anyOf: [object(Object.fromEntries(['contentRequests', 'contentQueued', 'max', 'used', 'free', 'waiting', 'reserved', 'contentInUse', 'contentWaiting'].map((k) => [k, { type: 'integer', minimum: 0 }]))), { type: 'null' }],
};
const PAGE_META = object({ page: { type: 'integer' }, pageSize: { type: 'integer' }, hasNextPage: { type: 'boolean' } });
const POPULATE = { name: 'populate', in: 'query', style: 'deepObject', explode: true, schema: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }, { type: 'object' }] }, description: 'Relations, media and components to include (Strapi syntax)' };
const slugParam = { slug: { type: 'string', pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$', maxLength: 200 } };
const SLUG_REDIRECT: Answer = { description: 'The slug moved: Location is the same route under the current slug (query kept)', headers: { Location: { schema: { type: 'string' } } }, content: json(object({ data: object({ kind: { const: 'redirect' }, location: { type: 'string' }, status: { const: 301 } }) })) };

const list = (uid: string) => object({ data: { type: 'array', items: ref(uid) }, meta: object({ pagination: PAGINATION }) });
const one = (uid: string) => object({ data: ref(uid), meta: { type: 'object' } });
const writeBody = (what: string) => ({ required: true, content: json(object({ data: { type: 'object', description: `The ${what}'s fields` } })) });

/** find, findOne, create, update, delete of a core collection type. */
function collection(plural: string, uid: string, label: string, tag: string): RouteDoc[] {
  const base = `/api/${plural}`;
  const read = { query: readQuerySchema, extraParameters: [POPULATE], tags: [tag] };
  return [
    { method: 'GET', path: base, operationId: `list${label}s`, summary: `${label}s, paged (published unless status=draft with an API token)`, security: 'public', ...read, responses: ok(`A page of ${plural}`, list(uid)), errors: ['400', '403'] },
    { method: 'GET', path: `${base}/:id`, operationId: `get${label}`, summary: `One ${label.toLowerCase()} by documentId`, security: 'public', ...read, responses: ok(`The ${label.toLowerCase()}`, one(uid)), errors: ['400', '403', '404'] },
    { method: 'POST', path: base, operationId: `create${label}`, summary: `Create a ${label.toLowerCase()}`, security: 'token', tags: [tag], requestBody: writeBody(label.toLowerCase()), responses: { ...ok('Created', one(uid)), '201': { description: 'Created', content: json(one(uid)) } }, errors: ['400', '401', '403'] },
    { method: 'PUT', path: `${base}/:id`, operationId: `update${label}`, summary: `Update a ${label.toLowerCase()} (If-Match: "<updatedAt>" refuses a stale save with 412)`, security: 'token', tags: [tag], requestBody: writeBody(label.toLowerCase()), responses: ok('Updated', one(uid)), errors: ['400', '401', '403', '404', '412'] },
    { method: 'DELETE', path: `${base}/:id`, operationId: `delete${label}`, summary: `Delete a ${label.toLowerCase()}`, security: 'token', tags: [tag], responses: { '200': { description: 'Deleted', content: json(open) }, '204': { description: 'Deleted' } }, errors: ['401', '403', '404'] },
  ];
}

const XML = (type: string) => ({ [type]: { schema: { type: 'string' } } });

/** A Strapi plugin route, its shapes left to Strapi's documentation. */
const plugin = (method: RouteDoc['method'], path: string, operationId: string, summary: string, tag: string, security: Security): RouteDoc => ({
  method,
  path,
  operationId,
  summary,
  tags: [tag],
  security,
  ...(method === 'POST' || method === 'PUT' ? { requestBody: { content: json(open) } } : {}),
  responses: { '200': { description: "Strapi's answer", content: json(open) } },
  errors: ['400', '401', '403', '404'],
});

const INGESTED: JsonSchema = object({
  documentId: { type: ['string', 'null'] },
  locale: { type: 'string' },
  status: { enum: ['draft', 'published'] },
  action: { enum: ['created', 'updated', 'unchanged', 'withheld', 'killed'] },
  applied: { type: 'boolean' },
  guid: { type: ['string', 'null'] },
  version: { type: ['string', 'null'] },
});
const INGEST_META: JsonSchema = object({
  suggestions: object({
    known: { type: 'array', items: object({ documentId: { type: 'string' }, slug: { type: 'string' }, name: { type: 'string' }, kind: { type: 'string' }, via: { enum: ['code', 'text'] }, count: { type: 'integer' }, firstOffset: { type: ['integer', 'null'] } }) },
    candidates: { type: 'array', items: object({ name: { type: 'string' }, kind: { type: 'string' }, count: { type: 'integer' }, firstOffset: { type: 'integer' } }) },
  }),
  warnings: { type: 'array', items: { type: 'string' } },
});
/** One item's answer, or a message's: `data` and `meta.items` in the message's order. */
const INGEST_ANSWER: JsonSchema = {
  oneOf: [object({ data: INGESTED, meta: INGEST_META }), object({ data: { type: 'array', items: INGESTED }, meta: object({ items: { type: 'array', items: INGEST_META } }) })],
};

const nullableString: JsonSchema = { type: ['string', 'null'] };
const SEARCH_HIT: JsonSchema = object({
  documentId: { type: 'string' },
  locale: { type: 'string' },
  slug: nullableString,
  path: nullableString,
  title: { type: 'string' },
  standfirst: nullableString,
  firstPublishedAt: { type: 'string', format: 'date-time' },
  heroImage: {
    anyOf: [
      object({ documentId: nullableString, caption: nullableString, altText: nullableString, credit: nullableString, url: nullableString, width: { type: ['integer', 'null'] }, height: { type: ['integer', 'null'] } }),
      { type: 'null' },
    ],
  },
  highlights: object({ title: nullableString, standfirst: nullableString, body: { type: 'array', items: { type: 'string' }, maxItems: 3 } }),
  score: { type: 'number' },
});
const SEARCH_ANSWER: JsonSchema = object({
  data: { type: 'array', items: SEARCH_HIT },
  meta: object({
    pagination: object({ page: { type: 'integer' }, pageSize: { type: 'integer' }, total: { type: 'integer' } }),
    facets: object({
      entities: { type: 'array', maxItems: 10, items: object({ slug: { type: 'string' }, name: { type: 'string' }, kind: { type: 'string' }, count: { type: 'integer' } }) },
      months: { type: 'array', items: object({ month: { type: 'string', pattern: '^\\d{4}-\\d{2}$' }, count: { type: 'integer' } }) },
    }),
    query: object(
      { words: { type: 'array', items: { type: 'string' } }, phrases: { type: 'array', items: { type: 'string' } }, excluded: { type: 'array', items: { type: 'string' } }, corrected: { type: 'string' }, didYouMean: { type: 'string' } },
      ['words', 'phrases', 'excluded'],
    ),
    window: {
      description: 'null when every match was ranked, counted and faceted; for a query matching more, the newest `size` matches (first published since `since`) were, and pagination.total is `size`: at least that many matched',
      anyOf: [object({ size: { type: 'integer' }, since: { type: 'string', format: 'date-time' } }), { type: 'null' }],
    },
  }),
});
const SUGGEST_ANSWER: JsonSchema = object({
  data: {
    type: 'array',
    maxItems: 8,
    items: {
      oneOf: [
        object({ type: { const: 'entity' }, documentId: { type: 'string' }, slug: { type: 'string' }, name: { type: 'string' }, kind: { type: 'string' }, path: nullableString }),
        object({ type: { const: 'article' }, documentId: { type: 'string' }, slug: nullableString, title: { type: 'string' }, path: nullableString }),
      ],
    },
  },
  meta: object({ locale: { type: 'string' } }),
});

export const TAG_DESCRIPTIONS: Record<string, string> = {
  Articles: 'News stories: published reads for everyone, drafts and writes with an API token; the one-call view by slug, the newest list, the public revision trail',
  Entities: 'People, organisations, countries, places and events stories name; topic pages',
  Images: 'Pictures with caption, credit, agency and rights (an image past its rights expiry is in no public answer)',
  Distribution: 'Feeds, sitemaps, structured data, related stories and the site path resolver',
  Search: 'Ranked full-text search of published articles (every locale), with highlights, facets and typo correction; suggestions as the reader types',
  Preview: 'Drafts for the site’s preview, with a token from the admin',
  Ingest: 'Agency items (IPTC ninjs, NewsML-G2, NITF), pasted pages and exports in, draft articles out, with an API token holding the ingest permission',
  Operations: 'Health and this document',
  Locales: 'The site’s locales',
  Uploads: 'Uploaded files (Strapi upload plugin; images only)',
  'Strapi: users-permissions': 'Strapi’s end-user accounts plugin, as Strapi documents it',
  'Strapi: content-type-builder': 'Strapi’s read-only schema routes, as Strapi documents them',
  'Strapi: email': 'Strapi’s email plugin, as Strapi documents it',
};

export function describeRoutes(): RouteDoc[] {
  const ARTICLE = 'api::article.article';
  const ENTITY = 'api::entity.entity';
  const IMAGE = 'api::image.image';
  const FILE = 'plugin::upload.file';
  const articlesPage = (extra: Record<string, JsonSchema> = {}) => object({ data: { type: 'array', items: ref(ARTICLE) }, meta: object({ ...extra, pagination: PAGE_META }) });
  const note = object({ kind: { type: 'string' }, at: { type: ['string', 'null'] }, note: { type: 'string' } });
  const U = 'Strapi: users-permissions';
  return [
    ...collection('articles', ARTICLE, 'Article', 'Articles'),
    ...collection('entities', ENTITY, 'Entity', 'Entities'),
    ...collection('images', IMAGE, 'Image', 'Images'),
    { method: 'GET', path: '/api/articles/slug/:slug', operationId: 'getArticleBySlug', summary: 'The whole published article in one call: sections, hero image, entities, bylines, log, localizations', tags: ['Articles'], security: 'public', query: viewQuery, pathSchema: slugParam, responses: { ...ok('The article', object({ data: ref(ARTICLE), meta: object({}) })), '301': SLUG_REDIRECT }, errors: ['400', '404', '410'] },
    { method: 'GET', path: '/api/articles/newest', operationId: 'listNewestArticles', summary: 'Published articles of a locale, newest first (summaries with the hero image)', tags: ['Articles'], security: 'public', query: pageQuery, responses: ok('A page', articlesPage()), errors: ['400'] },
    { method: 'GET', path: '/api/articles/slug/:slug/structured-data', operationId: 'getArticleStructuredData', summary: 'schema.org NewsArticle JSON-LD', tags: ['Distribution'], security: 'public', query: structuredDataQuery, pathSchema: slugParam, responses: { '200': { description: 'JSON-LD', content: { 'application/ld+json': { schema: { type: 'object' } } } }, '301': SLUG_REDIRECT }, errors: ['400', '404', '410'] },
    { method: 'GET', path: '/api/articles/slug/:slug/ninjs', operationId: 'getArticleNinjs', summary: 'The published article as IPTC ninjs 2.2 (syndication): version = its revision, bodies as text and HTML, entities with Wikidata URIs, the hero with renditions and rights', tags: ['Distribution'], security: 'public', query: structuredDataQuery, pathSchema: slugParam, responses: { '200': { description: 'ninjs 2.2', content: { 'application/vnd.iptc.ninjs+json': { schema: { type: 'object', required: ['uri', 'version', 'headlines', 'bodies'] } } } }, '301': SLUG_REDIRECT }, errors: ['400', '404', '410'] },
    { method: 'GET', path: '/api/articles/slug/:slug/related', operationId: 'listRelatedArticles', summary: 'Published articles sharing its entities, best first', tags: ['Distribution'], security: 'public', query: relatedQuery, pathSchema: slugParam, responses: { ...ok('Related stories', object({ data: { type: 'array', items: ref(ARTICLE) }, meta: object({ article: object({ documentId: { type: 'string' }, locale: { type: 'string' } }) }) })), '301': SLUG_REDIRECT }, errors: ['400', '404', '410'] },
    { method: 'GET', path: '/api/articles/slug/:slug/revisions', operationId: 'listArticleRevisions', summary: 'The public revision trail (PUBLIC_REVISIONS): each published version and the notes it added', tags: ['Articles'], security: 'public', query: trailQuery, pathSchema: slugParam, responses: { ...ok('Revisions, oldest first, withheld ones left out', object({ data: { type: 'array', items: object({ revision: { type: 'integer' }, publishedAt: { type: 'string', format: 'date-time' }, notes: { type: 'array', items: note } }) }, meta: object({ documentId: { type: 'string' }, locale: { type: 'string' }, revisions: { type: 'integer' } }) })), '301': SLUG_REDIRECT }, errors: ['400', '404', '410'] },
    { method: 'GET', path: '/api/articles/slug/:slug/revisions/:n', operationId: 'getArticleRevision', summary: 'The public text of revision n (1: the first publication)', tags: ['Articles'], security: 'public', query: trailQuery, pathSchema: { ...slugParam, n: { type: 'integer', minimum: 1 } }, responses: { ...ok('The revision', object({ data: object({ revision: { type: 'integer' }, publishedAt: { type: 'string', format: 'date-time' }, notes: { type: 'array', items: note }, article: { type: 'object' } }), meta: object({ documentId: { type: 'string' }, locale: { type: 'string' }, revisions: { type: 'integer' } }) })), '301': SLUG_REDIRECT }, errors: ['400', '404', '410', '451'] },
    { method: 'GET', path: '/api/entities/slug/:slug', operationId: 'getTopic', summary: 'A topic page: the entity, how many published articles name it, the entities named with it', tags: ['Entities'], security: 'public', query: viewQuery, pathSchema: slugParam, responses: { ...ok('The topic', object({ data: object({ entity: ref(ENTITY), locale: { type: 'string' }, articles: { type: 'integer' }, namedWith: { type: 'array', items: object({ entity: ref(ENTITY), articles: { type: 'integer' } }) } }), meta: object({}) })), '301': SLUG_REDIRECT }, errors: ['400', '404'] },
    { method: 'GET', path: '/api/entities/:slug/articles', operationId: 'listArticlesNaming', summary: 'Published articles naming an entity, newest first', tags: ['Entities'], security: 'public', query: pageQuery, pathSchema: slugParam, responses: ok('A page', articlesPage({ entity: { type: 'object' } })), errors: ['400', '404'] },
    { method: 'GET', path: '/api/feeds/:file', operationId: 'getArticlesFeed', summary: 'The newest articles as RSS 2.0 (articles.rss), Atom 1.0 (articles.atom) or JSON Feed 1.1 (articles.json)', tags: ['Distribution'], security: 'public', query: feedQuery, responses: { '200': { description: 'The feed', content: { ...XML('application/rss+xml'), ...XML('application/atom+xml'), 'application/feed+json': { schema: { type: 'object' } } } } }, errors: ['400', '404'] },
    { method: 'GET', path: '/api/feeds/entities/:file', operationId: 'getEntityFeed', summary: "An entity's articles as a feed (<slug>.rss, .atom or .json)", tags: ['Distribution'], security: 'public', query: feedQuery, responses: { '200': { description: 'The feed', content: { ...XML('application/rss+xml'), ...XML('application/atom+xml'), 'application/feed+json': { schema: { type: 'object' } } } }, '301': SLUG_REDIRECT }, errors: ['400', '404'] },
    { method: 'GET', path: '/api/sitemaps/:file', operationId: 'getSitemap', summary: 'sitemap.xml (the index), news.xml, articles-YYYY-MM.xml, entities-N.xml', tags: ['Distribution'], security: 'public', query: noQuery, responses: { '200': { description: 'The sitemap', content: XML('application/xml') } }, errors: ['400', '404'] },
    { method: 'GET', path: '/api/search', operationId: 'searchArticles', summary: 'Published articles matching a reader’s query, best first (or newest), with highlighted snippets, entity and month facets and a corrected query when a word matched nothing', tags: ['Search'], security: 'public', query: searchQuery, responses: ok('A page of results', SEARCH_ANSWER), errors: ['400'] },
    { method: 'GET', path: '/api/search/suggest', operationId: 'searchSuggest', summary: 'Up to 8 entities and article titles starting with what the reader typed', tags: ['Search'], security: 'public', query: suggestQuery, responses: ok('Suggestions', SUGGEST_ANSWER), errors: ['400'] },
    { method: 'GET', path: '/api/resolve', operationId: 'resolvePath', summary: 'What a site path is now: an article, an entity, a redirect or gone', tags: ['Distribution'], security: 'public', query: resolveQuery, responses: ok('The resolution', object({ data: { type: 'object' }, meta: object({}) })), errors: ['400', '404', '410'] },
    { method: 'GET', path: '/api/preview/articles/:documentId', operationId: 'previewArticle', summary: 'The draft of one article and locale, with a preview token from the admin', tags: ['Preview'], security: 'public', extraParameters: [{ name: 'locale', in: 'query', schema: { type: 'string' } }, { name: 'token', in: 'query', required: true, schema: { type: 'string' } }], responses: ok('The draft', object({ data: ref(ARTICLE), meta: { type: 'object' } })), errors: ['400', '401', '403', '404'] },
    {
      method: 'POST',
      path: '/api/ingest',
      operationId: 'ingest',
      summary: 'An agency item, a pasted page or a message of items becomes a draft article (or updates, withholds or kills the one it became)',
      description: 'The format comes from Content-Type. 201 when an article was created, 200 for updated / unchanged / withheld / killed. `link=known` links every entity the vocabulary matched. See docs/api.md "Ingest".',
      tags: ['Ingest'],
      security: 'token',
      extraParameters: [{ name: 'link', in: 'query', schema: { type: 'string', enum: ['known', 'none'] } }],
      requestBody: {
        required: true,
        content: Object.fromEntries(
          ['application/vnd.iptc.ninjs+json', 'application/json', 'application/vnd.iptc.g2.newsitem+xml', 'application/vnd.iptc.g2.newsmessage+xml', 'application/nitf+xml', 'application/xml', 'text/xml', 'text/plain', 'text/html'].map((type) => [type, { schema: type.endsWith('json') ? { type: 'object' } : { type: 'string' } }]),
        ),
      },
      responses: {
        '200': { description: 'Updated, unchanged, withheld or killed', content: json(INGEST_ANSWER) },
        '201': { description: 'A draft article was created', content: json(INGEST_ANSWER) },
      },
      errors: ['400', '401', '403', '409', '413', '415', '422'],
    },
    { method: 'GET', path: '/api/health', operationId: 'health', summary: 'Liveness and database: 503 while the database does not answer or the process drains', tags: ['Operations'], security: 'public', responses: ok('Healthy, with the connection pool (src/database-guard/pool.ts)', object({ status: { const: 'ok' }, database: { const: 'up' }, pool: POOL_STATE })), errors: ['503'] },
    { method: 'GET', path: '/api/openapi.json', operationId: 'openapi', summary: 'This document', tags: ['Operations'], security: 'public', responses: ok('The OpenAPI 3.1 document', { type: 'object', properties: { openapi: { type: 'string' }, paths: { type: 'object' } }, required: ['openapi', 'paths'] }), errors: [] },
    { method: 'GET', path: '/api/i18n/locales', operationId: 'listLocales', summary: "The site's locales", tags: ['Locales'], security: 'public', responses: ok('Locales', { type: 'array', items: ref('plugin::i18n.locale') }), errors: ['403'] },
    { method: 'GET', path: '/api/upload/files', operationId: 'listFiles', summary: 'Uploaded files (a plain list, Strapi upload plugin)', tags: ['Uploads'], security: 'public', extraParameters: [{ name: 'filters', in: 'query', style: 'deepObject', explode: true, schema: { type: 'object' } }, { name: 'sort', in: 'query', schema: { type: 'string' } }, { name: 'pagination', in: 'query', style: 'deepObject', explode: true, schema: { type: 'object' } }], responses: ok('Files', { type: 'array', items: ref(FILE) }), errors: ['400', '403'] },
    { method: 'GET', path: '/api/upload/files/:id', operationId: 'getFile', summary: 'One uploaded file', tags: ['Uploads'], security: 'public', pathSchema: { id: { type: 'string', pattern: '^\\d+$' } }, responses: ok('The file', ref(FILE)), errors: ['400', '403', '404'] },
    plugin('GET', '/api/upload/files/page', 'pageFiles', 'Uploaded files, paged (Strapi upload plugin)', 'Uploads', 'public'),
    { method: 'POST', path: '/api/upload', operationId: 'upload', summary: 'Upload images (multipart `files`; images only, checked by their bytes; UPLOAD_MAX_BYTES)', tags: ['Uploads'], security: 'token', requestBody: { required: true, content: { 'multipart/form-data': { schema: { type: 'object', properties: { files: { type: 'array', items: { type: 'string', format: 'binary' } }, fileInfo: { type: 'string' } } } } } }, responses: { ...ok('The stored files', { type: 'array', items: ref(FILE) }), '201': { description: 'The stored files', content: json({ type: 'array', items: ref(FILE) }) } }, errors: ['400', '401', '403', '413'] },
    plugin('DELETE', '/api/upload/files/:id', 'deleteFile', 'Delete an uploaded file', 'Uploads', 'token'),
    plugin('GET', '/api/auth/:provider/callback', 'authCallback', 'Provider login callback', U, 'public'),
    plugin('POST', '/api/auth/change-password', 'changePassword', 'Change the password', U, 'jwt'),
    plugin('GET', '/api/auth/email-confirmation', 'emailConfirmation', 'Confirm an email address', U, 'public'),
    plugin('POST', '/api/auth/forgot-password', 'forgotPassword', 'Ask for a password reset', U, 'public'),
    plugin('POST', '/api/auth/local', 'login', 'Log in (end users)', U, 'public'),
    plugin('POST', '/api/auth/local/register', 'register', 'Register (end users)', U, 'public'),
    plugin('POST', '/api/auth/logout', 'logout', 'Log out', U, 'jwt'),
    plugin('POST', '/api/auth/refresh', 'refresh', 'Refresh a session', U, 'public'),
    plugin('POST', '/api/auth/reset-password', 'resetPassword', 'Reset a password', U, 'public'),
    plugin('POST', '/api/auth/send-email-confirmation', 'sendEmailConfirmation', 'Send the confirmation email again', U, 'public'),
    plugin('GET', '/api/auth/sessions', 'listSessions', 'The user’s sessions', U, 'jwt'),
    plugin('DELETE', '/api/auth/sessions/:sessionId', 'deleteSession', 'End a session', U, 'jwt'),
    plugin('GET', '/api/connect/(.*)', 'connect', 'Start a provider login', U, 'public'),
    plugin('GET', '/api/users', 'listUsers', 'End users', U, 'jwt'),
    plugin('POST', '/api/users', 'createUser', 'Create an end user', U, 'jwt'),
    plugin('GET', '/api/users/:id', 'getUser', 'One end user', U, 'jwt'),
    plugin('PUT', '/api/users/:id', 'updateUser', 'Update an end user', U, 'jwt'),
    plugin('DELETE', '/api/users/:id', 'deleteUser', 'Delete an end user', U, 'jwt'),
    plugin('GET', '/api/users/count', 'countUsers', 'How many end users', U, 'jwt'),
    plugin('GET', '/api/users/me', 'me', 'The logged-in end user', U, 'jwt'),
    plugin('GET', '/api/users-permissions/permissions', 'listPermissions', 'Permissions', U, 'jwt'),
    plugin('GET', '/api/users-permissions/roles', 'listRoles', 'Roles', U, 'jwt'),
    plugin('POST', '/api/users-permissions/roles', 'createRole', 'Create a role', U, 'jwt'),
    // Strapi names the same position :id here and :role on PUT and DELETE; the document uses one name.
    { ...plugin('GET', '/api/users-permissions/roles/:id', 'getRole', 'One role', U, 'jwt'), docPath: '/api/users-permissions/roles/:role' },
    plugin('PUT', '/api/users-permissions/roles/:role', 'updateRole', 'Update a role', U, 'jwt'),
    plugin('DELETE', '/api/users-permissions/roles/:role', 'deleteRole', 'Delete a role', U, 'jwt'),
    plugin('GET', '/api/content-type-builder/components', 'listComponents', 'Component schemas (with an API token that may read them)', 'Strapi: content-type-builder', 'token'),
    plugin('GET', '/api/content-type-builder/components/:uid', 'getComponent', 'One component schema', 'Strapi: content-type-builder', 'token'),
    plugin('GET', '/api/content-type-builder/content-types', 'listContentTypes', 'Content-type schemas', 'Strapi: content-type-builder', 'token'),
    plugin('GET', '/api/content-type-builder/content-types/:uid', 'getContentType', 'One content-type schema', 'Strapi: content-type-builder', 'token'),
    plugin('POST', '/api/email', 'sendEmail', 'Send an email (Strapi email plugin)', 'Strapi: email', 'token'),
  ];
}
