/**
 * CORS from the CORS_ORIGINS list (REST, GraphQL, uploads), never reflecting an unknown origin
 * (GHSA-9329-mxxw-qwf8), and the security headers every answer carries. The read cache keeps one
 * answer for every origin not on the list.
 */
import request from 'supertest';
import { sqlCounter } from '../../helpers/sql';
import { story } from '../../helpers/story';
import { useStrapi } from '../../helpers/strapi';

const SITE = 'https://www.example.com';
const PREVIEW = 'https://preview.example.com';
const app = useStrapi({ env: { CORS_ORIGINS: `${SITE},${PREVIEW}` } });
const { sqlDuring } = sqlCounter(app);

const REST = `/api/articles/slug/${story.slug}`;

describe('CORS with a list of origins', () => {
  it.each([SITE, PREVIEW])('%s on the list: echoed, with credentials, Vary: Origin', async (origin) => {
    const res = await request(app.server).get(REST).set('Origin', origin).expect(200);
    expect(res.headers['access-control-allow-origin']).toBe(origin);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['access-control-expose-headers']).toContain('ETag');
    expect(res.headers.vary).toMatch(/Origin/);
  });

  it.each(['https://evil.example', 'null', `${SITE}.evil.example`, 'http://www.example.com', `${SITE}:8443`])(
    'an origin not on the list (%s) gets no CORS headers at all',
    async (origin) => {
      for (const path of [REST, '/api/entities?fields[0]=name', '/api/health']) {
        const res = await request(app.server).get(path).set('Origin', origin);
        expect(res.status).toBeLessThan(400);
        expect(res.headers['access-control-allow-origin']).toBeUndefined();
        expect(res.headers['access-control-allow-credentials']).toBeUndefined();
        expect(res.headers.vary).toMatch(/Origin/);
      }
    },
  );

  it('GraphQL follows the same list', async () => {
    const query = { query: '{ articles { title } }' };
    const allowed = await request(app.server).post('/graphql').set('Origin', SITE).send(query).expect(200);
    expect(allowed.headers['access-control-allow-origin']).toBe(SITE);
    const refused = await request(app.server).post('/graphql').set('Origin', 'https://evil.example').send(query).expect(200);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('a preflight from a listed origin is answered; from another, it is not', async () => {
    const ok = await request(app.server)
      .options('/api/articles')
      .set('Origin', SITE)
      .set('Access-Control-Request-Method', 'PUT')
      .set('Access-Control-Request-Headers', 'authorization,content-type');
    expect(ok.status).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe(SITE);
    expect(ok.headers['access-control-allow-methods']).toContain('PUT');
    expect(ok.headers['access-control-allow-headers'].toLowerCase()).toContain('authorization');
    const refused = await request(app.server).options('/api/articles').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'PUT');
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    expect(refused.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('error answers carry the same CORS headers (a page can read the error)', async () => {
    const res = await request(app.server).get('/api/articles?pagination[page]=abc').set('Origin', SITE).expect(400);
    expect(res.headers['access-control-allow-origin']).toBe(SITE);
    expect(res.body.error).toMatchObject({ status: 400 });
  });

  it('the read cache keeps one answer for all unknown origins, and its own for each listed one', async () => {
    const path = '/api/entities?fields[0]=slug&sort=slug';
    await request(app.server).get(path).set('Origin', 'https://one.evil.example').expect(200);
    const [other, sql] = await sqlDuring(() => request(app.server).get(path).set('Origin', 'https://two.evil.example').expect(200));
    expect(sql).toBe(0);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const listed = await request(app.server).get(path).set('Origin', SITE).expect(200);
    expect(listed.headers['access-control-allow-origin']).toBe(SITE);
    const again = await request(app.server).get(path).set('Origin', 'https://three.evil.example').expect(200);
    expect(again.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('security headers', () => {
  it.each([
    ['a REST read', REST],
    ['a cached REST read', REST],
    ['an error', '/api/nothing-here'],
    ['health', '/api/health'],
  ])('%s', async (_what, path) => {
    const res = await request(app.server).get(path);
    const h = res.headers;
    expect(h['content-security-policy']).toEqual(expect.stringContaining("default-src 'self'"));
    expect(h['content-security-policy']).toEqual(expect.stringContaining("object-src 'none'"));
    expect(h['content-security-policy']).toEqual(expect.stringContaining("frame-ancestors 'self'"));
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['x-frame-options']).toBe('SAMEORIGIN');
    expect(h['referrer-policy']).toBe('no-referrer');
    expect(h['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(h['x-permitted-cross-domain-policies']).toBe('none');
    expect(h['x-powered-by']).toBeUndefined();
  });

  it('GraphQL answers carry them too', async () => {
    const res = await request(app.server).post('/graphql').send({ query: '{ articles { title } }' }).expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toEqual(expect.stringContaining("default-src 'self'"));
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
