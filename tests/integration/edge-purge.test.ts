/**
 * The edge: a real Varnish with xkey running deploy/varnish/newsroom.vcl in front of the app, and
 * purge targets through the outbox (src/rebuild/kinds/purge.ts) — Varnish's PURGE with the change
 * feed's tags, and Fastly's and Cloudflare's APIs answered by local receivers that record what
 * they are sent. What Varnish keeps and what it never does; a publish served by the edge within a
 * second; the request shapes of each purge API.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CLOUDFLARE_TAGS_PER_CALL } from '../../src/rebuild/kinds/purge';
import { freePort, sleep, startReceiver, type Receiver } from '../helpers/receiver';
import { story } from '../helpers/story';
import { useStrapi } from '../helpers/strapi';
import { startVarnish, type Varnish } from '../helpers/varnish';

const ARTICLE = 'api::article.article';
const FASTLY_SERVICE = 'SvcNewsroom01';
const FASTLY_TOKEN = 'fastly-test-token';
const CLOUDFLARE_ZONE = '0123456789abcdef0123456789abcdef';
const CLOUDFLARE_TOKEN = 'cloudflare-test-token';

const env: Record<string, string> = { PURGE_FASTLY_SERVICE_ID: FASTLY_SERVICE, PURGE_FASTLY_TOKEN: FASTLY_TOKEN, PURGE_FASTLY_SOFT: 'true', PURGE_CLOUDFLARE_ZONE_ID: CLOUDFLARE_ZONE, PURGE_CLOUDFLARE_TOKEN: CLOUDFLARE_TOKEN };
let varnishPort: number;
let receiver: Receiver;
let varnish: Varnish;

// Before the boot: the addresses the app's purge targets name.
beforeAll(async () => {
  varnishPort = await freePort();
  receiver = await startReceiver();
  Object.assign(env, { PURGE_VARNISH_URLS: `http://127.0.0.1:${varnishPort}/`, PURGE_FASTLY_API_URL: receiver.url, PURGE_CLOUDFLARE_API_URL: receiver.url });
});

const app = useStrapi({ env });

beforeAll(async () => {
  // The app listens on a port of its own (bootStrapi), Varnish in front of it.
  const { port } = app.server.address() as AddressInfo;
  varnish = await startVarnish({ port: varnishPort, backends: [{ host: '127.0.0.1', port }] });
}, 60_000);

afterAll(async () => {
  await varnish?.stop();
  await receiver?.close();
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request through Varnish on a connection of its own. */
function edge(path: string, options: { method?: string; headers?: Record<string, string>; body?: string; localAddress?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: varnishPort, path, method: options.method ?? 'GET', headers: options.headers, agent: false, localAddress: options.localAddress }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const VIEW = `/api/articles/slug/${story.slug}`;

describe('Varnish in front (deploy/varnish/newsroom.vcl)', () => {
  it('keeps a public read and answers it again from its cache, tagged for purges (the xkey header never leaves)', async () => {
    const first = await edge(`${VIEW}?locale=en`);
    expect(first.status).toBe(200);
    const again = await edge(`${VIEW}?locale=en`);
    expect(again.headers['x-cache']).toBe('HIT');
    expect(again.body).toBe(first.body);
    expect(again.headers.xkey).toBeUndefined();
    const keys = String(again.headers['surrogate-key']).split(' ');
    expect(keys).toContain(`doc:${JSON.parse(first.body).data.documentId}`);
    // Cloudflare's spelling of the same tags.
    expect(String(again.headers['cache-tag']).split(',')).toEqual(keys);
  });

  it.each([
    ['a request with Authorization', `${VIEW}?locale=en`, { authorization: 'Bearer not-a-token' }],
    ['a request with a cookie', `${VIEW}?locale=en`, { cookie: 'koa.sess=1' }],
    ['the admin panel', '/admin/init', {}],
    ['the health check', '/api/health', {}],
    ['an error other than 404 (a bad query, 400)', '/api/articles?pagination[pageSize]=many', {}],
  ])('never keeps %s', async (_what, path, headers) => {
    await edge(path, { headers });
    const again = await edge(path, { headers });
    expect(again.headers['x-cache']).toBe('MISS');
  });

  it('never keeps GraphQL (a POST)', async () => {
    const body = JSON.stringify({ query: '{ articles { slug } }' });
    const headers = { 'content-type': 'application/json' };
    expect((await edge('/graphql', { method: 'POST', headers, body })).status).toBe(200);
    expect((await edge('/graphql', { method: 'POST', headers, body })).headers['x-cache']).toBe('MISS');
  });

  it('keeps a GraphQL GET with Apollo\'s preflight header, and passes one without (the CMS\'s 400)', async () => {
    const path = `/graphql?query=${encodeURIComponent(`{ articleBySlug(slug: "${story.slug}") { documentId title } }`)}`;
    const headers = { 'content-type': 'application/json' };
    const first = await edge(path, { headers });
    expect(first.status).toBe(200);
    const again = await edge(path, { headers });
    expect(again.headers['x-cache']).toBe('HIT');
    expect(again.body).toBe(first.body);
    expect(String(again.headers['surrogate-key']).split(' ')).toContain(`doc:${JSON.parse(first.body).data.articleBySlug.documentId}`);
    for (const refused of [{}, { 'content-type': 'text/plain' }] as Array<Record<string, string>>) {
      const res = await edge(path, { headers: refused });
      expect(res.status).toBe(400);
      expect(res.headers['x-cache']).toBe('MISS');
    }
  });

  it('follows the CMS\'s Cache-Control: a 404 it does not mark public is not kept either', async () => {
    const first = await edge('/api/articles/slug/never-known-at-the-edge');
    expect(first.status).toBe(404);
    expect(first.headers['cache-control']).toBeUndefined();
    expect((await edge('/api/articles/slug/never-known-at-the-edge')).headers['x-cache']).toBe('MISS');
  });

  it('takes a PURGE only from the ACL, and only with tags', async () => {
    const outsider = await edge('/', { method: 'PURGE', headers: { 'xkey-purge': 'list:articles' }, localAddress: '127.0.0.2' });
    expect(outsider.status).toBe(403);
    expect((await edge('/', { method: 'PURGE' })).status).toBe(400);
    expect((await edge('/', { method: 'PURGE', headers: { 'xkey-purge': 'nothing-carries-this' } })).status).toBe(200);
  });
});

describe('purge targets through the outbox', () => {
  it('a publish is served by the edge within a second, and Fastly and Cloudflare are asked to purge the same tags', async () => {
    const docs = app.strapi.documents(ARTICLE);
    const found = await docs.findFirst({ locale: 'en', status: 'published', filters: { slug: story.slug } });
    const documentId = found!.documentId;
    const before = await edge(VIEW);
    await edge(VIEW);
    expect((await edge(VIEW)).headers['x-cache']).toBe('HIT');
    // The same story over GraphQL, as a GET the edge keeps (a title only: tagged list:articles).
    const graphql = `/graphql?query=${encodeURIComponent(`{ articleBySlug(slug: "${story.slug}") { title } }`)}`;
    const json = { 'content-type': 'application/json' };
    await edge(graphql, { headers: json });
    expect((await edge(graphql, { headers: json })).headers['x-cache']).toBe('HIT');
    const since = Date.now();
    const title = `${story.title} (updated at the edge)`;
    await docs.update({ documentId, locale: 'en', data: { title } });
    await docs.publish({ documentId, locale: 'en' });
    const published = Date.now();
    let seenAt = 0;
    while (Date.now() - published < 5_000) {
      const now = await edge(VIEW);
      if (JSON.parse(now.body).data.title === title) {
        seenAt = Date.now();
        break;
      }
      await sleep(20);
    }
    expect(seenAt).toBeGreaterThan(0);
    expect(seenAt - published).toBeLessThan(1_000);
    const overGraphql = async () => JSON.parse((await edge(graphql, { headers: json })).body).data.articleBySlug.title as string;
    while ((await overGraphql()) !== title && Date.now() - published < 5_000) await sleep(20);
    expect(await overGraphql()).toBe(title);
    expect(Date.now() - published).toBeLessThan(2_000);
    expect(JSON.parse(before.body).data.title).toBe(story.title);

    const [fastly] = await receiver.waitFor((r) => r.at >= since && r.path === `/service/${FASTLY_SERVICE}/purge`);
    expect(fastly.method).toBe('POST');
    expect(fastly.headers).toMatchObject({ 'fastly-key': FASTLY_TOKEN, 'fastly-soft-purge': '1', 'content-type': 'application/json' });
    const keys = JSON.parse(fastly.body).surrogate_keys as string[];
    expect(keys).toEqual(expect.arrayContaining([`doc:${documentId}`, 'list:articles', 'list:articles:en', `slug:article:en:${story.slug}`]));

    const [cloudflare] = await receiver.waitFor((r) => r.at >= since && r.path === `/client/v4/zones/${CLOUDFLARE_ZONE}/purge_cache`);
    expect(cloudflare.method).toBe('POST');
    expect(cloudflare.headers.authorization).toBe(`Bearer ${CLOUDFLARE_TOKEN}`);
    const tags = JSON.parse(cloudflare.body).tags as string[];
    expect(tags.length).toBeLessThanOrEqual(CLOUDFLARE_TAGS_PER_CALL);
    expect(tags.sort()).toEqual([...keys].sort());

    // Every purge is in the delivery log, delivered once.
    const log = await app.strapi.db.query('api::rebuild-delivery.rebuild-delivery').findMany({ where: { kind: { $in: ['varnish', 'fastly', 'cloudflare'] }, state: 'delivered' } });
    expect(new Set(log.map((d: { kind: string }) => d.kind))).toEqual(new Set(['varnish', 'fastly', 'cloudflare']));

    await docs.update({ documentId, locale: 'en', data: { title: story.title } });
    await docs.publish({ documentId, locale: 'en' });
  });

  it('the targets from the environment are listed for admins, kept encrypted, and only Enabled can change', async () => {
    const targets = await app.strapi.db.query('api::rebuild-target.rebuild-target').findMany({ where: { source: 'env' } });
    expect(targets.map((t: { kind: string }) => t.kind).sort()).toEqual(['cloudflare', 'fastly', 'varnish']);
    for (const t of targets) {
      expect(t.urlEncrypted).not.toContain('127.0.0.1');
      expect(t.secretEncrypted ?? '').not.toContain('token');
    }
    const fastly = targets.find((t: { kind: string }) => t.kind === 'fastly');
    await expect(
      app.strapi.documents('api::rebuild-target.rebuild-target').update({ documentId: fastly.documentId, data: { name: 'renamed' } as never }),
    ).rejects.toThrow('is set by the environment (REBUILD_WEBHOOK_URLS or PURGE_*); only Enabled can be changed here');
  });

  it('an admin\'s purge target is checked like any target: 400 naming the field', async () => {
    const targets = app.strapi.documents('api::rebuild-target.rebuild-target');
    await expect(targets.create({ data: { name: 'edge', kind: 'varnish', url: 'http://10.0.0.5:6081/', secret: 'x' } as never })).rejects.toThrow(
      'secret is not used by varnish targets: Varnish accepts purges from the addresses in its ACL',
    );
    await expect(targets.create({ data: { name: 'cdn', kind: 'fastly', url: 'https://api.fastly.com/purge', secret: 'tok' } as never })).rejects.toThrow(
      'url must be https://api.fastly.com/service/{service_id}/purge',
    );
    await expect(targets.create({ data: { name: 'cdn', kind: 'cloudflare', url: `https://api.cloudflare.com/client/v4/zones/${CLOUDFLARE_ZONE}/purge_cache` } as never })).rejects.toThrow(
      'secret is required for a cloudflare target (an API token with Cache Purge permission)',
    );
    await expect(targets.create({ data: { name: 'cdn', kind: 'varnish', url: 'http://10.0.0.5:6081/', softPurge: true } as never })).rejects.toThrow(
      'softPurge is only used by fastly targets',
    );
  });
});
