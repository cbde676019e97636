/**
 * The read-cache key of a GraphQL GET (a query in the URL, or an Apollo automatic persisted query:
 * `extensions={"persistedQuery":{"version":1,"sha256Hash":…}}`): the normalised document (parsed
 * and printed: spacing, commas and comments do not matter), operationName, the variables with
 * sorted keys, and the kind of answer Accept asks for. A persisted query's hash is keyed as the
 * document it stands for once a GET with both has been seen. What the stack would answer
 * differently (another parameter, a repeated one, variables that are not JSON, a request without
 * Apollo's CSRF preflight) has no key: it goes through the whole stack. What an answer is tagged
 * with: graphql-tags.ts.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { MAX_TOKENS } from '../content-api/graphql-limits';
import { pluginDependency } from '../graphql/plugin-modules';

let graphqlModule: typeof import('graphql') | undefined;
const graphql = () => (graphqlModule ??= pluginDependency<typeof import('graphql')>('graphql'));

const PARAMETERS = new Set(['query', 'variables', 'operationName', 'extensions']);
/** Content types that carry no preflight: a browser may send them cross-site without asking (Apollo's own list). */
const SIMPLE_CONTENT_TYPES = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\s*(;|$)/i;
/** Apollo's csrfPrevention: a GET it executes has a non-simple content-type or one of these headers. */
const PREFLIGHT_HEADERS = ['x-apollo-operation-name', 'apollo-require-preflight'];
/** Variables nested deeper are refused by src/graphql/variables-limit.ts; such a request is not keyed. */
const MAX_VARIABLE_DEPTH = 64;
const MEMO_LIMIT = 2_000;

/** Raw document text -> digest of its normalised form, and persisted-query hash -> that digest. */
const digests = new Map<string, string | null>();
const persisted = new Map<string, string>();

function remember<V>(map: Map<string, V>, key: string, value: V): V {
  if (map.size >= MEMO_LIMIT) map.clear();
  map.set(key, value);
  return value;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The digest of a document's printed form; null when it does not parse (the stack answers the 400). */
function documentDigest(query: string): string | null {
  const known = digests.get(query);
  if (known !== undefined) return known;
  const { parse, print } = graphql();
  let digest: string | null;
  try {
    digest = sha256(print(parse(query, { maxTokens: MAX_TOKENS, noLocation: true })));
  } catch {
    digest = null; // a syntax error, too many tokens, or nesting past the stack: the stack refuses it
  }
  return remember(digests, query, digest);
}

/** JSON with object keys sorted; undefined past MAX_VARIABLE_DEPTH. */
function canonical(value: unknown, depth = 0): string | undefined {
  if (depth > MAX_VARIABLE_DEPTH) return undefined;
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (const item of value) {
      const text = canonical(item, depth + 1);
      if (text === undefined) return undefined;
      items.push(text);
    }
    return `[${items.join(',')}]`;
  }
  if (value && typeof value === 'object') {
    const entries: string[] = [];
    for (const key of Object.keys(value).sort()) {
      const text = canonical((value as Record<string, unknown>)[key], depth + 1);
      if (text === undefined) return undefined;
      entries.push(`${JSON.stringify(key)}:${text}`);
    }
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

function parseJson(text: string | null): { ok: true; value: unknown } | { ok: false } {
  if (text === null) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Whether Apollo would run this GET (its CSRF prevention); one it refuses is never answered from the cache. */
export function isPreflighted(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  if (type !== undefined && !SIMPLE_CONTENT_TYPES.test(type)) return true;
  return PREFLIGHT_HEADERS.some((name) => {
    const value = req.headers[name];
    return typeof value === 'string' && value.length > 0;
  });
}

/** What a GraphQL GET's URL names: document, operation and variables; null when the stack must answer. */
function urlKey(url: string): { key: string | null; final: boolean } {
  const mark = url.indexOf('?');
  if (mark === -1 || url.slice(0, mark) !== '/graphql') return { key: null, final: true };
  const params = new URLSearchParams(url.slice(mark + 1));
  const seen = new Set<string>();
  for (const name of params.keys()) {
    if (!PARAMETERS.has(name) || seen.has(name)) return { key: null, final: true };
    seen.add(name);
  }
  const query = params.get('query');
  const variables = parseJson(params.get('variables'));
  const extensions = parseJson(params.get('extensions'));
  if (!variables.ok || !extensions.ok) return { key: null, final: true };
  const hash = (extensions.value as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
  if (hash !== undefined && (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash))) return { key: null, final: true };
  let document: string | null;
  // A hash whose document is not known yet is keyed by itself, until a GET with its text is seen.
  let final = true;
  if (query !== null) {
    document = documentDigest(query);
    if (document === null) return { key: null, final: true };
    if (hash !== undefined && persisted.get(hash) !== document) {
      // Apollo refuses a hash that is not the text's (400): so must a cached answer.
      if (sha256(query) !== hash) return { key: null, final: true };
      remember(persisted, hash, document);
    }
  } else if (hash !== undefined) {
    document = persisted.get(hash) ?? null;
    if (document === null) {
      document = `apq:${hash}`;
      final = false;
    }
  } else {
    return { key: null, final: true };
  }
  const vars = canonical(variables.value ?? {});
  if (vars === undefined) return { key: null, final: true };
  return { key: `${document} ${params.get('operationName') ?? ''} ${vars}`, final };
}

/** URL -> its key (or null), for URLs up to MEMO_URL_LENGTH: a hit costs a lookup, not a parse. */
const urls = new Map<string, string | null>();
const MEMO_URL_LENGTH = 4_096;

/** The part of a read-cache key that names a GraphQL GET; null when it must go to the stack. */
export function graphqlCacheKey(req: IncomingMessage): string | null {
  if (req.method !== 'GET' || !isPreflighted(req)) return null;
  const url = req.url ?? '';
  let key = urls.get(url);
  if (key === undefined) {
    const found = urlKey(url);
    key = found.key;
    if (found.final && url.length <= MEMO_URL_LENGTH) remember(urls, url, key);
  }
  if (key === null) return null;
  // Apollo answers `application/graphql-response+json` to clients that ask for it, JSON to others.
  const accept = /application\/graphql-response\+json/i.test(String(req.headers.accept ?? '')) ? 'gql' : 'json';
  return `graphql ${accept} ${key}`;
}
