/**
 * No request starves the database. The app runs as a production server in a child process (as
 * `npm start` runs it), with the default pool (10 connections, 3 of them kept from content
 * requests), REQUEST_DEADLINE_MS 1.5 s and DATABASE_QUEUE_TIMEOUT_MS 1 s; a poller asks for
 * `/api/health` and the uncached article view every 25 ms throughout (a second at least), and each
 * answer must be a 200 within a second, nine in ten within 200 ms (see slowProbes).
 *
 * PostgreSQL: a statement that runs long is made deterministic with a lock: another session holds
 * `sitemap_months` (which the sitemap index reads and the article view does not) in ACCESS
 * EXCLUSIVE mode, so every sitemap index read waits. Forty of them at once (4× the pool) must each
 * end by the deadline (504) or be refused after the brief wait for the content share (503,
 * `Retry-After: 1`), and a second after the last answer `pg_stat_activity` must show none of their
 * statements: the deadline cancels them. At 100,000 articles the same holds for the costliest
 * filter an API token may still run (`npm run bench:filters`, docs/benchmarks.md).
 *
 * SQLite runs a statement on the event loop and nothing interrupts it; what bounds it there is
 * the filter rule (src/content-api/public-filters.ts): the filters that took 1.4–1.9 s at 100k
 * are refused before any SQL, forty at once, while health and the view keep answering.
 */
import Redis from 'ioredis';
import { Client } from 'pg';
import { serveOnTestDatabase, type ServedApp } from '../helpers/child-app';
import { sleep } from '../helpers/receiver';
import { story } from '../helpers/story';

const DEADLINE_MS = 1_500;
const QUEUE_MS = 1_000;
const PROBE_MS = 200;
const POOL_MAX = 10;
const RESERVED = 3;
const CLIENT_LIMIT = 4;
const onPostgres = process.env.DATABASE_CLIENT === 'postgres' ? it : it.skip;
const PREFIX = `pooltest${process.pid}`;

/** The request: three substring scans OR'ed, one through a relation. */
const COSTLY = (page: number) =>
  `/api/articles?filters[$or][0][title][$containsi]=zzqx&filters[$or][1][standfirst][$containsi]=zzqx&filters[$or][2][entities][name][$containsi]=zzqx&pagination[page]=${page}`;

interface Answer {
  status: number;
  ms: number;
  retryAfter: string | null;
  body: { error?: { message?: string; details?: Record<string, unknown> } };
}

