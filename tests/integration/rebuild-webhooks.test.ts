/**
 * Sites that show published content are told to rebuild, every time: a real receiver in this
 * process checks each message with the standardwebhooks library.
 */
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { Webhook } from 'standardwebhooks';
import { rebuildPayloadSchema, type RebuildPayload } from '../../src/rebuild/payload';
import { DELIVERY_UID, OUTBOX_UID, REBUILD_UIDS, TARGET_UID } from '../../src/rebuild/targets';
import { accountsEnv, ADMIN, adminLogin, captureOutput, EDITOR } from '../helpers/admin';
import { createApiToken } from '../helpers/api-token';
import { freePort, sleep, startReceiver, type Receiver, type ReceivedRequest } from '../helpers/receiver';
import { appModule, bootStrapi, type TestApp } from '../helpers/strapi';
import { story } from '../helpers/story';

// What the booted app runs (its compiled modules, in the app's realm).
const { pruneDeliveries } = appModule<typeof import('../../src/rebuild/dispatcher')>('src/rebuild/dispatcher');

const ARTICLE = 'api::article.article';
const ENTITY = 'api::entity.entity';
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const DEBOUNCE_MS = 300;
const QUIET_MS = DEBOUNCE_MS * 4;
const SITE = '/hooks/site';

let receiver: Receiver;
let app: TestApp;
let stop: () => Promise<void>;
let storyId: string;
const logged = { text: '' };
let stopCapture: () => void;
const login = adminLogin(() => app.server);

beforeAll(async () => {
  // Info-level logs are read by the last test (no secret in them), not printed.
  stopCapture = captureOutput(logged, { forward: false });
  receiver = await startReceiver();
  ({ app, stop } = await bootStrapi({
    // A first boot: its seed of the story is a publish the site hears of (below).
    start: 'empty',
    env: {
      REBUILD_WEBHOOK_URLS: `${receiver.url}${SITE}`,
      REBUILD_WEBHOOK_SECRET: SECRET,
      REBUILD_DEBOUNCE_MS: String(DEBOUNCE_MS),
      REBUILD_RETRY_BASE_MS: '150',
      REBUILD_POLL_MS: '200',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      LOG_LEVEL: 'info',
      ...accountsEnv('ADMIN', 'EDITOR'),
    },
  }));
  const found = await app.strapi.documents(ARTICLE).findFirst({ locale: 'en', filters: { slug: story.slug }, fields: ['documentId'] });
  storyId = found!.documentId;
  // Seeding the story at boot is a publish: the site hears of it.
  await receiver.waitFor((r) => r.path === SITE);
}, 120_000);

afterAll(async () => {
  // Strapi's shutdown lines (info) are kept from the terminal too.
  try {
    await stop?.();
  } finally {
    stopCapture?.();
  }
  await receiver?.close();
}, 60_000);

/** The requests to `path` from now on. */
function after(path: string) {
  const mark = receiver.requests.length;
  const mine = (r: ReceivedRequest) => receiver.requests.indexOf(r) >= mark && new URL(r.path, 'http://x').pathname === path;
  return {
    wait: (count = 1, timeoutMs = 10_000) => receiver.waitFor(mine, count, timeoutMs),
    all: () => receiver.requests.filter(mine),
  };
}

/** Verifies the signature with the Standard Webhooks library, then checks the payload's schema. */
function verified(r: ReceivedRequest, secret = SECRET): RebuildPayload {
  const payload = new Webhook(secret).verify(r.body, r.headers as Record<string, string>);
  return rebuildPayloadSchema.parse(payload);
}

const docs = () => app.strapi.documents(ARTICLE);

async function newDraft(slug: string) {
  return docs().create({ locale: 'en', data: { title: `Draft ${slug}`, slug, dateline: '2024-04-11' } });
}

async function createTarget(data: Record<string, unknown>) {
  return app.strapi.documents(TARGET_UID as never).create({ data } as never) as Promise<{ documentId: string }>;
}

async function deliveryOf(webhookId: string) {
  return app.strapi.db.query(DELIVERY_UID).findOne({ where: { webhookId } });
}

/** The delivery once the dispatcher has recorded the attempt the receiver just answered. */
async function settled(webhookId: string) {
  for (let i = 0; i < 100; i += 1) {
    const row = await deliveryOf(webhookId);
    if (row && ['delivered', 'failed', 'dead'].includes(row.state)) return row;
    await sleep(50);
  }
  throw new Error(`delivery ${webhookId} not settled within 5 s`);
}

