/**
 * SIGTERM drains instead of cutting (src/http/shutdown.ts), tested on a server in a child process:
 * /api/health says 503 at once while every other request is still served for the grace period;
 * then new connections are refused, a request already in flight finishes with its answer, and
 * the process exits 0 well within SHUTDOWN_TIMEOUT_MS. A request that never ends does not hold it
 * past the timeout (exit 1 then); a second SIGTERM exits at once. A webhook on the wire when the
 * signal comes is finished and recorded, never sent again by another process.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { Client } from 'pg';
import { serveOnTestDatabase, type ServedApp } from '../helpers/child-app';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { sleep } from '../helpers/receiver';
import { appDir } from '../helpers/strapi';

const GRACE_MS = 1_500;
const TIMEOUT_MS = 8_000;

/** A GraphQL POST whose body arrives over `ms`: in flight on the server for that long. */
function slowRequest(base: string, ms: number): Promise<{ status: number; body: string }> {
  const body = JSON.stringify({ query: '{ articles { slug } }' });
  const url = new URL('/graphql', base);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    const half = Math.floor(body.length / 2);
    req.write(body.slice(0, half));
    setTimeout(() => req.end(body.slice(half)), ms);
  });
}

/** A GET on a connection of its own (no pooled keep-alive connection outlives the listener). */
const get = (base: string, path: string): Promise<{ status: number; body: Record<string, unknown> }> =>
  new Promise((resolve, reject) => {
    http
      .get(new URL(path, base), { agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
      })
      .on('error', reject);
  });

