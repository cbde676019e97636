/**
 * One error boundary (src/errors/boundary.ts): malformed requests of every kind are 4xx answers
 * in the API's JSON error shape, never a 500 or plain text, and a database outage is a 503 with
 * Retry-After, never a 401, recovering by itself.
 */
import request from 'supertest';
import { createApiToken } from '../../helpers/api-token';
import { freePort } from '../../helpers/receiver';
import { useStrapi } from '../../helpers/strapi';
import { story } from '../../helpers/story';

const app = useStrapi({ env: { REBUILD_POLL_MS: '600000' } });

const BROKEN_MULTIPART = '--xyz\r\nContent-Disposition: form-data; name="files"; filename="a.jpg"\r\n\r\nbroken';

function expectJsonError(res: request.Response, status: number, name?: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body).toMatchObject({ data: null, error: { status, message: expect.any(String) } });
  if (name) expect(res.body.error.name).toBe(name);
  expect(JSON.stringify(res.body)).not.toMatch(/\bat .+\.js:\d+/); // no stack
}

describe('malformed requests are 4xx JSON errors', () => {
  it.each([
    ['POST', '/api/articles'],
    ['POST', '/api/upload'],
    ['PUT', '/api/health'],
    ['PUT', '/api/articles/abc'],
    ['PATCH', '/api/entities'],
  ])('a broken multipart body, %s %s → 400 (it was a 500 before authentication)', async (method, path) => {
    const agent = request(app.server) as unknown as Record<string, (path: string) => request.Test>;
    const res = await agent[method.toLowerCase()](path)
      .set('content-type', 'multipart/form-data; boundary=xyz')
      .send(BROKEN_MULTIPART);
    expectJsonError(res, 400, 'ValidationError');
    expect(res.body.error.message).toMatch(/multipart body could not be read/);
  });

  it('a multipart body to /graphql is a 415 (GraphQL takes JSON; uploads are off)', async () => {
    const res = await request(app.server).post('/graphql').set('content-type', 'multipart/form-data; boundary=xyz').send(BROKEN_MULTIPART);
    expectJsonError(res, 415, 'UnsupportedMediaTypeError');
  });

  it.each([
    ['a truncated JSON body', '/api/articles', '{"data": {'],
    ['a truncated GraphQL body', '/graphql', '{"query": "{'],
    ['a prototype key', '/graphql', '{"__proto__": {"x": 1}, "query": "{ __typename }"}'],
  ])('%s → 400', async (_what, path, body) => {
    const res = await request(app.server).post(path).set('content-type', 'application/json').send(body);
    expectJsonError(res, 400);
  });

  it('a JSON body over the limit → 413', async () => {
    const res = await request(app.server)
      .post('/api/articles')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ data: { title: 'x'.repeat(2 * 1024 * 1024) } }));
    expectJsonError(res, 413);
  });

  it('a GraphQL batch (an array body) is a GraphQL 400 without a stack trace', async () => {
    const res = await request(app.server).post('/graphql').set('content-type', 'application/json').send('[{"query":"{ __typename }"}]');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions).not.toHaveProperty('stacktrace');
  });

  it.each([
    ['_q as an array', '/api/articles?_q[0]=x', '_q'],
    ['_q as an object', '/api/entities?_q[a]=x', '_q'],
    ['filters as an array', '/api/articles?filters[]=*', 'filters'],
    ['the file listing with filters as an array', '/api/upload/files?filters[]=*', 'filters'],
    ['the file listing with a page that is not a number', '/api/upload/files?pagination[page]=abc', 'pagination'],
    ['the file listing with a raw where', '/api/upload/files?where[a][b]=1', 'where'],
    ['an operator at the root of filters', '/api/articles?filters[$eq]=1', 'filters'],
    ['a combinator holding a single value', '/api/images?filters[$or]=1', 'filters'],
    ['a sort that is not field names', '/api/articles?sort=../../etc/passwd', 'sort'],
    ['an empty fields', '/api/articles?fields=', 'fields'],
    ['a prototype word as a field', '/api/images?fields=__proto__', '__proto__'],
    ['a nested parameter on /graphql', '/graphql?page[a]=1', 'page'],
  ])('%s (%s) → 400 naming %s', async (_what, path, param) => {
    const res = await request(app.server).get(path);
    expectJsonError(res, 400, 'ValidationError');
    expect(res.body.error.details.param).toBe(param);
  });

  describe('GraphQL document limits (src/content-api/graphql-limits.ts)', () => {
    const post = (query: string) => request(app.server).post('/graphql').send({ query });
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: articles(pagination: { limit: 1 }) { title }`).join(' ')} }`;

    it('30 aliases are answered; 31 are a 400 naming the limit, before anything runs', async () => {
      const ok = await post(aliases(15));
      expect(ok.status).toBe(200);
      expect(Object.keys(ok.body.data)).toHaveLength(15);
      const thirty = await post(`{ articles { ${Array.from({ length: 30 }, (_, i) => `t${i}: title`).join(' ')} } }`);
      expect(thirty.status).toBe(200);
      const over = await post(`{ articles { ${Array.from({ length: 31 }, (_, i) => `t${i}: title`).join(' ')} } }`);
      expect(over.status).toBe(400);
      expect(over.body.errors[0]).toMatchObject({ message: 'A document may use at most 30 aliases; this one uses 31', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
      expect(over.body.data).toBeUndefined();
    });

    it('more than 15 root fields are a 400', async () => {
      const res = await post(aliases(16));
      expect(res.status).toBe(400);
      expect(res.body.errors[0]).toMatchObject({ message: 'An operation may ask for at most 15 root fields; this one asks for 16' });
    });

    it('a document of more than 1,000 selected fields is a 400; so is one field repeated 1,000 times (graphql-js aborts)', async () => {
      const fields = 'documentId title slug standfirst dateline locale createdAt updatedAt publishedAt';
      const operations = Array.from({ length: 101 }, (_, i) => `query q${i} { articles { ${fields} } }`).join(' ');
      const many = await request(app.server).post('/graphql').send({ query: operations, operationName: 'q0' });
      expect(many.status).toBe(400);
      expect(many.body.errors[0]).toMatchObject({ message: 'A document may select at most 1000 fields; this one selects 1010' });
      const repeated = await post(`{ articles { ${'title '.repeat(1_000)} } }`);
      expect(repeated.status).toBe(400);
      expect(repeated.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    });
  });

  it('GraphQL takes GET and POST (405 otherwise) and a POST body in JSON (415 otherwise)', async () => {
    const patch = await request(app.server).patch('/graphql').set('content-type', 'text/plain').send('x');
    expectJsonError(patch, 405, 'MethodNotAllowedError');
    const text = await request(app.server).post('/graphql?a=1').set('content-type', 'text/plain').send('');
    expectJsonError(text, 415, 'UnsupportedMediaTypeError');
  });

  it('a method a route does not have → 405 JSON with the allowed methods', async () => {
    const res = await request(app.server).delete('/api/health');
    expectJsonError(res, 405, 'MethodNotAllowedError');
    expect(res.body.error.details.allow).toEqual(expect.arrayContaining(['GET']));
    expect(res.headers.allow).toMatch(/GET/);
  });

  it.each(['/api/articles?locale=%00', `/api/articles/slug/${story.slug}?locale=%00`])(
    'a NUL byte in a query value (%s) → 400',
    async (path) => {
      expectJsonError(await request(app.server).get(path).set('cache-control', 'no-cache'), 400);
    },
  );

  it.each(['/api/images?filters[id][$or]=-1.39e+231', '/api/articles?filters[title][$and][0]=x'])(
    'an operator where a field value belongs (%s) → 400 naming filters (found by the generated-inputs test, seed 2117259854)',
    async (path) => {
      const res = await request(app.server).get(path).set('cache-control', 'no-cache');
      expectJsonError(res, 400, 'ValidationError');
      expect(res.body.error.details).toMatchObject({ param: 'filters' });
    },
  );

  // Found by the generated-inputs test on a fresh clone (a random seed, issue 14), by npm run fuzz (the populate sort: seed 162732667) and by the aimed
  // generated routes: a combinator, operator or value anywhere in filters, checked against the models.
  it.each([
    ['/api/articles?filters[$not][localizations][$and]=null', ['filters', '$not', 'localizations', '$and'], 'filters[$not][localizations][$and] must be a list of conditions'],
    ['/api/articles?filters[localizations][$and]=null', ['filters', 'localizations', '$and'], 'filters[localizations][$and] must be a list of conditions'],
    ['/api/articles?filters[$not][entities][$or]=1', ['filters', '$not', 'entities', '$or'], 'filters[$not][entities][$or] must be a list of conditions'],
    ['/api/articles?filters[entities][$not][$and]=1', ['filters', 'entities', '$not'], "filters[entities][$not] must hold ids, not conditions (to negate a relation's conditions, put $not above the relation)"],
    ['/api/articles?filters[$or][0][entities][name][$foo]=x', ['filters', '$or', '0', 'entities', 'name', '$foo'], 'filters[$or][0][entities][name][$foo] is not an operator a field takes'],
    ['/api/articles?filters[$and][0]=x', ['filters', '$and', '0'], 'filters[$and][0] must be an object of conditions'],
    ['/api/articles?filters[entities][$eq]=1&filters[entities][name]=x', ['filters', 'entities'], 'filters[entities] mixes operators and field names (a relation takes one or the other)'],
    ['/api/articles?filters[title][$between][0]=a', ['filters', 'title', '$between'], 'filters[title][$between] takes two values (the lower and the upper bound)'],
    // npm run fuzz, seed 1334742804: a component's (the database's relation's) $between with one value.
    ['/api/articles?filters[sections][$between]=1e309', ['filters', 'sections', '$between'], 'filters[sections][$between] takes two values (the lower and the upper bound)'],
    ['/api/articles?filters[entities][$between]=1', ['filters', 'entities', '$between'], 'filters[entities][$between] takes two values (the lower and the upper bound)'],
    ['/api/articles?filters[title][$eq][$eq]=x', ['filters', 'title', '$eq'], 'filters[title][$eq] must hold a value or a list of values, not conditions'],
    ['/api/articles?populate[entities][filters][$or]=1', ['populate', 'entities', 'filters', '$or'], 'populate[entities][filters][$or] must be a list of conditions'],
    ['/api/upload/files?filters[$or]=1', ['filters', '$or'], 'filters[$or] must be a list of conditions'],
    ['/api/articles?populate[localizations][sort][0]=entities.name:up', ['populate', 'localizations', 'sort'], 'populate[localizations][sort]: sort must be field names with an optional :asc or :desc (e.g. dateline:desc)'],
    ['/api/upload/files?filters[$not][name][$and]=x', ['filters', '$not', 'name', '$and'], 'filters[$not][name][$and] is not an operator a field takes'],
  ])('a filter Strapi would fail on (%s) → 400 naming its path', async (path, at, message) => {
    const res = await request(app.server).get(path).set('cache-control', 'no-cache');
    expectJsonError(res, 400, 'ValidationError');
    expect(res.body.error).toMatchObject({ message, details: { path: at } });
  });

  it.each(['/api/upload/files?filters[size][$eq]=abc', '/api/images?filters[asset][size][$notIn][0]=2024-04-10', '/api/upload/files?filters[publishedAt][$lt][0]=1&filters[publishedAt][$lt][1]=x'])(
    'a value that is no number or date for such a field (%s) → 400, not 500 (found by the aimed generated routes; the last by npm run fuzz, seed 1544356072)',
    async (path) => {
      expectJsonError(await request(app.server).get(path).set('cache-control', 'no-cache'), 400, 'ValidationError');
    },
  );

  it.each(['/api/articles?populate[updates][sort]=documentId', '/api/articles?populate[sections][sort][0]=documentId:desc'])(
    'a component sorted by documentId, which components have not (%s) → 400, not 500 (found by npm run fuzz, seed 1957234267)',
    async (path) => {
      expectJsonError(await request(app.server).get(path).set('cache-control', 'no-cache'), 400, 'ValidationError');
    },
  );

  it('fileInfo with a prototype key → 400, not 500 (found by the aimed generated routes)', async () => {
    const token = await createApiToken(app.strapi);
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAEUlEQVQImWM4ISeHFTEMLQkAkL9BAaxyLUcAAAAASUVORK5CYII=', 'base64');
    const before = await app.strapi.db.query('plugin::upload.file').count();
    const res = await request(app.server).post('/api/upload').set('Authorization', `Bearer ${token}`).attach('files', png, { filename: 'p.png', contentType: 'image/png' }).field('fileInfo', '{"__proto__":{"x":1}}');
    expectJsonError(res, 400, 'ValidationError');
    expect(res.body.error.details).toMatchObject({ param: 'fileInfo' });
    expect(await app.strapi.db.query('plugin::upload.file').count()).toBe(before);
  });

  it('an unknown route → 404 JSON', async () => {
    expectJsonError(await request(app.server).get('/api/no-such-thing'), 404, 'NotFoundError');
  });

  it('and the story reads back unchanged after all of it', async () => {
    const res = await request(app.server).get(`/api/articles/slug/${story.slug}`).set('cache-control', 'no-cache').expect(200);
    expect(res.body.data.title).toBe(story.title);
    expect(res.body.data.sections).toHaveLength(story.sections.length);
  });
});

const onPostgres = process.env.DATABASE_CLIENT === 'postgres' ? describe : describe.skip;

onPostgres('PostgreSQL unreachable', () => {
  interface PgClient {
    connectionSettings: { connectionString: string };
  }
  const knex = () => app.strapi.db.connection as unknown as { client: PgClient; destroy(): Promise<void>; initialize(): void };

  /** Drops every pooled connection and sends new ones to `connectionString`, as when the server stops or comes back. */
  async function reconnect(connectionString: string): Promise<void> {
    await knex().destroy();
    knex().client.connectionSettings.connectionString = connectionString;
    knex().initialize();
  }

  it.each(['/api/images?filters[id]=%25', '/api/articles?filters[id][$gt]=abc', '/api/articles?filters[createdAt][$lt]=yesterday-ish', '/api/entities?filters[id][$eq]=99999999999999999999'])(
    'a filter value PostgreSQL cannot read as its column type (%s) → 400, not 500 (found by the generated-inputs test)',
    async (path) => {
      expectJsonError(await request(app.server).get(path).set('cache-control', 'no-cache'), 400, 'ValidationError');
    },
  );

  it('a NUL byte PostgreSQL cannot store, in a filter value → 400 (SQLite stores it and answers 200)', async () => {
    expectJsonError(await request(app.server).get('/api/entities?filters[name][$eq]=a%00b').set('cache-control', 'no-cache'), 400, 'ValidationError');
  });

  it('public reads are 503 JSON with Retry-After, never 401 or 500; /api/health says so; back at once when it returns', async () => {
    const original = knex().client.connectionSettings.connectionString;
    const dead = new URL(original);
    dead.port = String(await freePort()); // nothing listens there: ECONNREFUSED, as with the server stopped
    await reconnect(dead.toString());
    try {
      for (const path of ['/api/articles', `/api/articles/slug/${story.slug}`, '/api/entities/joe-biden/articles', '/api/upload/files']) {
        const res = await request(app.server).get(path).set('cache-control', 'no-cache');
        expectJsonError(res, 503);
        expect(res.headers['retry-after']).toBe('5');
      }
      const gql = await request(app.server).post('/graphql').send({ query: '{ articles { title } }' });
      expectJsonError(gql, 503);
      expect(gql.headers['retry-after']).toBe('5');
      expect(gql.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|port/);
      const health = await request(app.server).get('/api/health');
      expect(health.status).toBe(503);
    } finally {
      await reconnect(original);
    }
    await request(app.server).get('/api/articles').set('cache-control', 'no-cache').expect(200);
    await request(app.server).get(`/api/articles/slug/${story.slug}`).set('cache-control', 'no-cache').expect(200);
  });
});
