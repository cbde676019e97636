/**
 * The story's reads the benchmarks share: its slug, the REST view's path and the GraphQL query a
 * frontend sends for the same page (every field the view returns), `articleBySlug` or, with
 * `filters: {}` on each relation (src/reads/graphql.ts batches only plain fields), the plugin's
 * own `articles(filters: slug)` resolved the stock way.
 */
'use strict';

const SLUG = 'us-warns-allies-of-chinas-growing-support-for-russia-amid-ukraine-conflict';
const VIEW_PATH = `/api/articles/slug/${SLUG}`;

const fields = (f = '', sep = ', ') => `documentId title slug standfirst dateline lastUpdatedAt locale sections${f && `(${f})`} { heading body } updates${f && `(${f})`} { kind at note }
  heroImage { caption altText credit agency takenAt location asset { name url mime width height formats } depicts${f && `(${f})`} { name slug } }
  entities(pagination: { limit: 100 }${f && `${sep}${f}`}) { name slug kind description aliases wikidataId } localizations${f && `(${f})`} { locale slug title }`;
const GRAPHQL_BY_SLUG = `query($slug: String!) { articleBySlug(slug: $slug) { ${fields()} } }`;
const GRAPHQL_STOCK = `query($slug: String!) { articles(filters: { slug: { eq: $slug } }) { ${fields('filters: {}')} } }`;

/** An autocannon request: the query as a GraphQL POST with the story's slug. */
const graphqlPost = (query) => ({ method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables: { slug: SLUG } }) });

module.exports = { SLUG, VIEW_PATH, GRAPHQL_BY_SLUG, GRAPHQL_STOCK, graphqlPost };
