/**
 * Abuse limits per client IP: the content API and GraphQL, and logins, answer 429 JSON with
 * Retry-After past their limit; behind TRUST_PROXY the client IP is the one the proxy added, so a
 * client cannot escape its bucket by writing X-Forwarded-For; with REDIS_URL every process counts
 * in one bucket, and with Redis unreachable each process still limits on its own (never a 5xx).
 */
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { accountsEnv, ADMIN } from '../helpers/admin';
import { serve, type ServingChild } from '../helpers/child-app';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { freePort } from '../helpers/receiver';
import { appDir, useStrapi } from '../helpers/strapi';

const API_POINTS = 5;
const LOGIN_POINTS = 3;
const app = useStrapi({
  env: {
    ...accountsEnv('ADMIN'),
    RATE_LIMIT_ENABLED: 'true',
    RATE_LIMIT_API_POINTS: String(API_POINTS),
    RATE_LIMIT_API_WINDOW_SECONDS: '60',
    RATE_LIMIT_LOGIN_POINTS: String(LOGIN_POINTS),
    RATE_LIMIT_LOGIN_WINDOW_SECONDS: '300',
    TRUST_PROXY: 'true',
    TRUST_PROXY_HOPS: '1',
  },
});

/** A request as the proxy in front forwards it: the client's address last in X-Forwarded-For. */
const from = (ip: string, path: string, forwarded = ip) => request(app.server).get(path).set('X-Forwarded-For', forwarded).set('Cache-Control', 'no-cache');

function expectLimited(res: request.Response, limit: 'api' | 'login') {
  expect(res.status).toBe(429);
  expect(res.body).toEqual({
    data: null,
    error: { status: 429, name: 'RateLimitError', message: expect.stringMatching(/^Too many requests; retry in \d+ s$/), details: { retryAfter: expect.any(Number), limit } },
  });
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(limit === 'api' ? 60 : 300);
  expect(res.body.error.details.retryAfter).toBe(retryAfter);
  expect(res.headers['ratelimit-remaining']).toBe('0');
}

describe('the content API, per client IP', () => {
  it(`takes ${API_POINTS} requests a minute, then answers 429 with Retry-After`, async () => {
    for (let i = 0; i < API_POINTS; i += 1) {
      const res = await from('203.0.113.1', '/api/articles?fields[0]=title').expect(200);
      expect(res.headers['ratelimit-limit']).toBe(String(API_POINTS));
      expect(res.headers['ratelimit-remaining']).toBe(String(API_POINTS - 1 - i));
    }
    const refused = await from('203.0.113.1', '/api/articles?fields[0]=title');
    expectLimited(refused, 'api');
    // Browsers may read the refusal (CORS headers kept).
    expect(refused.headers['access-control-allow-origin']).toBe('*');
  });

  it('GraphQL counts in the same bucket', async () => {
    const gql = () => request(app.server).post('/graphql').set('X-Forwarded-For', '203.0.113.2').send({ query: '{ articles { title } }' });
    for (let i = 0; i < API_POINTS; i += 1) expect((await gql()).status).toBe(200);
    expectLimited(await gql(), 'api');
  });

  it('another client is not affected, and health checks are never limited', async () => {
    await from('203.0.113.3', '/api/entities?fields[0]=name').expect(200);
    await from('203.0.113.1', '/api/health').expect(200);
  });

  it('a client cannot leave its bucket by writing X-Forwarded-For itself: the proxy appends the real address', async () => {
    expectLimited(await from('203.0.113.1', '/api/articles', '198.51.100.77, 203.0.113.1'), 'api');
    expectLimited(await from('203.0.113.1', '/api/articles', 'unknown, 10.0.0.1, 203.0.113.1'), 'api');
  });
});

describe('logins, per client IP', () => {
  const login = (ip: string, password: string) =>
    request(app.server).post('/admin/login').set('X-Forwarded-For', ip).send({ email: ADMIN.email, password });

  it(`take ${LOGIN_POINTS} tries, then 429 even with the right password; another address can still log in`, async () => {
    for (let i = 0; i < LOGIN_POINTS; i += 1) {
      const res = await login('203.0.113.9', 'Wrong-Password-1');
      expect(res.status).toBe(400);
    }
    expectLimited(await login('203.0.113.9', 'Wrong-Password-1'), 'login');
    expectLimited(await login('203.0.113.9', ADMIN.password), 'login');
    const ok = await login('203.0.113.10', ADMIN.password);
    expect(ok.status).toBe(200);
  });
});

describe('several processes', () => {
  let database: TestDatabase;
  const children: ServingChild[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(appDir);
  });

  afterAll(async () => {
    for (const { child, exited } of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    }
    await database?.drop();
  }, 60_000);

  async function start(env: Record<string, string>): Promise<string> {
    const port = await freePort();
    children.push(
      // TRUST_PROXY off (this file's in-process app turned it on in the environment children inherit).
      await serve({ ...database.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'error', RATE_LIMIT_ENABLED: 'true', TRUST_PROXY: 'false', ...env }),
    );
    return `http://127.0.0.1:${port}`;
  }

  const status = async (base: string, headers: Record<string, string> = {}) =>
    (await fetch(`${base}/api/articles?fields[0]=title`, { headers: { 'cache-control': 'no-cache', ...headers } })).status;

  it('with REDIS_URL share one bucket per client; X-Forwarded-For is ignored without TRUST_PROXY', async () => {
    const env = { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: `test-${randomBytes(6).toString('hex')}`, RATE_LIMIT_API_POINTS: '6' };
    const a = await start(env);
    const b = await start(env);
    const seen: number[] = [];
    for (let i = 0; i < 6; i += 1) seen.push(await status(i % 2 === 0 ? a : b, { 'x-forwarded-for': `198.51.100.${i}` }));
    expect(seen).toEqual([200, 200, 200, 200, 200, 200]);
    expect([await status(a), await status(b)]).toEqual([429, 429]);
  }, 180_000);

  it('with Redis unreachable, a process limits on its own and never fails a request', async () => {
    const c = await start({ REDIS_URL: 'redis://127.0.0.1:1', RATE_LIMIT_API_POINTS: '3' });
    const seen: number[] = [];
    for (let i = 0; i < 4; i += 1) seen.push(await status(c));
    expect(seen).toEqual([200, 200, 200, 429]);
  }, 120_000);
});
