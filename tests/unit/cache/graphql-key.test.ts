import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { graphqlCacheKey, isPreflighted } from '../../../src/cache/graphql-key';

const request = (params: Record<string, string> | string, headers: Record<string, string> = { 'content-type': 'application/json' }, method = 'GET') =>
  ({ method, url: `/graphql?${typeof params === 'string' ? params : new URLSearchParams(params)}`, headers }) as unknown as IncomingMessage;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const QUERY = 'query A($s: String) { articles(filters: { slug: { eq: $s } }) { documentId title } }';

describe('the read-cache key of a GraphQL GET', () => {
  it('is the same however the document is spaced, commented or comma-separated, and the variables ordered', () => {
    const key = graphqlCacheKey(request({ query: QUERY, variables: '{"s":"x","t":[1,{"b":2,"a":1}]}' }));
    expect(key).toMatch(/^graphql json [0-9a-f]{64} {2}\{"s":"x","t":\[1,\{"a":1,"b":2\}\]\}$/);
    const respaced = `# comment\n${QUERY.replace(/ /g, '\n  ').replace('documentId', 'documentId,')}`;
    expect(graphqlCacheKey(request({ query: respaced, variables: '{ "t": [1, {"a":1, "b":2}], "s": "x" }' }))).toBe(key);
  });

  it('differs by operation name, variables and the kind of answer asked for', () => {
    const keys = [
      request({ query: QUERY }),
      request({ query: QUERY, operationName: 'A' }),
      request({ query: QUERY, variables: '{"s":"y"}' }),
      request({ query: QUERY }, { 'content-type': 'application/json', accept: 'application/graphql-response+json' }),
      request({ query: QUERY.replace('title', 'slug') }),
    ].map(graphqlCacheKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.every((k) => typeof k === 'string')).toBe(true);
  });

  it('keys a persisted query by the document it stands for once both were seen, and never trusts a hash that is not the text', () => {
    const hash = sha256(QUERY);
    const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } });
    const unseen = graphqlCacheKey(request({ extensions }));
    expect(unseen).toBe(`graphql json apq:${hash}  {}`);
    expect(graphqlCacheKey(request({ query: QUERY.replace('title', 'slug'), extensions }))).toBeNull();
    const withText = graphqlCacheKey(request({ query: QUERY, extensions }));
    expect(withText).toBe(graphqlCacheKey(request({ query: QUERY })));
    expect(graphqlCacheKey(request({ extensions }))).toBe(withText);
  });

  test.each([
    ['no query', {}],
    ['a syntax error', { query: '{ articles { title }' }],
    ['variables that are not JSON', { query: QUERY, variables: '{"s":' }],
    ['extensions that are not JSON', { query: QUERY, extensions: '{' }],
    ['a malformed hash', { extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: 'abc' } }) }],
    ['variables nested past 64 levels', { query: QUERY, variables: `{"s":${'['.repeat(70)}1${']'.repeat(70)}}` }],
    ['an unknown parameter', { query: QUERY, debug: '1' }],
    ['a repeated parameter', `query=${encodeURIComponent(QUERY)}&query=${encodeURIComponent(QUERY)}`],
    ['nesting past the parser', { query: `{ a ${'{ a '.repeat(30_000)}${'}'.repeat(30_001)}` }],
  ])('is none (the stack answers) for %s', (_, params) => {
    expect(graphqlCacheKey(request(params as Record<string, string>))).toBeNull();
  });

  it('is none for a POST, a HEAD, another path, or a GET Apollo would refuse as a possible CSRF', () => {
    expect(graphqlCacheKey(request({ query: QUERY }, undefined, 'POST'))).toBeNull();
    expect(graphqlCacheKey(request({ query: QUERY }, undefined, 'HEAD'))).toBeNull();
    expect(graphqlCacheKey({ method: 'GET', url: `/graphqlx?query=${encodeURIComponent(QUERY)}`, headers: { 'content-type': 'application/json' } } as unknown as IncomingMessage)).toBeNull();
    const refused: Array<Record<string, string>> = [{}, { 'content-type': 'text/plain' }, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, { 'apollo-require-preflight': '' }];
    for (const headers of refused) {
      expect(isPreflighted({ headers } as unknown as IncomingMessage)).toBe(false);
      expect(graphqlCacheKey(request({ query: QUERY }, headers))).toBeNull();
    }
    for (const headers of [{ 'content-type': 'application/json' }, { 'apollo-require-preflight': 'true' }, { 'x-apollo-operation-name': 'A' }]) {
      expect(isPreflighted({ headers } as unknown as IncomingMessage)).toBe(true);
    }
  });
});
