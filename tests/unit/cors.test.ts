/**
 * The CORS middleware on its own (a bare Koa app): with `*` it answers `*` and never echoes the
 * request's origin or allows credentials; with a list, only listed origins.
 */
import Koa from 'koa';
import request from 'supertest';
import { allowedOrigin, corsMiddleware as cors } from '../../src/http/cors';

function server(origins: string[]) {
  const app = new Koa();
  app.use(cors({ origins }) as unknown as Koa.Middleware);
  app.use((ctx) => {
    ctx.body = { ok: true };
  });
  return app.callback();
}

describe('any origin (*)', () => {
  it.each(['https://evil.example', 'null', 'https://www.example.com'])('%s gets *, never itself, never credentials', async (origin) => {
    const res = await request(server(['*'])).get('/').set('Origin', origin).expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('a preflight too', async () => {
    const res = await request(server(['*'])).options('/').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'DELETE');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });
});

describe('allowedOrigin', () => {
  const list = ['https://www.example.com'];
  it.each([
    [list, 'https://www.example.com', 'https://www.example.com'],
    [list, 'https://www.example.com.evil.example', null],
    [list, 'HTTPS://WWW.EXAMPLE.COM', null],
    [list, undefined, null],
    [['*'], 'https://evil.example', '*'],
    [['*'], undefined, '*'],
  ])('%j, %s -> %s', (origins, origin, expected) => {
    expect(allowedOrigin(origins, origin)).toBe(expected);
  });
});
