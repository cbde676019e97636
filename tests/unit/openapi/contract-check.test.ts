/**
 * The contract check itself (tests/helpers/contract.ts), on a bare server: it must catch a body
 * that does not match and a status the document does not list, and pass what matches.
 */
import { createServer, type Server } from 'node:http';
import request from 'supertest';
import { installContractCheck } from '../../helpers/contract';

const doc = {
  paths: {
    '/api/things/{id}': {
      get: {
        responses: {
          '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
          '404': { content: { 'application/json': { schema: { type: 'object', required: ['error'] } } } },
        },
      },
    },
    '/api/things/special': { get: { responses: { '200': { content: { 'application/json': { schema: { type: 'array' } } } } } } },
  },
  components: { schemas: { Thing: { type: 'object', properties: { id: { type: 'integer' }, at: { type: 'string', format: 'date-time' } }, required: ['id'], additionalProperties: false } } },
};

const answers: Record<string, [number, unknown]> = {
  '/api/things/1': [200, { id: 1, at: '2024-04-10T00:00:00.000Z' }],
  '/api/things/2': [200, { id: 2, secret: 'leaked' }],
  '/api/things/3': [200, { id: 3, at: 'yesterday' }],
  '/api/things/4': [409, { error: {} }],
  '/api/things/5': [404, { error: { status: 404 } }],
  '/api/things/special': [200, []],
  '/api/elsewhere': [200, { anything: true }],
  // No route for this path: a dot segment the server does not resolve (URL parsing would make it /api/things/special).
  '/api/things/x/%2e%2e/special': [404, { error: {} }],
};

let server: Server;
let contract: ReturnType<typeof installContractCheck>;

beforeAll(() => {
  server = createServer((req, res) => {
    const [status, body] = answers[req.url ?? ''] ?? [404, { error: {} }];
    // As koa does: headers set, then written with the body.
    res.statusCode = status;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(body));
  });
  contract = installContractCheck(server, doc);
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

it('records what does not match, and only that', async () => {
  for (const path of Object.keys(answers)) await request(server).get(path);
  expect(contract.violations()).toEqual([
    'GET /api/things/2: 200 / must NOT have additional properties {"additionalProperty":"secret"}',
    'GET /api/things/3: 200 /at must match format "date-time" {"format":"date-time"}',
    'GET /api/things/4: status 409 is not in the document',
  ]);
  // A literal path wins over a template; paths outside the document (as the server got them) are not checked.
  expect(Object.fromEntries(contract.checked())).toEqual({ 'GET /api/things/{id}': 5, 'GET /api/things/special': 1 });
});
