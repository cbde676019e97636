import request from 'supertest';
import { useStrapi } from '../../helpers/strapi';

const app = useStrapi({ env: { SEED_STORY: 'false' } });

describe('GET /api/health', () => {
  it('is 200 while the database answers, without a token and never cached', async () => {
    const res = await request(app.server).get('/api/health').expect(200);
    expect(res.body).toEqual({ status: 'ok', database: 'up', pool: expect.objectContaining({ max: expect.any(Number), used: expect.any(Number), free: expect.any(Number), waiting: 0 }) });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('is 503 once the database is gone, so a load balancer takes the process out', async () => {
    await app.strapi.db.connection.destroy();
    const res = await request(app.server).get('/api/health');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({
      data: null,
      error: { status: 503, name: 'ServiceUnavailableError', message: 'The database is not answering', details: { database: 'down', pool: null } },
    });
    expect(res.headers['retry-after']).toBe('5');
    // put a pool back so the file's teardown can close Strapi normally
    app.strapi.db.connection.initialize();
  });
});

describe('the OpenAPI document', () => {
  it('is served at /api/openapi.json, the same as the committed openapi.json', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const committed = require('../../../openapi.json') as { paths: Record<string, unknown> };
    const res = await request(app.server).get('/api/openapi.json').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual(committed);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/articles/slug/{slug}', '/api/articles/{id}', '/api/feeds/{file}', '/api/health']));
  });
});
