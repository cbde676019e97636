/**
 * GraphQL `search(...)` and `searchSuggest(...)`: the same answers as GET /api/search and
 * /api/search/suggest (http.ts does the work for both), with the same arguments and the same
 * errors (a bad argument is BAD_USER_INPUT naming it; `sort` and `entities` are strings, checked
 * as REST checks them, so a wrong one is named rather than refused by GraphQL's validation). Not kept by the read cache (its GraphQL
 * roots are the content types'): the REST routes are the cached ones.
 */
import type { Core } from '@strapi/strapi';
import { searchAnswer, suggestAnswer } from './http';

const TYPE_DEFS = `
  "An article's hero image as a search result shows it: its thumbnail"
  type SearchHeroImage { documentId: String caption: String altText: String credit: String url: String width: Int height: Int }
  "The matched words wrapped in <mark>, everything else HTML-escaped; up to 3 body fragments"
  type SearchHighlights { title: String standfirst: String body: [String!]! }
  type SearchHit { documentId: String! locale: String! slug: String path: String title: String! standfirst: String firstPublishedAt: String! heroImage: SearchHeroImage highlights: SearchHighlights! score: Float! }
  type SearchEntityFacet { slug: String! name: String! kind: String! count: Int! }
  type SearchMonthFacet { month: String! count: Int! }
  type SearchFacets { entities: [SearchEntityFacet!]! months: [SearchMonthFacet!]! }
  type SearchPagination { page: Int! pageSize: Int! total: Int! }
  type SearchQueryMeta { words: [String!]! phrases: [String!]! excluded: [String!]! corrected: String didYouMean: String }
  "The newest matches a query matching more than the window was ranked, counted and faceted among; pagination.total is then the window's size: at least that many matched"
  type SearchWindow { size: Int! since: String! }
  type SearchMeta { pagination: SearchPagination! facets: SearchFacets! query: SearchQueryMeta! "null when every match was ranked, counted and faceted" window: SearchWindow }
  type SearchResult { data: [SearchHit!]! meta: SearchMeta! }
  "An entity (name, kind) or an article (title) whose words start with what the reader typed"
  type SearchSuggestion { type: String! documentId: String! slug: String path: String name: String kind: String title: String }
  type SearchSuggestMeta { locale: String! }
  type SearchSuggestions { data: [SearchSuggestion!]! meta: SearchSuggestMeta! }
  extend type Query {
    "Published articles matching a reader's query (GET /api/search)"
    search(q: String!, locale: I18NLocaleCode, page: Int, pageSize: Int, "relevance (default) or newest" sort: String, "entity slugs separated by commas, as REST" entities: String, from: String, to: String): SearchResult!
    "Entities and article titles starting with what the reader typed (GET /api/search/suggest)"
    searchSuggest(q: String!, locale: I18NLocaleCode): SearchSuggestions!
  }
`;

type Args = Record<string, unknown>;

/** GraphQL arguments as the REST query string would give them (lists joined by commas, absent ones left out). */
const asQuery = (args: Args): Record<string, unknown> =>
  Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]));

export function registerSearchGraphql(strapi: Core.Strapi): void {
  strapi.plugin('graphql').service('extension').use({
    typeDefs: TYPE_DEFS,
    resolvers: {
      Query: {
        search: async (_parent: unknown, args: Args) => (await searchAnswer(strapi, asQuery(args))).body,
        searchSuggest: async (_parent: unknown, args: Args) => (await suggestAnswer(strapi, asQuery(args))).body,
      },
    },
    // Published content only, as the REST routes.
    resolversConfig: { 'Query.search': { auth: false }, 'Query.searchSuggest': { auth: false } },
  });
}