describe('no request starves the database pool', () => {
  let served: ServedApp;
  let base: string;

  beforeAll(async () => {
    served = await serveOnTestDatabase({
      NODE_ENV: 'production',
      CORS_ORIGINS: 'https://site.example',
      SITE_URL: 'https://site.example',
      SITE_NAME: 'Site',
      REQUEST_DEADLINE_MS: String(DEADLINE_MS),
      DATABASE_QUEUE_TIMEOUT_MS: String(QUEUE_MS),
      DATABASE_POOL_MAX: String(POOL_MAX),
      RATE_LIMIT_ENABLED: 'false',
      // Each storm request comes from an address of its own (X-Forwarded-For from a trusted proxy),
      // so the per-client limit is met only where a test means it to be.
      TRUST_PROXY: 'true',
      CLIENT_CONCURRENCY_LIMIT: String(CLIENT_LIMIT),
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: PREFIX,
    });
    base = served.base;
    // The first answers after boot pay for what the server does once (its first view, the first
    // health query, the JIT); the probes judge what the storm does, so each path is asked a few times first.
    for (let i = 0; i < 5; i++) {
      for (const path of ['/api/health', `/api/articles/slug/${story.slug}`]) {
        const res = await fetch(`${base}${path}`, { headers: { 'cache-control': 'no-cache', 'x-forwarded-for': '198.51.100.201' } });
        expect(res.status).toBe(200);
        await res.arrayBuffer();
      }
    }
  }, 120_000);

  afterAll(async () => {
    await served?.stop();
  }, 60_000);

  const get = async (path: string, from: string, headers: Record<string, string> = {}): Promise<Answer> => {
    const started = Date.now();
    const res = await fetch(`${base}${path}`, { headers: { 'cache-control': 'no-cache', 'x-forwarded-for': from, ...headers }, signal: AbortSignal.timeout(DEADLINE_MS + 5_000) });
    const text = await res.text();
    return { status: res.status, ms: Date.now() - started, retryAfter: res.headers.get('retry-after'), body: /json/.test(String(res.headers.get('content-type'))) ? JSON.parse(text) : {} };
  };

  /** Health and the uncached view every 25 ms while `work` runs: what each answered and how fast. */
  async function probed<T>(work: () => Promise<T>): Promise<{ result: T; probes: Array<{ path: string; status: number; ms: number; pool?: Record<string, number> }> }> {
    const probes: Array<{ path: string; status: number; ms: number; pool?: Record<string, number> }> = [];
    let running = true;
    const started = Date.now();
    // At least a second of probes, so a storm answered in a few hundred milliseconds is probed often enough to judge.
    const poller = (async () => {
      while (running || Date.now() - started < 1_000) {
        await Promise.all(
          ['/api/health', `/api/articles/slug/${story.slug}`].map(async (path) => {
            const started = Date.now();
            try {
              const res = await fetch(`${base}${path}`, { headers: { 'cache-control': 'no-cache', 'x-forwarded-for': '198.51.100.200' }, signal: AbortSignal.timeout(5_000) });
              const body = (await res.json()) as { pool?: Record<string, number> };
              probes.push({ path, status: res.status, ms: Date.now() - started, pool: body.pool });
            } catch {
              probes.push({ path, status: 0, ms: Date.now() - started });
            }
          }),
        );
        await sleep(25);
      }
    })();
    try {
      const result = await work();
      return { result, probes };
    } finally {
      running = false;
      await poller;
    }
  }

  /**
   * What the probes saw that breaks the bound: any answer but a 200, any over a second, or more
   * than one in ten over PROBE_MS. The last allows for this machine's other jest workers (three on
   * two cores, booting Strapi beside this file): a probe at 222 ms was seen once in CI with nothing
   * of the storm in its way. The benchmark (npm run bench:filters), pinned and alone, holds every
   * probe to the figures in docs/benchmarks.md.
   */
  const slowProbes = (probes: Array<{ path: string; status: number; ms: number }>) => {
    const broken = probes.filter((p) => p.status !== 200 || p.ms > 1_000);
    const slow = probes.filter((p) => p.ms > PROBE_MS);
    return slow.length * 10 > probes.length ? [...broken, ...slow] : broken;
  };

  onPostgres(`${4 * POOL_MAX} requests stuck on a lock: each ends by its deadline or is refused after a brief wait, none of their statements is left a second later, and health and the view answer within ${PROBE_MS} ms throughout`, async () => {
    const url = served.database.env.DATABASE_URL;
    const locker = new Client({ connectionString: url });
    const observer = new Client({ connectionString: url });
    await Promise.all([locker.connect(), observer.connect()]);
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE sitemap_months IN ACCESS EXCLUSIVE MODE');
      const { result: answers, probes } = await probed(async () => {
        const storm = Promise.all(Array.from({ length: 4 * POOL_MAX }, (_, i) => get('/api/sitemaps/sitemap.xml', `203.0.113.${i + 1}`)));
        const answers = await storm;
        // A second after the last answer: none of the storm's statements is running or waiting.
        await sleep(1_000);
        const left = await observer.query<{ n: number }>(
          "select count(*)::int as n from pg_stat_activity where datname = current_database() and pid not in ($1, pg_backend_pid()) and state <> 'idle' and query ilike '%sitemap_months%'",
          [(locker as unknown as { processID: number }).processID],
        );
        return { answers, left: left.rows[0].n };
      });
      const statuses = answers.answers.map((a) => a.status).sort();
      const deadlined = answers.answers.filter((a) => a.status === 504);
      const refused = answers.answers.filter((a) => a.status === 503);
      expect(deadlined.length + refused.length).toBe(4 * POOL_MAX);
      // The content share (pool − reserved) ran into the deadline; the rest waited briefly for a share.
      // (A request can hold two of the share's connections at once, so fewer may reach it.)
      expect(deadlined.length).toBeGreaterThanOrEqual(1);
      expect(deadlined.length).toBeLessThanOrEqual(POOL_MAX - RESERVED);
      for (const a of deadlined) {
        expect(a.ms).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
        expect(a.ms).toBeLessThan(DEADLINE_MS + 1_000);
        expect(a.body.error?.details).toEqual({ deadlineMs: DEADLINE_MS });
      }
      for (const a of refused) {
        expect(a.ms).toBeGreaterThanOrEqual(QUEUE_MS - 50);
        expect(a.ms).toBeLessThan(QUEUE_MS + 1_000);
        expect(a.retryAfter).toBe('1');
        expect(a.body.error?.details).toMatchObject({ pool: 'busy', retryAfter: 1 });
      }
      expect(answers.left).toBe(0);
      expect(statuses.length).toBe(4 * POOL_MAX);
      expect(probes.length).toBeGreaterThan(10);
      expect(slowProbes(probes)).toEqual([]);
      // Health showed the content share full while the storm held it.
      expect(Math.max(...probes.map((p) => p.pool?.contentInUse ?? 0))).toBe(POOL_MAX - RESERVED);
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await Promise.all([locker.end(), observer.end()]);
    }
    // The pool is whole again: the sitemap answers.
    expect((await get('/api/sitemaps/sitemap.xml', '203.0.113.99')).status).toBe(200);
  }, 60_000);

  onPostgres(`one client address runs at most ${CLIENT_LIMIT} content requests at once, counted in Redis; the next is a 429 at once with Retry-After`, async () => {
    const url = served.database.env.DATABASE_URL;
    const locker = new Client({ connectionString: url });
    const redis = new Redis('redis://127.0.0.1:6379');
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE sitemap_months IN ACCESS EXCLUSIVE MODE');
      const held = Array.from({ length: CLIENT_LIMIT }, () => get('/api/sitemaps/sitemap.xml', '192.0.2.7'));
      await sleep(300);
      // The requests in flight are members of the address's set in Redis, shared by every process.
      expect(await redis.zcard(`${PREFIX}:busy:192.0.2.7`)).toBe(CLIENT_LIMIT);
      const over = await get('/api/sitemaps/sitemap.xml', '192.0.2.7');
      expect(over.status).toBe(429);
      expect(over.ms).toBeLessThan(PROBE_MS);
      expect(over.retryAfter).toBe('1');
      expect(over.body.error?.details).toEqual({ concurrent: CLIENT_LIMIT, retryAfter: 1 });
      // Another address, and the article view, are not held to it.
      const view = await get(`/api/articles/slug/${story.slug}`, '192.0.2.7');
      expect(view.status).toBe(200);
      await locker.query('ROLLBACK');
      expect((await Promise.all(held)).map((a) => a.status)).toEqual(Array(CLIENT_LIMIT).fill(200));
      expect(await redis.zcard(`${PREFIX}:busy:192.0.2.7`)).toBe(0);
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
      await redis.quit();
    }
  }, 30_000);

  onPostgres('an API token may scan, one scan at a time per process: a second waits its turn briefly, then a 503 (REST and GraphQL)', async () => {
    const url = served.database.env.DATABASE_URL;
    const locker = new Client({ connectionString: url });
    await locker.connect();
    const auth = { authorization: `Bearer ${served.server.token}` };
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE images IN ACCESS EXCLUSIVE MODE');
      const first = get('/api/images?filters[caption][$containsi]=kiev', '198.51.100.1', auth);
      await sleep(200);
      const [second, graphql] = await Promise.all([
        get('/api/images?filters[credit][$containsi]=reuters', '198.51.100.2', auth),
        fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.4', ...auth }, body: JSON.stringify({ query: '{ images(filters: { credit: { containsi: "reuters" } }) { caption } }' }) }).then(async (r) => ({ status: r.status, retryAfter: r.headers.get('retry-after'), body: await r.text() })),
      ]);
      // GraphQL's resolver met the same queue: the request as a whole is the 503, with the same Retry-After.
      expect({ status: graphql.status, retryAfter: graphql.retryAfter }).toEqual({ status: 503, retryAfter: '1' });
      expect(second.status).toBe(503);
      expect(second.ms).toBeGreaterThanOrEqual(QUEUE_MS - 50);
      expect(second.ms).toBeLessThan(QUEUE_MS + 1_000);
      expect(second.body.error?.details).toMatchObject({ pool: 'busy' });
      const firstAnswer = await first;
      expect(firstAnswer.status).toBe(504);
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
    }
    // Once the turn is free, a scan runs.
    expect((await get('/api/images?filters[caption][$containsi]=kiev', '198.51.100.3', auth)).status).toBe(200);
  }, 30_000);

  it(`${4 * POOL_MAX} of the filters that took seconds at 100k are refused at once, before any SQL, while health and the view answer within ${PROBE_MS} ms`, async () => {
    const { result: answers, probes } = await probed(() => Promise.all(Array.from({ length: 4 * POOL_MAX }, (_, i) => get(COSTLY(i + 1), `203.0.113.${i + 1}`))));
    for (const a of answers) {
      expect(a.status).toBe(400);
      expect(a.ms).toBeLessThan(2_000);
      expect(a.body.error?.message).toMatch(/^filters\[\$or\]\[0\]\[title\]\[\$containsi\]: anonymous readers may not scan text/);
    }
    expect(probes.length).toBeGreaterThan(0);
    expect(slowProbes(probes)).toEqual([]);
  }, 30_000);
});
