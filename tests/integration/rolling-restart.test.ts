/**
 * The test that proves the product runs on several machines (PostgreSQL only): three server
 * processes on one database, uploads on a real S3 server (s3rver), a real Varnish with xkey in front
 * probing /api/health, a signed webhook receiver. Under a constant 100 reads a second through
 * Varnish and a publish every second through the admin API of varying processes, each process is
 * restarted in turn (SIGTERM, wait for it to exit, start it again):
 * - no read fails;
 * - every publish is delivered to the webhook receiver, and no webhook-id arrives twice;
 * - Varnish serves each publish's new text within a second (the varnish purge target);
 * - an image uploaded through one process is read through the others.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { Webhook } from 'standardwebhooks';
import { accountsEnv, ADMIN } from '../helpers/admin';
import { serve, type ServingChild } from '../helpers/child-app';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { freePort, sleep, startReceiver, type Receiver } from '../helpers/receiver';
import { story } from '../helpers/story';
import { appDir } from '../helpers/strapi';
import { startVarnish, type Varnish } from '../helpers/varnish';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- s3rver ships no types
const S3rver = require('s3rver') as new (options: Record<string, unknown>) => { run(): Promise<{ port: number }>; close(): Promise<void> };

const onPostgres = process.env.DATABASE_CLIENT === 'postgres' ? describe : describe.skip;
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const HOOK = '/hooks/site';
const BUCKET = 'newsroom-media';
const READS_PER_SECOND = 100;
const ARTICLES = '/content-manager/collection-types/api::article.article';

interface Proc {
  port: number;
  server: ServingChild;
}

onPostgres('three processes behind Varnish, restarted one by one', () => {
  let database: TestDatabase;
  let receiver: Receiver;
  let varnish: Varnish;
  let s3: InstanceType<typeof S3rver>;
  let s3dir: string;
  let env: Record<string, string>;
  const procs: Proc[] = [];

  const start = async (port: number): Promise<ServingChild> =>
    serve({ ...database.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'error' });

  beforeAll(async () => {
    // Uploads go to S3: the story is seeded there on the first boot, not copied from the local template.
    database = await createTestDatabase(appDir, 'empty');
    receiver = await startReceiver();
    s3dir = await mkdtemp(path.join(os.tmpdir(), 'newsroom-s3-'));
    s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: s3dir, configureBuckets: [{ name: BUCKET }] });
    const { port: s3port } = await s3.run();
    const varnishPort = await freePort();
    env = {
      ...accountsEnv('ADMIN'),
      REBUILD_WEBHOOK_URLS: `${receiver.url}${HOOK}`,
      REBUILD_WEBHOOK_SECRET: SECRET,
      REBUILD_DEBOUNCE_MS: '100',
      REBUILD_RETRY_BASE_MS: '100',
      REBUILD_POLL_MS: '500',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      PURGE_VARNISH_URLS: `http://127.0.0.1:${varnishPort}/`,
      // The example VCL's probe takes a process out after 2 failed probes a second apart.
      SHUTDOWN_GRACE_MS: '3000',
      SHUTDOWN_TIMEOUT_MS: '10000',
      UPLOAD_PROVIDER: 's3',
      S3_BUCKET: BUCKET,
      S3_ENDPOINT: `http://127.0.0.1:${s3port}`,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_PUBLIC_URL: `http://127.0.0.1:${s3port}/${BUCKET}`,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const ports = [await freePort(), await freePort(), await freePort()];
    // The first boot creates the schema (as `npm run db:migrate` would); the others join it.
    procs.push({ port: ports[0], server: await start(ports[0]) });
    const rest = await Promise.all(ports.slice(1).map(async (port) => ({ port, server: await start(port) })));
    procs.push(...rest);
    varnish = await startVarnish({ port: varnishPort, backends: ports.map((port) => ({ host: '127.0.0.1', port })), probe: true });
  }, 180_000);

  afterAll(async () => {
    for (const { server } of procs) {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGKILL');
        await server.exited;
      }
    }
    await varnish?.stop();
    await receiver?.close();
    await s3?.close();
    await database?.drop();
    await rm(s3dir, { recursive: true, force: true });
  }, 60_000);

  const base = (p: Proc) => `http://127.0.0.1:${p.port}`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });

  function throughVarnish(pathname: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve) => {
      const req = http.get({ host: '127.0.0.1', port: varnish.port, path: pathname, agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', (e) => resolve({ status: 0, body: e.message }));
    });
  }

  it('loses no read, delivers every publish once, and the edge serves each within a second', async () => {
    // The admin's session, good on every process (one database, one secret).
    const login = await fetch(`${base(procs[0])}/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
    const session = ((await login.json()) as { data: { token?: string; accessToken?: string } }).data;
    const auth = { authorization: `Bearer ${session.token ?? session.accessToken}`, 'content-type': 'application/json' };
    const list = (await (await fetch(`${base(procs[0])}/api/articles?filters[slug][$eq]=${story.slug}&fields[0]=title`)).json()) as { data: { documentId: string }[] };
    const documentId = list.data[0].documentId;

    // An image uploaded through the first process, read through the other two.
    const form = new FormData();
    const png = await sharp({ create: { width: 400, height: 300, channels: 3, background: { r: 10, g: 120, b: 200 } } }).png().toBuffer();
    form.append('files', new Blob([png], { type: 'image/png' }), 'harbour.png');
    const uploaded = await fetch(`${base(procs[0])}/api/upload`, { method: 'POST', headers: { authorization: `Bearer ${procs[0].server.token}` }, body: form });
    expect(uploaded.status).toBe(201);
    const [file] = (await uploaded.json()) as Array<{ id: number; url: string }>;
    for (const p of procs.slice(1)) {
      const seen = (await (await fetch(`${base(p)}/api/upload/files/${file.id}`, { headers: { authorization: `Bearer ${procs[0].server.token}` } })).json()) as { url: string };
      expect(seen.url).toBe(file.url);
      expect((await fetch(seen.url)).status).toBe(200);
    }

    // A constant load of public reads through Varnish.
    const VIEW = `/api/articles/slug/${story.slug}`;
    const paths = [VIEW, '/api/articles?fields[0]=title', `/api/articles/slug/${story.slug}/structured-data`, '/api/feeds/articles.rss', '/api/sitemaps/news.xml'];
    const reads: Array<{ status: number; at: number }> = [];
    let reading = true;
    const load = (async () => {
      for (let i = 0; reading; i += 1) {
        const at = Date.now();
        void throughVarnish(paths[i % paths.length]).then((r) => reads.push({ status: r.status, at }));
        await sleep(1000 / READS_PER_SECOND);
      }
    })();

    // A publish a second, through the admin API of the processes that are up, each awaited at the edge.
    const restarting = new Set<number>();
    const edgeDelays: number[] = [];
    const publishes: string[] = [];
    let publishing = true;
    let writerError: unknown;
    const writer = (async () => {
      for (let n = 0; publishing; n += 1) {
        const tick = Date.now();
        const up = procs.filter((_p, i) => !restarting.has(i));
        const via = up[n % up.length];
        const title = `${story.title} — rolling ${n}`;
        const saved = await fetch(`${base(via)}${ARTICLES}/${documentId}?locale=en`, { method: 'PUT', headers: auth, body: JSON.stringify({ title }) });
        expect(saved.status).toBe(200);
        const published = await fetch(`${base(via)}${ARTICLES}/${documentId}/actions/publish?locale=en`, { method: 'POST', headers: auth, body: '{}' });
        expect(published.status).toBe(200);
        const at = Date.now();
        publishes.push(title);
        for (;;) {
          const r = await throughVarnish(VIEW);
          if (r.status === 200 && JSON.parse(r.body).data.title === title) break;
          if (Date.now() - at > 5_000) throw new Error(`the edge did not serve "${title}" within 5 s`);
          await sleep(20);
        }
        edgeDelays.push(Date.now() - at);
        await sleep(Math.max(0, 1_000 - (Date.now() - tick)));
      }
    })().catch((error: unknown) => {
      writerError = error;
    });

    // Each process in turn: SIGTERM, wait for its exit, start it again, let the probe take it back.
    const exitCodes: Array<number | null> = [];
    for (let i = 0; i < procs.length; i += 1) {
      await sleep(2_000);
      restarting.add(i);
      procs[i].server.child.kill('SIGTERM');
      exitCodes.push(await procs[i].server.exited);
      procs[i].server = await start(procs[i].port);
      await sleep(3_000);
      restarting.delete(i);
    }
    await sleep(2_000);
    publishing = false;
    await writer;
    if (writerError) throw writerError;
    reading = false;
    await load;
    await sleep(1_000);

    expect(exitCodes).toEqual([0, 0, 0]);
    const failed = reads.filter((r) => r.status !== 200);
    expect({ reads: reads.length, failed: failed.length }).toEqual({ reads: reads.length, failed: 0 });
    expect(reads.length).toBeGreaterThan(READS_PER_SECOND * 20);
    expect(publishes.length).toBeGreaterThanOrEqual(20);
    expect(Math.max(...edgeDelays)).toBeLessThan(1_000);

    // Every publish delivered, each message once.
    const seenIds = new Set<string>();
    const duplicates: string[] = [];
    let delivered = 0;
    const until = Date.now() + 20_000;
    for (;;) {
      seenIds.clear();
      duplicates.length = 0;
      delivered = 0;
      for (const r of receiver.requests.filter((q) => q.path === HOOK)) {
        const id = String(r.headers['webhook-id']);
        if (seenIds.has(id)) duplicates.push(id);
        seenIds.add(id);
        const payload = new Webhook(SECRET).verify(r.body, r.headers as Record<string, string>) as { data: { changes: Array<{ action: string; documentId: string }> } };
        delivered += payload.data.changes.filter((c) => c.documentId === documentId && c.action === 'update-published').length;
      }
      if (delivered >= publishes.length || Date.now() > until) break;
      await sleep(200);
    }
    expect(duplicates).toEqual([]);
    expect(delivered).toBe(publishes.length);
    process.stdout.write(
      `[rolling-restart] ${reads.length} reads, 0 failed; ${publishes.length} publishes, edge p50 ${edgeDelays.sort((a, b) => a - b)[Math.floor(edgeDelays.length / 2)]} ms, max ${Math.max(...edgeDelays)} ms; ${seenIds.size} webhook messages, none twice\n`,
    );
  }, 240_000);
});