describe('what a site hears', () => {
  it('a draft save sends nothing; its publish sends one signed message naming the article and its path', async () => {
    const site = after(SITE);
    const draft = await newDraft('a-new-story');
    await docs().update({ documentId: draft.documentId, locale: 'en', data: { standfirst: 'Still a draft.' } });
    await sleep(QUIET_MS);
    expect(site.all()).toEqual([]);

    await docs().publish({ documentId: draft.documentId, locale: 'en' });
    const [message] = await site.wait();
    const payload = verified(message);
    expect(payload).toMatchObject({
      type: 'content.changed',
      data: {
        changes: [{ action: 'publish', contentType: ARTICLE, documentId: draft.documentId, locale: 'en', slug: 'a-new-story' }],
        paths: ['/en/news', '/en/news/a-new-story'],
        tags: [`doc:${draft.documentId}`, 'list:articles', 'list:articles:en', 'slug:article:en:a-new-story'],
        truncated: false,
      },
    });
    expect(message.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
    await sleep(QUIET_MS);
    expect(site.all()).toHaveLength(1);
  });

  it('an edit to a published story is one update-published message once republished', async () => {
    const site = after(SITE);
    await docs().update({ documentId: storyId, locale: 'en', data: { standfirst: 'A corrected standfirst.' } });
    await docs().publish({ documentId: storyId, locale: 'en' });
    const [message] = await site.wait();
    expect(verified(message).data.changes).toEqual([
      { action: 'update-published', contentType: ARTICLE, documentId: storyId, locale: 'en', slug: story.slug },
    ]);
    await sleep(QUIET_MS);
    expect(site.all()).toHaveLength(1);
  });

  it('a slug change lists the old path beside the new, and both slugs among the tags', async () => {
    const created = await docs().create({ locale: 'en', status: 'published', data: { title: 'Moving story', slug: 'moving-story-old', dateline: '2026-11-30' } });
    await after(SITE).wait();
    const site = after(SITE);
    await docs().update({ documentId: created.documentId, locale: 'en', data: { slug: 'moving-story-new' } });
    await docs().publish({ documentId: created.documentId, locale: 'en' });
    const [message] = await site.wait();
    const { data } = verified(message);
    expect(data.changes).toEqual([
      { action: 'update-published', contentType: ARTICLE, documentId: created.documentId, locale: 'en', slug: 'moving-story-new', previousSlug: 'moving-story-old' },
    ]);
    expect(data.paths).toEqual(['/en/news', '/en/news/moving-story-new', '/en/news/moving-story-old']);
    expect(data.tags).toEqual(expect.arrayContaining(['slug:article:en:moving-story-new', 'slug:article:en:moving-story-old']));
    await docs().delete({ documentId: created.documentId, locale: 'en' });
    await site.wait(2);
  });

  it('an entity renamed lists the published articles that name it', async () => {
    const site = after(SITE);
    const entity = await app.strapi.documents(ENTITY).findFirst({ filters: { slug: story.entities[0] } });
    await app.strapi.documents(ENTITY).update({ documentId: entity!.documentId, data: { name: `${entity!.name} (renamed)` } });
    const [message] = await site.wait();
    const { data } = verified(message);
    expect(data.changes).toEqual([
      { action: 'update-published', contentType: ENTITY, documentId: entity!.documentId, locale: null, slug: entity!.slug },
    ]);
    expect(data.paths).toEqual(expect.arrayContaining([`/en/news/${story.slug}`, `/topics/${entity!.slug}`]));
    expect(data.tags).toEqual(expect.arrayContaining([`doc:${storyId}`, `doc:${entity!.documentId}`, 'list:articles:en', `slug:entity:${entity!.slug}`]));
    await app.strapi.documents(ENTITY).update({ documentId: entity!.documentId, data: { name: String(entity!.name) } });
    await site.wait(2);
  });

  it('unpublishing and deleting are messages too', async () => {
    const draft = await newDraft('short-lived');
    await docs().publish({ documentId: draft.documentId, locale: 'en' });
    await after(SITE).wait();
    const site = after(SITE);
    await docs().unpublish({ documentId: draft.documentId, locale: 'en' });
    expect(verified((await site.wait())[0]).data.changes).toEqual([
      { action: 'unpublish', contentType: ARTICLE, documentId: draft.documentId, locale: 'en', slug: 'short-lived' },
    ]);
    await docs().publish({ documentId: draft.documentId, locale: 'en' });
    await site.wait(2);
    await docs().delete({ documentId: draft.documentId, locale: 'en' });
    const [, , deleted] = await site.wait(3);
    expect(verified(deleted).data.changes).toEqual([
      { action: 'delete', contentType: ARTICLE, documentId: draft.documentId, locale: 'en', slug: 'short-lived' },
    ]);
  });

  it('a burst of 50 changes within the debounce window is coalesced into one message listing them all', async () => {
    const site = after(SITE);
    for (let i = 0; i < 50; i += 1) {
      await app.strapi.documents(ENTITY).create({ data: { name: `Burst ${i}`, slug: `burst-${i}`, kind: 'topic' } });
    }
    await site.wait();
    await sleep(QUIET_MS);
    const messages = site.all();
    expect(messages.length).toBeLessThanOrEqual(2);
    const slugs = messages.flatMap((m) => verified(m).data.changes.map((c) => String(c.slug ?? "")));
    expect(slugs.sort()).toEqual(Array.from({ length: 50 }, (_, i) => `burst-${i}`).sort());
  });
});

describe('delivery that survives receivers failing', () => {
  it('503 then 200: the same message is delivered with the same webhook-id', async () => {
    const site = after(SITE);
    receiver.script(SITE, [503]);
    await docs().publish({ documentId: storyId, locale: 'en' });
    const [first, second] = await site.wait(2);
    expect(first.headers['webhook-id']).toBe(second.headers['webhook-id']);
    expect(verified(first)).toMatchObject({ data: verified(second).data });
    const row = await settled(String(first.headers['webhook-id']));
    expect(row).toMatchObject({ state: 'delivered', attempts: 2, lastStatusCode: 200 });
    expect(row.attemptLog.map((a: { statusCode: number }) => a.statusCode)).toEqual([503, 200]);
  });

  it('429 with Retry-After: the next attempt waits as long as the receiver asked', async () => {
    const site = after(SITE);
    receiver.script(SITE, [429], { 'retry-after': '1' });
    await docs().publish({ documentId: storyId, locale: 'en' });
    const [first, second] = await site.wait(2, 15_000);
    expect(second.at - first.at).toBeGreaterThanOrEqual(950);
  });

  it('a 4xx other than 408/429 fails the delivery without retrying; it stays in the log', async () => {
    const site = after(SITE);
    receiver.script(SITE, [400]);
    await docs().publish({ documentId: storyId, locale: 'en' });
    const [message] = await site.wait();
    await sleep(QUIET_MS);
    expect(site.all()).toHaveLength(1);
    expect(await settled(String(message.headers['webhook-id']))).toMatchObject({ state: 'failed', attempts: 1, lastStatusCode: 400 });
  });

  it('410 Gone disables the target, which then gets nothing', async () => {
    const gone = after('/hooks/gone');
    receiver.script('/hooks/gone', [410]);
    const target = await createTarget({ name: 'Gone site', kind: 'standard', url: `${receiver.url}/hooks/gone`, secret: SECRET, enabled: true });
    await docs().publish({ documentId: storyId, locale: 'en' });
    await gone.wait();
    let row;
    for (let i = 0; i < 40; i += 1) {
      row = await app.strapi.db.query(TARGET_UID).findOne({ where: { documentId: target.documentId } });
      if (!row.enabled) break;
      await sleep(50);
    }
    expect(row).toMatchObject({ enabled: false, disabledReason: expect.stringContaining('410') });
    await docs().publish({ documentId: storyId, locale: 'en' });
    await after(SITE).wait();
    await sleep(QUIET_MS);
    expect(gone.all()).toHaveLength(1);
  });

  it('a receiver that is down at publish time gets the message once it is up', async () => {
    const port = await freePort();
    const target = await createTarget({ name: 'Late site', kind: 'standard', url: `http://127.0.0.1:${port}/hooks/late`, secret: SECRET, enabled: true });
    await docs().publish({ documentId: storyId, locale: 'en' });
    let failed;
    for (let i = 0; i < 100 && !failed; i += 1) {
      await sleep(50);
      failed = await app.strapi.db.query(DELIVERY_UID).findOne({ where: { targetDocumentId: target.documentId, state: 'retrying' } });
    }
    expect(failed).toMatchObject({ attempts: 1, lastError: expect.stringContaining('ECONNREFUSED') });
    const late = await startReceiver(port);
    try {
      const [message] = await late.waitFor(() => true, 1, 15_000);
      expect(message.headers['webhook-id']).toBe(failed.webhookId);
      expect(verified(message).data.changes[0]).toMatchObject({ documentId: storyId });
    } finally {
      await late.close();
      await app.strapi.documents(TARGET_UID as never).delete({ documentId: target.documentId } as never);
    }
  });
});

describe('the outbox is written in the same transaction as the content', () => {
  it('a rolled-back publish enqueues nothing and sends nothing', async () => {
    const site = after(SITE);
    const draft = await newDraft('rolled-back');
    let enqueuedInside = 0;
    await expect(
      app.strapi.db.transaction(async () => {
        await docs().publish({ documentId: draft.documentId, locale: 'en' });
        enqueuedInside = await app.strapi.db.query(OUTBOX_UID).count({});
        throw new Error('abort after the publish');
      }),
    ).rejects.toThrow('abort after the publish');
    expect(enqueuedInside).toBeGreaterThan(0);
    expect(await app.strapi.db.query(OUTBOX_UID).count({})).toBe(0);
    expect(await docs().findOne({ documentId: draft.documentId, locale: 'en', status: 'published' })).toBeNull();
    await sleep(QUIET_MS);
    expect(site.all()).toEqual([]);
  });

  it('an acknowledged publish is already enqueued (or routed) when the call returns', async () => {
    const draft = await newDraft('acknowledged');
    await docs().publish({ documentId: draft.documentId, locale: 'en' });
    const outbox = await app.strapi.db.query(OUTBOX_UID).findMany({});
    const deliveries = await app.strapi.db.query(DELIVERY_UID).findMany({ where: { state: { $in: ['collecting', 'sending'] } } });
    const stored = JSON.stringify([...outbox.map((o: { change: unknown }) => o.change), ...deliveries.map((d: { changes: unknown }) => d.changes)]);
    expect(stored).toContain(draft.documentId);
    await after(SITE).wait();
  });
});

describe('kinds of target', () => {
  it('build-hook: a bare POST to the hook URL', async () => {
    const hook = after('/build_hooks/6543abcdef');
    const target = await createTarget({ name: 'Deploy hook', kind: 'build-hook', url: `${receiver.url}/build_hooks/6543abcdef`, enabled: true });
    await docs().publish({ documentId: storyId, locale: 'en' });
    const [message] = await hook.wait();
    expect(message).toMatchObject({ method: 'POST', body: '' });
    expect(message.headers['content-length']).toBe('0');
    await app.strapi.documents(TARGET_UID as never).delete({ documentId: target.documentId } as never);
  });

  it('github-dispatch: event_type and a client_payload within GitHub limits, with the token; 204 is success', async () => {
    const path = '/repos/acme/site/dispatches';
    const github = after(path);
    receiver.script(path, [204]);
    const token = `ghp_${randomBytes(12).toString('hex')}`;
    const target = await createTarget({ name: 'Site repo', kind: 'github-dispatch', url: `${receiver.url}${path}`, secret: token, eventType: 'cms-publish', enabled: true });
    await docs().publish({ documentId: storyId, locale: 'en' });
    const [message] = await github.wait();
    expect(message.headers.authorization).toBe(`Bearer ${token}`);
    expect(message.headers.accept).toBe('application/vnd.github+json');
    const body = JSON.parse(message.body);
    expect(body.event_type).toBe('cms-publish');
    expect(Object.keys(body.client_payload).length).toBeLessThanOrEqual(10);
    expect(Buffer.byteLength(message.body)).toBeLessThan(64 * 1024);
    expect(body.client_payload).toMatchObject({ type: 'content.changed', paths: expect.arrayContaining([`/en/news/${story.slug}`]) });
    const row = await settled(body.client_payload.webhookId);
    expect(row).toMatchObject({ state: 'delivered', lastStatusCode: 204 });
    await app.strapi.documents(TARGET_UID as never).delete({ documentId: target.documentId } as never);
  });

  it('a target limited to some content types and locales hears only of those', async () => {
    const only = after('/hooks/ru-only');
    const target = await createTarget({ name: 'Russian site', kind: 'standard', url: `${receiver.url}/hooks/ru-only`, secret: SECRET, locales: 'ru', contentTypes: 'article', enabled: true });
    await docs().publish({ documentId: storyId, locale: 'en' });
    await after(SITE).wait();
    await sleep(QUIET_MS);
    expect(only.all()).toEqual([]);
    await app.strapi.documents(TARGET_UID as never).delete({ documentId: target.documentId } as never);
  });
});

describe('targets and the delivery log in the admin', () => {
  const TARGETS = `/content-manager/collection-types/${TARGET_UID}`;
  const DELIVERIES = `/content-manager/collection-types/${DELIVERY_UID}`;
  const as = async (who: typeof ADMIN) => ({ Authorization: `Bearer ${await login(who)}` });

  it('Editors and Authors hold no rights on targets or the log', async () => {
    const roles = await app.strapi.db.query('admin::role').findMany({ where: { code: { $in: ['strapi-editor', 'strapi-author'] } } });
    expect(roles).toHaveLength(2);
    const rights = await app.strapi.db
      .query('admin::permission')
      .findMany({ where: { role: { id: { $in: roles.map((r: { id: number }) => r.id) } }, subject: { $in: [...REBUILD_UIDS] } } });
    expect(rights).toEqual([]);
  });

  it('an Editor can neither see nor change targets or the log (403)', async () => {
    const auth = await as(EDITOR);
    await request(app.server).get(TARGETS).set(auth).expect(403);
    await request(app.server).get(DELIVERIES).set(auth).expect(403);
    await request(app.server).post(TARGETS).set(auth).send({ name: 'x', kind: 'build-hook', url: 'https://example.com/x' }).expect(403);
    const delivery = await app.strapi.db.query(DELIVERY_UID).findOne({ where: { state: 'delivered' } });
    await request(app.server).post(`/newsroom/rebuild/deliveries/${delivery.documentId}/redeliver`).set(auth).expect(403);
  });

  it('neither REST nor GraphQL exposes targets or the log, even to a full-access API token', async () => {
    const token = await createApiToken(app.strapi, 'full-access');
    const auth = { Authorization: `Bearer ${token}` };
    await request(app.server).get('/api/rebuild-targets').set(auth).expect(404);
    await request(app.server).get('/api/rebuild-deliveries').set(auth).expect(404);
    const gql = await request(app.server).post('/graphql').set(auth).send({ query: '{ rebuildTargets { name } }' }).expect(400);
    expect(gql.body.errors[0].message).toMatch(/Cannot query field "rebuildTargets"/);
  });

  it('an admin creating a target with a bad URL or a missing secret gets a 400 naming the field', async () => {
    const auth = await as(ADMIN);
    const badUrl = await request(app.server).post(TARGETS).set(auth).send({ name: 'Bad', kind: 'build-hook', url: 'not a url', enabled: true }).expect(400);
    expect(badUrl.body.error).toMatchObject({ name: 'ValidationError', details: { errors: [expect.objectContaining({ path: ['url'] })] } });
    const noSecret = await request(app.server).post(TARGETS).set(auth).send({ name: 'Bad', kind: 'standard', url: 'https://example.com/hook', enabled: true }).expect(400);
    expect(noSecret.body.error.message).toMatch(/^secret /);
    const badSecret = await request(app.server)
      .post(TARGETS)
      .set(auth)
      .send({ name: 'Bad', kind: 'standard', url: 'https://example.com/hook', secret: 'hunter2', enabled: true })
      .expect(400);
    expect(badSecret.body.error.details.errors[0].path).toEqual(['secret']);
  });

  it('an admin sees targets with a URL hint, never the URL or secret; an edit without them keeps them', async () => {
    const auth = await as(ADMIN);
    const url = `${receiver.url}/hooks/admin-made`;
    const created = await request(app.server).post(TARGETS).set(auth).send({ name: 'Admin made', kind: 'standard', url, secret: SECRET, enabled: true }).expect(201);
    const id = created.body.data.documentId;
    const read = await request(app.server).get(`${TARGETS}/${id}`).set(auth).expect(200);
    const text = JSON.stringify([created.body, read.body]);
    expect(text).not.toContain(SECRET.slice(6));
    expect(text).not.toContain('/hooks/admin-made');
    expect(read.body.data.urlHint).toBe(`${receiver.url}/…made`);
    for (const field of ['url', 'secret', 'urlEncrypted', 'secretEncrypted', 'previousSecretEncrypted']) {
      expect(read.body.data[field] ?? null).toBeNull();
    }

    await request(app.server).put(`${TARGETS}/${id}`).set(auth).send({ ...read.body.data, name: 'Admin made, renamed', url: '', secret: '' }).expect(200);
    const sent = after('/hooks/admin-made');
    await request(app.server).post(`/newsroom/rebuild/targets/${id}/test`).set(auth).expect(202);
    const [message] = await sent.wait();
    expect(verified(message)).toMatchObject({ type: 'webhook.test', data: { changes: [] } });
    await request(app.server).delete(`${TARGETS}/${id}`).set(auth).expect(200);
  });

  it('an admin reads the log and redelivers a message under a new webhook-id', async () => {
    const auth = await as(ADMIN);
    const list = await request(app.server).get(`${DELIVERIES}?sort=id:DESC&filters[state][$eq]=delivered`).set(auth).expect(200);
    const latest = list.body.results.find((d: { trigger: string; kind: string }) => d.trigger === 'change' && d.kind === 'standard');
    expect(latest).toMatchObject({ attempts: expect.any(Number), attemptLog: expect.any(Array), changes: expect.any(Array) });
    const site = after(SITE);
    const res = await request(app.server).post(`/newsroom/rebuild/deliveries/${latest.documentId}/redeliver`).set(auth).expect(202);
    const [message] = await site.wait();
    expect(message.headers['webhook-id']).toBe(res.body.data.webhookId);
    expect(message.headers['webhook-id']).not.toBe(latest.webhookId);
    expect(verified(message).data.changes.map((c) => c.documentId)).toEqual(latest.changes.map((c: { documentId: string }) => c.documentId));
  });

  it('finished deliveries older than the retention are pruned; recent and pending ones stay', async () => {
    const deliveries = app.strapi.db.query(DELIVERY_UID);
    const make = (webhookId: string, state: string) => deliveries.create({ data: { webhookId, state, targetName: 'Old', changes: [], attempts: 1 } });
    const old = await make('msg_old_delivered', 'delivered');
    const oldPending = await make('msg_old_retrying', 'retrying');
    const recent = await make('msg_recent_dead', 'dead');
    const table = app.strapi.db.metadata.get(DELIVERY_UID).tableName;
    await app.strapi.db
      .connection(table)
      .whereIn('id', [old.id, oldPending.id])
      .update({ updated_at: new Date(Date.now() - 40 * 24 * 3600 * 1000) });
    expect(await pruneDeliveries(app.strapi, 30 * 24 * 3600 * 1000)).toBe(1);
    const left = await deliveries.findMany({ where: { webhookId: { $in: ['msg_old_delivered', 'msg_old_retrying', 'msg_recent_dead'] } } });
    expect(left.map((d: { webhookId: string }) => d.webhookId).sort()).toEqual(['msg_old_retrying', 'msg_recent_dead']);
    await deliveries.deleteMany({ where: { id: { $in: [oldPending.id, recent.id] } } });
  });

  it("Strapi's built-in webhooks keep working beside it", async () => {
    const auth = await as(ADMIN);
    const builtIn = after('/hooks/built-in');
    await request(app.server)
      .post('/admin/webhooks')
      .set(auth)
      .send({ name: 'Built-in', url: `${receiver.url}/hooks/built-in`, headers: {}, events: ['entry.publish'] })
      .expect(201);
    await docs().publish({ documentId: storyId, locale: 'en' });
    const [message] = await builtIn.wait();
    expect(JSON.parse(message.body)).toMatchObject({ event: 'entry.publish', model: 'article' });
    await after(SITE).wait();
  });

  it('the log refuses hand-made entries', async () => {
    const auth = await as(ADMIN);
    const res = await request(app.server).post(DELIVERIES).set(auth).send({ webhookId: 'msg_forged', targetName: 'Forged' }).expect(400);
    expect(res.body.error.message).toMatch(/written by the dispatcher/);
  });

  it('no target URL path, secret or token ever reached the logs', () => {
    expect(logged.text).toContain('[rebuild]');
    for (const secret of [SECRET, SECRET.slice(6), '/hooks/site', '/build_hooks/6543abcdef', 'ghp_']) {
      expect(logged.text).not.toContain(secret);
    }
  });
});
