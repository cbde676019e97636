/**
 * The API contract, checked on every answer the integration tests receive: each response of a
 * route the OpenAPI document describes (the app's own, src/openapi) is validated against the
 * document with ajv — its status must be one the operation lists, and a JSON body must match the
 * schema given for that status. Installed by bootStrapi as the server's first `request` listener,
 * so it sees every answer, the read cache's too; `violations()` lists what did not match.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

type Doc = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>; components: unknown };

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  specificity: number;
}

export interface Contract {
  violations(): string[];
  /** answers checked, per operation */
  checked(): Map<string, number>;
}

function routesOf(doc: Doc): Route[] {
  const routes: Route[] = [];
  for (const [template, operations] of Object.entries(doc.paths)) {
    const params = (template.match(/\{[^}]+\}/g) ?? []).length;
    const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{path\\?\}$/, '.+').replace(/\{[^}]+\}/g, '[^/]+');
    for (const method of Object.keys(operations)) routes.push({ method: method.toUpperCase(), template, pattern: new RegExp(`^${source}$`), specificity: params });
  }
  // Literal paths win over templated ones (/api/articles/newest before /api/articles/{id}).
  return routes.sort((a, b) => a.specificity - b.specificity || b.template.length - a.template.length);
}

export function installContractCheck(server: Server, doc: Doc): Contract {
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema({ ...doc, $id: 'openapi' });
  const routes = routesOf(doc);
  const compiled = new Map<string, ValidateFunction | null>();
  const found: string[] = [];
  const counts = new Map<string, number>();

  const validatorFor = (route: Route, status: string): ValidateFunction | null | undefined => {
    const responses = doc.paths[route.template][route.method.toLowerCase()].responses;
    const key = status in responses ? status : `${status[0]}XX` in responses ? `${status[0]}XX` : 'default' in responses ? 'default' : null;
    if (!key) return undefined;
    const id = `${route.method} ${route.template} ${key}`;
    if (!compiled.has(id)) {
      const schema = responses[key].content?.['application/json']?.schema;
      const pointer = `openapi#/paths/${route.template.replace(/~/g, '~0').replace(/\//g, '~1')}/${route.method.toLowerCase()}/responses/${key}/content/application~1json/schema`;
      compiled.set(id, schema ? ajv.compile({ $ref: pointer }) : null);
    }
    return compiled.get(id);
  };

  const check = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://x');
    // The path as the server routed it: URL parsing would resolve `/api/articles/%2e%2e/articles`
    // to `/api/articles`, a route the server never took for it (it answered 404, no route).
    const path = (req.url ?? '/').split('?')[0];
    const route = routes.find((r) => r.method === req.method && r.pattern.test(path));
    if (!route) return;
    const label = `${route.method} ${route.template}`;
    counts.set(label, (counts.get(label) ?? 0) + 1);
    const status = String(res.statusCode);
    if (status === '304') return;
    const validate = validatorFor(route, status);
    if (validate === undefined) {
      found.push(`${req.method} ${path}: status ${status} is not in the document`);
      return;
    }
    const type = String(res.getHeader('content-type') ?? '');
    if (!validate || !type.includes('json') || body.length === 0 || req.method === 'HEAD') return;
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8'));
    } catch {
      found.push(`${req.method} ${path}: ${status} body is not JSON`);
      return;
    }
    if (!validate(value)) {
      const error = validate.errors?.[0];
      found.push(`${req.method} ${path}${url.search}: ${status} ${error?.instancePath || '/'} ${error?.message}${error?.params ? ` ${JSON.stringify(error.params)}` : ''}`);
    }
  };

  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    const keep = (chunk: unknown, encoding?: unknown) => {
      if (chunk && typeof chunk !== 'function') chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
    };
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      keep(chunk, rest[0]);
      return write(chunk, ...rest);
    }) as typeof res.write;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      keep(chunk, rest[0]);
      return end(chunk, ...rest);
    }) as typeof res.end;
    res.once('finish', () => check(req, res, Buffer.concat(chunks)));
  });

  return { violations: () => [...found], checked: () => counts };
}
