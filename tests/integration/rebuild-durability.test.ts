/**
 * A publish reaches the site even when the server dies right after acknowledging it; several
 * server processes on one PostgreSQL database never send the same attempt twice, evict each
 * other's read caches and share persisted GraphQL queries. The app runs as real servers in child
 * processes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { Webhook } from 'standardwebhooks';
import { accountsEnv, ADMIN } from '../helpers/admin';
import { serve, type ServingChild } from '../helpers/child-app';
import { createTestDatabase, type DatabaseStart, type TestDatabase } from '../helpers/database';
import { freePort, sleep, startReceiver, type Receiver, type ReceivedRequest } from '../helpers/receiver';
import { appDir } from '../helpers/strapi';
import { story } from '../helpers/story';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const SITE = '/hooks/site';
const onPostgres = process.env.DATABASE_CLIENT === 'postgres' ? describe : describe.skip;

let database: TestDatabase;
let receiver: Receiver;
const children: ServingChild[] = [];

async function start(debounceMs: number, env: Record<string, string> = {}): Promise<{ server: ServingChild; base: string }> {
  const port = await freePort();
  const server = await serve({
    ...database.env,
    ...env,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    REBUILD_WEBHOOK_URLS: `${receiver.url}${SITE}`,
    REBUILD_WEBHOOK_SECRET: SECRET,
    REBUILD_DEBOUNCE_MS: String(debounceMs),
    REBUILD_RETRY_BASE_MS: '100',
    REBUILD_POLL_MS: '200',
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  });
  children.push(server);
  return { server, base: `http://127.0.0.1:${port}` };
}

async function storyId(base: string): Promise<string> {
  const res = await fetch(`${base}/api/articles?filters[slug][$eq]=${story.slug}&fields[0]=title`);
  return ((await res.json()) as { data: { documentId: string }[] }).data[0].documentId;
}

/** Edits the story's standfirst over REST; the content API publishes at once. */
async function publishEdit(base: string, token: string, id: string, standfirst: string): Promise<void> {
  const res = await fetch(`${base}/api/articles/${id}?locale=en`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ data: { standfirst } }),
  });
  expect(res.status).toBe(200);
}

const changesOf = (r: ReceivedRequest) =>
  (new Webhook(SECRET).verify(r.body, r.headers as Record<string, string>) as { data: { changes: { action: string; documentId: string }[] } }).data.changes;

/** A database and a site: `start` says what the database holds before the first boot. */
async function setUp(start: DatabaseStart): Promise<void> {
  database = await createTestDatabase(appDir, start);
  receiver = await startReceiver();
}

async function tearDown(): Promise<void> {
  for (const { child, exited } of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  }
  await receiver?.close();
  await database?.drop();
}

describe('one server', () => {
  // Empty: the first boot's seed of the story is a publish the site hears of (the test waits for it).
  beforeEach(() => setUp('empty'));
  afterEach(tearDown, 60_000);

  it('a server killed with SIGKILL right after acknowledging a publish delivers it after restart', async () => {
    const first = await start(2_000);
    const id = await storyId(first.base);
    await receiver.waitFor((r) => r.path === SITE, 1, 20_000); // the seed's publish at first boot
    const before = receiver.requests.length;

    await publishEdit(first.base, first.server.token, id, 'Published, then the server died.');
    first.server.child.kill('SIGKILL');
    await first.server.exited;
    // Within the 2 s debounce window: the killed process had not sent it.
    expect(receiver.requests.slice(before)).toEqual([]);

    await start(2_000);
    const [message] = await receiver.waitFor((r) => receiver.requests.indexOf(r) >= before && r.path === SITE, 1, 30_000);
    expect(changesOf(message)).toEqual([expect.objectContaining({ action: 'update-published', documentId: id })]);
  }, 120_000);
});