describe('graceful shutdown', () => {
  let served: ServedApp | undefined;
  afterEach(async () => {
    await served?.stop();
    served = undefined;
  });

  it('SIGTERM: health 503 at once, other reads served through the grace period, in-flight finished, exit 0', async () => {
    served = await serveOnTestDatabase({ SHUTDOWN_GRACE_MS: String(GRACE_MS), SHUTDOWN_TIMEOUT_MS: String(TIMEOUT_MS), LOG_LEVEL: 'info' });
    const { base, server } = served;
    let signalled = Date.now();
    // A failed request says when, with the server's log.
    const explain = (what: string) => (e: Error): never => {
      throw new Error(`${what} at ${Date.now() - signalled} ms after SIGTERM: ${e.message}\n${server.output()}`);
    };
    expect((await get(base, '/api/health').catch(explain('health before'))).status).toBe(200);

    signalled = Date.now();
    server.child.kill('SIGTERM');
    await sleep(100);
    const health = await get(base, '/api/health').catch(explain('health'));
    expect(health).toEqual({
      status: 503,
      body: { data: null, error: { status: 503, name: 'ServiceUnavailableError', message: 'This process is shutting down', details: { draining: true } } },
    });
    // The proxy has not taken it out yet: everything else is still answered.
    const reads: number[] = [];
    while (Date.now() - signalled < GRACE_MS - 400) {
      reads.push((await get(base, '/api/articles?fields[0]=slug').catch(explain('a read'))).status);
      await sleep(50);
    }
    expect(reads.length).toBeGreaterThan(5);
    expect(new Set(reads)).toEqual(new Set([200]));

    // A request in flight across the moment the server stops accepting: it is answered.
    const inFlight = slowRequest(base, 1_000).catch(explain('the request in flight'));
    await sleep(GRACE_MS - (Date.now() - signalled) + 300);
    await expect(get(base, '/api/health')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(JSON.parse(answered.body).data.articles.length).toBeGreaterThan(0);

    const code = await server.exited;
    const took = Date.now() - signalled;
    expect(code).toBe(0);
    expect(took).toBeGreaterThanOrEqual(GRACE_MS);
    expect(took).toBeLessThan(TIMEOUT_MS);
    expect(server.output()).toContain('[shutdown] drained, exiting 0');
  }, 120_000);

  it('a request still in flight at SHUTDOWN_TIMEOUT_MS: the process exits 1 then, not later', async () => {
    served = await serveOnTestDatabase({ SHUTDOWN_GRACE_MS: '300', SHUTDOWN_TIMEOUT_MS: '2000', LOG_LEVEL: 'info' });
    const { base, server } = served;
    // Half a body, never the rest: in flight for good. `Expect: 100-continue` makes the server
    // answer 100 as it takes the request, so the signal comes after the server counts it in flight
    // (a fixed sleep lost that race on a loaded machine: the connection was still idle, was
    // closed, and the drain ended at once with 0).
    const stuck = http.request(new URL('/graphql', base), {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', 'content-length': '1000', expect: '100-continue' },
    });
    stuck.on('error', () => undefined);
    const taken = new Promise<void>((resolve) => stuck.once('continue', () => resolve()));
    stuck.flushHeaders();
    await taken;
    stuck.write('{"query": "{ articles');
    const signalled = Date.now();
    server.child.kill('SIGTERM');
    const code = await server.exited;
    const took = Date.now() - signalled;
    if (code !== 1) throw new Error(`exited ${code} after ${took} ms, not 1; the server said:\n${server.output()}`);
    expect(took).toBeGreaterThanOrEqual(2_000);
    expect(took).toBeLessThan(3_500);
    expect(server.output()).toContain('[shutdown] not done within SHUTDOWN_TIMEOUT_MS (2000 ms): exiting now');
    stuck.destroy();
  }, 120_000);

  it('a second SIGTERM exits at once, with 1', async () => {
    served = await serveOnTestDatabase({ SHUTDOWN_GRACE_MS: '5000', SHUTDOWN_TIMEOUT_MS: '20000' });
    const { server } = served;
    const signalled = Date.now();
    server.child.kill('SIGTERM');
    await sleep(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(1);
    expect(Date.now() - signalled).toBeLessThan(2_000);
  }, 120_000);
});

describe('a drain and the rebuild dispatcher', () => {
  const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
  let database: TestDatabase;
  let receiver: http.Server;
  const arrivals: Array<{ id: string; at: number; answeredAt?: number }> = [];
  const served: ServedApp[] = [];

  beforeAll(async () => {
    // Empty: the first boot's seed of the story is the first message the site hears.
    database = await createTestDatabase(appDir, 'empty');
    // A slow site: it answers each message 7 s after it arrives (past the 3 s a plain stop waits, twice).
    receiver = http.createServer((req, res) => {
      const arrival = { id: String(req.headers['webhook-id']), at: Date.now() } as (typeof arrivals)[number];
      arrivals.push(arrival);
      req.resume();
      setTimeout(() => {
        arrival.answeredAt = Date.now();
        res.end('ok');
      }, 7_000);
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    for (const s of served) await s.stop();
    await new Promise((r) => receiver.close(r));
    await database.drop();
  });

  it('SIGTERM while a webhook is being sent: the send finishes, is recorded delivered, and no other process sends it again', async () => {
    const env = {
      REBUILD_WEBHOOK_URLS: `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`,
      REBUILD_WEBHOOK_SECRET: SECRET,
      REBUILD_DEBOUNCE_MS: '100',
      REBUILD_POLL_MS: '200',
      REBUILD_TIMEOUT_MS: '10000',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      SHUTDOWN_GRACE_MS: '0',
      SHUTDOWN_TIMEOUT_MS: '15000',
    };
    const first = await serveOnTestDatabase(env, database);
    served.push(first);
    // The seed's message first, answered.
    for (const until = Date.now() + 40_000; !(arrivals[0]?.answeredAt) && Date.now() < until; ) await sleep(100);
    expect(arrivals).toHaveLength(1);

    const list = (await (await fetch(`${first.base}/api/articles?fields[0]=title`)).json()) as { data: { documentId: string }[] };
    const res = await fetch(`${first.base}/api/articles/${list.data[0].documentId}?locale=en`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${first.server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ data: { standfirst: 'Sent while the process stops.' } }),
    });
    expect(res.status).toBe(200);
    for (const until = Date.now() + 10_000; arrivals.length < 2 && Date.now() < until; ) await sleep(20);
    expect(arrivals).toHaveLength(2);

    // The message is on the wire: stop now.
    const signalled = Date.now();
    first.server.child.kill('SIGTERM');
    expect(await first.server.exited).toBe(0);
    // It waited for the site's answer (7 s after arrival).
    expect(arrivals[1].answeredAt).toBeDefined();
    expect(Date.now() - signalled).toBeGreaterThan(6_000);

    // Another process on the database finds it delivered, and sends nothing more.
    const second = await serveOnTestDatabase(env, database);
    served.push(second);
    expect(await deliveryState(database, arrivals[1].id)).toBe('delivered');
    await sleep(2_000);
    expect(arrivals.map((a) => a.id)).toEqual([arrivals[0].id, arrivals[1].id]);
  }, 120_000);
});

/** The delivery log's state of a message, read from the database directly. */
async function deliveryState(database: TestDatabase, webhookId: string): Promise<string> {
  if (database.env.DATABASE_CLIENT !== 'postgres') return sqliteDeliveryState(database, webhookId);
  const client = new Client({ connectionString: database.env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query('select state from rebuild_deliveries where webhook_id = $1', [webhookId])).rows[0]?.state;
  } finally {
    await client.end();
  }
}

async function sqliteDeliveryState(database: TestDatabase, webhookId: string): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the app's own driver
  const Sqlite = require('better-sqlite3') as new (file: string, options: { readonly: boolean }) => { prepare(sql: string): { get(...args: unknown[]): { state: string } | undefined }; close(): void };
  const db = new Sqlite(path.join(appDir, database.env.DATABASE_FILENAME), { readonly: true });
  try {
    return db.prepare('select state from rebuild_deliveries where webhook_id = ?').get(webhookId)?.state ?? 'missing';
  } finally {
    db.close();
  }
}