onPostgres('two servers on one PostgreSQL database', () => {
  // Two servers for the four tests, on a database holding the story already (the template); an
  // admin account on A. The tests run in order: the slug changed by the second stays changed.
  let a: { server: ServingChild; base: string };
  let b: { server: ServingChild; base: string };
  let id: string;
  beforeAll(async () => {
    await setUp('story');
    a = await start(150, accountsEnv('ADMIN'));
    b = await start(150);
    id = await storyId(a.base);
  }, 120_000);
  afterAll(tearDown, 60_000);

  it("evict each other's read caches: a publish through one is read through the other within a second", async () => {
    const read = async (base: string) => ((await (await fetch(`${base}/api/articles/${id}`)).json()) as { data: { standfirst: string } }).data.standfirst;
    for (let i = 0; i < 3; i += 1) {
      await read(b.base); // cached in B
      const text = `Published through A, round ${i}.`;
      await publishEdit(a.base, a.server.token, id, text);
      let seen = '';
      for (const until = Date.now() + 1_000; Date.now() < until && seen !== text; await sleep(25)) seen = await read(b.base);
      expect(seen).toBe(text);
    }
  }, 180_000);

  it('share automatic persisted queries: a query registered through one is answered by its hash alone through the other', async () => {
    const query = `query Shared($id: ID!) { article(documentId: $id) { documentId title } }`;
    const hash = createHash('sha256').update(query).digest('hex');
    const get = async (base: string, params: Record<string, string>) => {
      const res = await fetch(`${base}/graphql?${new URLSearchParams(params)}`, { headers: { 'content-type': 'application/json' } });
      return (await res.json()) as { data?: { article: { documentId: string } }; errors?: Array<{ extensions: { code: string } }> };
    };
    const variables = JSON.stringify({ id });
    const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } });
    expect((await get(b.base, { variables, extensions })).errors?.[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await get(a.base, { query, variables, extensions })).data?.article.documentId).toBe(id);
    // A stores the registration just after it answers.
    let byHash = await get(b.base, { variables, extensions });
    for (const until = Date.now() + 2_000; Date.now() < until && !byHash.data; await sleep(50)) byHash = await get(b.base, { variables, extensions });
    expect(byHash).toEqual({ data: { article: { documentId: id, title: expect.any(String) } } });
  }, 60_000);

  it("see a slug changed through one in the other's feed, sitemap and resolver within a second", async () => {
    const text = async (path: string) => (await fetch(`${b.base}${path}`)).text();
    const oldSlug = 'us-warns-allies-of-chinas-growing-support-for-russia-amid-ukraine-conflict';
    const resolve = `/api/resolve?path=/en/news/${oldSlug}`;
    // Cached in B first.
    expect(await text(resolve)).toContain('"kind":"article"');
    expect(await text('/api/feeds/articles.rss')).toContain(`/en/news/${oldSlug}</link>`);
    expect(await text('/api/sitemaps/articles-2024-04.xml')).toContain(`/en/news/${oldSlug}</loc>`);
    const res = await fetch(`${a.base}/api/articles/${id}?locale=en`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${a.server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ data: { slug: 'moved-through-a' } }),
    });
    expect(res.status).toBe(200);
    const until = Date.now() + 1_000;
    let seen = { resolve: '', feed: '', sitemap: '' };
    while (Date.now() < until) {
      seen = { resolve: await text(resolve), feed: await text('/api/feeds/articles.rss'), sitemap: await text('/api/sitemaps/articles-2024-04.xml') };
      if (seen.resolve.includes('redirect') && seen.feed.includes('moved-through-a') && seen.sitemap.includes('moved-through-a')) break;
      await sleep(25);
    }
    expect(JSON.parse(seen.resolve)).toEqual({ data: { kind: 'redirect', location: '/en/news/moved-through-a', status: 301 }, meta: {} });
    expect(seen.feed).toContain('/en/news/moved-through-a</link>');
    expect(seen.sitemap).toContain('/en/news/moved-through-a</loc>');
  }, 180_000);

  it("apply a change to the Public role made through one to the other's next anonymous request within a second", async () => {
    // Past the read cache: what is checked is the permission, not a cached answer.
    const entities = async () => (await fetch(`${b.base}/api/entities?fields[0]=name`, { headers: { 'cache-control': 'no-cache' } })).status;
    expect(await entities()).toBe(200); // B now holds the Public role's ability
    // And from B's read cache: a site-wide change empties every process's cache.
    const cachedEntities = async () => (await fetch(`${b.base}/api/entities?fields[0]=slug`)).status;
    expect(await cachedEntities()).toBe(200);

    const login = await fetch(`${a.base}/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
    const { data } = (await login.json()) as { data: { token?: string; accessToken?: string } };
    const admin = { authorization: `Bearer ${data.token ?? data.accessToken}`, 'content-type': 'application/json' };
    const roles = (await (await fetch(`${a.base}/users-permissions/roles`, { headers: admin })).json()) as { roles: { id: number; type: string }[] };
    const id = roles.roles.find((r) => r.type === 'public')!.id;
    const { role } = (await (await fetch(`${a.base}/users-permissions/roles/${id}`, { headers: admin })).json()) as {
      role: { name: string; description: string; type: string; permissions: Record<string, { controllers: Record<string, Record<string, { enabled: boolean }>> }> };
    };
    const setFind = async (enabled: boolean) => {
      role.permissions['api::entity'].controllers.entity.find.enabled = enabled;
      const res = await fetch(`${a.base}/users-permissions/roles/${id}`, { method: 'PUT', headers: admin, body: JSON.stringify(role) });
      expect(res.status).toBe(200);
    };
    const seen = async (status: number) => {
      let last = 0;
      for (const until = Date.now() + 1_000; Date.now() < until && last !== status; await sleep(25)) last = await entities();
      return last;
    };

    const seenCached = async (status: number) => {
      let last = 0;
      for (const until = Date.now() + 1_000; Date.now() < until && last !== status; await sleep(25)) last = await cachedEntities();
      return last;
    };

    await setFind(false);
    expect(await seen(403)).toBe(403);
    expect(await seenCached(403)).toBe(403);
    await setFind(true);
    expect(await seen(200)).toBe(200);
    expect(await seenCached(200)).toBe(200);
  }, 180_000);

  it('send every delivery, and never the same attempt twice', async () => {
    await sleep(1_000);
    receiver.script(SITE, [503, 503, 503, 500]);
    const before = receiver.requests.length;
    for (let i = 0; i < 10; i += 1) {
      const via = i % 2 === 0 ? a : b;
      await publishEdit(via.base, via.server.token, id, `Edit ${i}`);
      await sleep(250);
    }

    const client = new Client({ connectionString: database.env.DATABASE_URL });
    await client.connect();
    try {
      let rows: { webhook_id: string; attempts: number; state: string }[] = [];
      for (let i = 0; i < 100; i += 1) {
        rows = (await client.query("select webhook_id, attempts, state from rebuild_deliveries where trigger = 'change'")).rows;
        if (rows.length > 0 && rows.every((r) => r.state === 'delivered')) break;
        await sleep(200);
      }
      const sent = receiver.requests.slice(before);
      const delivered = rows.filter((r) => sent.some((s) => s.headers['webhook-id'] === r.webhook_id));
      expect(delivered.length).toBeGreaterThanOrEqual(2);
      expect(rows.filter((r) => r.state !== 'delivered')).toEqual([]);
      // Each attempt recorded by the process that claimed it reached the receiver exactly once.
      for (const row of delivered) {
        expect(sent.filter((s) => s.headers['webhook-id'] === row.webhook_id)).toHaveLength(row.attempts);
      }
      expect(sent).toHaveLength(delivered.reduce((n, r) => n + r.attempts, 0));
      const edits = sent.flatMap(changesOf).filter((c) => c.documentId === id);
      expect(edits.length).toBeGreaterThanOrEqual(1);
    } finally {
      await client.end();
    }
  }, 180_000);
});
