/**
 * Version history, as editors use it through the admin API: every write of an article, entity or
 * image is a version (whoever made it: an admin, an API token, the scheduler), word diffs, restore
 * of a whole version or of one field, blame, pinning against retention, who may read what, and the
 * public revision trail.
 */
import fc from 'fast-check';
import request from 'supertest';
import type { Knex } from 'knex';
import { runParameters, Tally } from '../helpers/fuzz';
import { accountsEnv, ADMIN, adminLogin, AUTHOR, EDITOR, type AdminAccount } from '../helpers/admin';
import { createApiToken } from '../helpers/api-token';
import { appModule, bootStrapi, type TestApp } from '../helpers/strapi';

const ARTICLES = '/content-manager/collection-types/api::article.article';
const ENTITIES = '/content-manager/collection-types/api::entity.entity';
const HISTORY = '/newsroom/history';
const AUTHOR_2 = { email: 'stringer@example.com', password: 'Stringer-Author-2024' };

let app: TestApp;
let stop: () => Promise<void>;
let token: string;
const login = adminLogin(() => app.server);
const as = async (who: AdminAccount) => ({ Authorization: `Bearer ${await login(who)}` });

interface VersionSummary {
  id: number;
  createdAt: string;
  by: { kind: string; name: string; email?: string };
  action: string;
  status: string;
  published: boolean;
  pinned: boolean;
  note: string | null;
  bytes: number;
}

const { runSchedule } = appModule<{ runSchedule: (s: unknown) => Promise<{ published: unknown[]; refused: unknown[] }> }>('src/schedule');
const { pruneHistory } = appModule<{ pruneHistory: (s: unknown, o: { retentionDays: number; maxVersions: number; batchSize?: number }) => Promise<{ ran: boolean; byAge: number; byCount: number }> }>('src/history');

beforeAll(async () => {
  ({ app, stop } = await bootStrapi({
    env: { ...accountsEnv('ADMIN', 'EDITOR', 'AUTHOR'), PUBLIC_REVISIONS: 'true', SCHEDULE_INTERVAL_SECONDS: '60', REBUILD_POLL_MS: '600000' },
  }));
  const role = await app.strapi.service('admin::role').findOne({ code: 'strapi-author' });
  await app.strapi.service('admin::user').create({ ...AUTHOR_2, firstname: 'Stringer', lastname: 'Author', isActive: true, registrationToken: null, roles: [role.id] });
  token = await createApiToken(app.strapi, 'full-access');
}, 120_000);

afterAll(async () => {
  await stop?.();
});

const knex = () => app.strapi.db.connection as unknown as Knex;

async function versions(documentId: string, who: AdminAccount = EDITOR, uid = 'api::article.article', query = 'locale=en&pageSize=100'): Promise<VersionSummary[]> {
  const res = await request(app.server).get(`${HISTORY}/${uid}/${documentId}?${query}`).set(await as(who)).expect(200);
  return res.body.data;
}

async function draft(who: AdminAccount, data: Record<string, unknown>): Promise<string> {
  const res = await request(app.server).post(`${ARTICLES}?locale=en`).set(await as(who)).send({ dateline: '2024-04-12', ...data }).expect(201);
  return res.body.data.documentId;
}

const save = async (who: AdminAccount, documentId: string, data: Record<string, unknown>) =>
  request(app.server).put(`${ARTICLES}/${documentId}?locale=en`).set(await as(who)).send(data).expect(200);

const publish = async (documentId: string) => request(app.server).post(`${ARTICLES}/${documentId}/actions/publish?locale=en`).set(await as(EDITOR)).send({}).expect(200);

describe('every write is a version', () => {
  it('three saves by an admin, an API token and the scheduler are three versions, newest first, with who made each', async () => {
    const id = await draft(EDITOR, { title: 'History: three saves', slug: 'history-three-saves', standfirst: 'First words.' });
    await request(app.server).put(`/api/articles/${id}?locale=en&status=draft`).set('Authorization', `Bearer ${token}`).send({ data: { standfirst: 'Second words.' } }).expect(200);
    await save(EDITOR, id, { publishAt: new Date(Date.now() - 1_000).toISOString() });
    const run = await runSchedule(app.strapi);
    expect(run).toMatchObject({ published: [{ documentId: id, locale: 'en' }], refused: [] });

    const list = await versions(id);
    expect(list.map((v) => [v.action, v.by.kind, v.status, v.published])).toEqual([
      ['publish', 'scheduler', 'published', true],
      ['update', 'admin', 'draft', false],
      ['update', 'api-token', 'draft', false],
      ['create', 'admin', 'draft', false],
    ]);
    expect(list[3].by).toMatchObject({ kind: 'admin', email: EDITOR.email });
    expect(list[2].by.name).toMatch(/^test-full-access-/);
    expect(list[0].by).toEqual({ kind: 'scheduler', name: 'scheduler' });
    for (const v of list) expect(v.bytes).toBeGreaterThan(100);
    // Newest first, by id and by time.
    expect([...list].sort((a, b) => b.id - a.id)).toEqual(list);

    const one = await request(app.server).get(`${HISTORY}/versions/${list[2].id}`).set(await as(EDITOR)).expect(200);
    expect(one.body.data.content).toMatchObject({ title: 'History: three saves', standfirst: 'Second words.', slug: 'history-three-saves' });
    expect(one.body.data.schema).toEqual({ missing: [], unknown: {} });
  });

  it('a GraphQL mutation is a version too, by its API token', async () => {
    const id = await draft(EDITOR, { title: 'History: GraphQL', slug: 'history-graphql', standfirst: 'Before.' });
    const res = await request(app.server)
      .post('/graphql')
      .set('Authorization', `Bearer ${token}`)
      .send({ query: `mutation { updateArticle(documentId: "${id}", locale: "en", status: DRAFT, data: { standfirst: "After, through GraphQL." }) { documentId } }` })
      .expect(200);
    expect(res.body.errors).toBeUndefined();
    const [latest] = await versions(id);
    expect(latest).toMatchObject({ action: 'update', by: { kind: 'api-token' } });
    const one = await request(app.server).get(`${HISTORY}/versions/${latest.id}`).set(await as(EDITOR)).expect(200);
    expect(one.body.data.content.standfirst).toBe('After, through GraphQL.');
  });

  it('a write that rolls back leaves no version, and a refused one (400) none either', async () => {
    const id = await draft(EDITOR, { title: 'History: rollback', slug: 'history-rollback', standfirst: 'Kept.' });
    const before = await versions(id);
    await expect(
      app.strapi.db.transaction(async () => {
        await app.strapi.documents('api::article.article').update({ documentId: id, locale: 'en', data: { standfirst: 'Rolled back.' } } as never);
        throw new Error('the caller gives up');
      }),
    ).rejects.toThrow('the caller gives up');
    const bad = await request(app.server).put(`${ARTICLES}/${id}?locale=en`).set(await as(EDITOR)).send({ slug: 'Not A Slug' });
    expect(bad.status).toBe(400);
    expect(await versions(id)).toEqual(before);
    const stored = await app.strapi.documents('api::article.article').findOne({ documentId: id, locale: 'en' } as never);
    expect((stored as { standfirst: string }).standfirst).toBe('Kept.');
  });

  it('entities and images are versioned too, for Editors and admins only', async () => {
    const res = await request(app.server).post(ENTITIES).set(await as(EDITOR)).send({ name: 'History Person', slug: 'history-person', kind: 'person' }).expect(201);
    const id = res.body.data.documentId;
    await request(app.server).put(`${ENTITIES}/${id}`).set(await as(ADMIN)).send({ description: 'A person in a test.' }).expect(200);
    const list = await versions(id, EDITOR, 'api::entity.entity', 'pageSize=10');
    expect(list.map((v) => [v.action, v.by.email, v.status])).toEqual([
      ['update', ADMIN.email, 'published'],
      ['create', EDITOR.email, 'published'],
    ]);
    await request(app.server).get(`${HISTORY}/api::entity.entity/${id}`).set(await as(AUTHOR)).expect(403);
  });
});

describe('comparing and restoring', () => {
  let id: string;
  let first: VersionSummary;

  beforeAll(async () => {
    id = await draft(EDITOR, { title: 'History: diff', slug: 'history-diff', standfirst: 'The envoy warned allies on Tuesday.' });
    await publish(id);
    await save(EDITOR, id, { standfirst: 'The envoy cautioned allies on Wednesday.' });
    first = (await versions(id)).at(-1)!;
  });

  it('a diff against the current draft shows the words deleted and inserted', async () => {
    const res = await request(app.server).get(`${HISTORY}/versions/${first.id}/diff`).set(await as(EDITOR)).expect(200);
    expect(res.body.data.from.id).toBe(first.id);
    expect(res.body.data.to).toEqual({ id: null, draft: true });
    const fields = Object.fromEntries(res.body.data.fields.map((f: { field: string }) => [f.field, f]));
    expect(fields.title.change).toBe('unchanged');
    expect(fields.standfirst.change).toBe('changed');
    const words = fields.standfirst.words as { value: string; added?: boolean; removed?: boolean }[];
    expect(words.filter((w) => w.removed).map((w) => w.value.trim())).toEqual(['warned', 'Tuesday']);
    expect(words.filter((w) => w.added).map((w) => w.value.trim())).toEqual(['cautioned', 'Wednesday']);
    expect(words.filter((w) => !w.added).map((w) => w.value).join('')).toBe('The envoy warned allies on Tuesday.');
  });

  it('a diff against another version; an unknown version or one of another document is 404', async () => {
    const list = await versions(id);
    const res = await request(app.server).get(`${HISTORY}/versions/${first.id}/diff?against=${list[0].id}`).set(await as(EDITOR)).expect(200);
    expect(res.body.data.to.id).toBe(list[0].id);
    const other = (await versions(await draft(EDITOR, { title: 'Another', slug: 'history-another' })))[0];
    const wrong = await request(app.server).get(`${HISTORY}/versions/${first.id}/diff?against=${other.id}`).set(await as(EDITOR)).expect(404);
    expect(wrong.body.error).toMatchObject({ status: 404, name: 'NotFoundError' });
  });

  it('restoring one field writes a new draft save of it, leaves the rest and the published version alone', async () => {
    await save(EDITOR, id, { title: 'History: diff, retitled' });
    const res = await request(app.server).post(`${HISTORY}/versions/${first.id}/restore`).set(await as(EDITOR)).send({ fields: ['standfirst'] }).expect(200);
    expect(res.body.data).toMatchObject({ documentId: id, locale: 'en', restoredFrom: first.id, restored: ['standfirst'] });
    expect(res.body.meta.dropped).toEqual([]);
    const stored = (await app.strapi.documents('api::article.article').findOne({ documentId: id, locale: 'en' } as never)) as Record<string, unknown>;
    expect(stored).toMatchObject({ standfirst: 'The envoy warned allies on Tuesday.', title: 'History: diff, retitled' });
    const list = await versions(id);
    expect(list[0]).toMatchObject({ action: 'update', note: `Restored standfirst from version ${first.id}`, status: 'modified', by: { email: EDITOR.email } });
    // History is never rewritten: the restored version is still there, as it was.
    expect(list.at(-1)).toEqual(first);
    // The published version is untouched until someone publishes.
    const published = await request(app.server).get('/api/articles/slug/history-diff?locale=en').expect(200);
    expect(published.body.data.standfirst).toBe('The envoy warned allies on Tuesday.');
    expect(published.body.data.title).toBe('History: diff');
  });

  it('after a restore, a save made from the version opened before it is refused (no lost edits)', async () => {
    const opened = (await request(app.server).get(`${ARTICLES}/${id}?locale=en`).set(await as(ADMIN)).expect(200)).body.data.updatedAt;
    await request(app.server).post(`${HISTORY}/versions/${first.id}/restore`).set(await as(EDITOR)).send({ fields: ['title'] }).expect(200);
    const stale = await request(app.server).put(`${ARTICLES}/${id}?locale=en`).set(await as(ADMIN)).set('x-newsroom-version', opened).send({ standfirst: 'Typed over the restore.' });
    expect(stale.status).toBe(400);
    expect(stale.body.error.details.conflict).toMatchObject({ updatedBy: 'Desk Editor' });
    const stored = (await app.strapi.documents('api::article.article').findOne({ documentId: id, locale: 'en' } as never)) as Record<string, unknown>;
    expect(stored.standfirst).not.toBe('Typed over the restore.');
  });

  it('restoring a whole version brings every field back', async () => {
    await request(app.server).post(`${HISTORY}/versions/${first.id}/restore`).set(await as(EDITOR)).send({}).expect(200);
    const stored = (await app.strapi.documents('api::article.article').findOne({ documentId: id, locale: 'en' } as never)) as Record<string, unknown>;
    expect(stored).toMatchObject({ title: 'History: diff', standfirst: 'The envoy warned allies on Tuesday.', slug: 'history-diff' });
  });

  it('restoring brings back sections and the public log as they were, in order', async () => {
    const para = (text: string) => [{ type: 'paragraph', children: [{ type: 'text', text }] }];
    const sectionsThen = [{ heading: null, body: para('The lead, then.') }, { heading: 'Then', body: para('The second section, then.') }];
    const logThen = [{ kind: 'update', at: '2024-04-10T10:00:00.000Z', note: 'First update.' }];
    const article = await draft(EDITOR, { title: 'History: sections', slug: 'history-sections', sections: sectionsThen, updates: logThen });
    const [then] = await versions(article);
    await save(EDITOR, article, { sections: [{ heading: 'Now', body: para('Only one section now.') }], updates: [] });
    const diff = await request(app.server).get(`${HISTORY}/versions/${then.id}/diff`).set(await as(EDITOR)).expect(200);
    const sections = diff.body.data.fields.find((f: { field: string }) => f.field === 'sections');
    expect(sections.words.filter((w: { removed?: boolean }) => w.removed).map((w: { value: string }) => w.value).join('')).toMatch(/lead, then/);
    await request(app.server).post(`${HISTORY}/versions/${then.id}/restore`).set(await as(EDITOR)).send({ fields: ['sections', 'updates'] }).expect(200);
    const stored = (await app.strapi.documents('api::article.article').findOne({ documentId: article, locale: 'en', populate: ['sections', 'updates'] } as never)) as unknown as {
      sections: { heading: string | null; body: unknown }[];
      updates: { kind: string; at: string; note: string }[];
    };
    expect(stored.sections.map((x) => ({ heading: x.heading, body: x.body }))).toEqual(sectionsThen);
    expect(stored.updates.map((u) => ({ kind: u.kind, at: new Date(u.at).toISOString(), note: u.note }))).toEqual(logThen);
  });

  it('a restore after a related entity was deleted names what could not come back', async () => {
    const keep = await app.strapi.documents('api::entity.entity').create({ data: { name: 'Kept Ministry', slug: 'kept-ministry', kind: 'organization' } } as never);
    const gone = await app.strapi.documents('api::entity.entity').create({ data: { name: 'Dissolved Council', slug: 'dissolved-council', kind: 'organization' } } as never);
    const article = await draft(EDITOR, { title: 'History: relations', slug: 'history-relations', entities: { connect: [keep.documentId, gone.documentId] } });
    const [withBoth] = await versions(article);
    expect((await request(app.server).get(`${HISTORY}/versions/${withBoth.id}`).set(await as(EDITOR))).body.data.content.entities).toEqual([
      { documentId: keep.documentId, label: 'Kept Ministry' },
      { documentId: gone.documentId, label: 'Dissolved Council' },
    ]);
    await save(EDITOR, article, { entities: { disconnect: [keep.documentId, gone.documentId] } });
    await app.strapi.documents('api::entity.entity').delete({ documentId: gone.documentId } as never);

    const diff = await request(app.server).get(`${HISTORY}/versions/${withBoth.id}/diff`).set(await as(EDITOR)).expect(200);
    expect(diff.body.data.fields.find((f: { field: string }) => f.field === 'entities')).toMatchObject({ change: 'removed', unlinked: ['Kept Ministry', 'Dissolved Council'], linked: [] });

    const res = await request(app.server).post(`${HISTORY}/versions/${withBoth.id}/restore`).set(await as(EDITOR)).send({ fields: ['entities'] }).expect(200);
    expect(res.body.meta.dropped).toEqual([{ field: 'entities', documentId: gone.documentId, label: 'Dissolved Council', reason: 'deleted since' }]);
    const stored = (await app.strapi.documents('api::article.article').findOne({ documentId: article, locale: 'en', populate: { entities: { fields: ['name'] } } } as never)) as unknown as { entities: { name: string }[] };
    expect(stored.entities.map((e) => e.name)).toEqual(['Kept Ministry']);
  });

  it('a version saved under an older schema opens and restores: missing fields named, unknown ones apart', async () => {
    const article = await draft(EDITOR, { title: 'History: old schema', slug: 'history-old-schema', standfirst: 'Now.' });
    const [latest] = await versions(article);
    const row = await knex()('history_versions').where({ id: latest.id }).first();
    // As if saved before `standfirst` existed and while a `kicker` field did.
    const oldFields = { title: 'string', slug: 'uid', dateline: 'date', kicker: 'string' };
    const now = new Date();
    await knex()('history_schemas').insert({ hash: 'old-schema-for-test', target_uid: 'api::article.article', fields: JSON.stringify(oldFields), created_at: now, updated_at: now });
    const content = { title: 'History: old schema, then', slug: 'history-old-schema', dateline: '2024-04-11', kicker: 'EXCLUSIVE' };
    const [{ id: oldId }] = await knex()('history_versions')
      .insert({ ...row, id: undefined, schema_hash: 'old-schema-for-test', content: JSON.stringify(content), saved_at: new Date(now.getTime() - 86_400_000) })
      .returning('id');
    const opened = await request(app.server).get(`${HISTORY}/versions/${oldId}`).set(await as(EDITOR)).expect(200);
    expect(opened.body.data.content).toEqual({ title: 'History: old schema, then', slug: 'history-old-schema', dateline: '2024-04-11' });
    expect(opened.body.data.schema.unknown).toEqual({ kicker: 'EXCLUSIVE' });
    expect(opened.body.data.schema.missing).toEqual(expect.arrayContaining(['standfirst', 'sections', 'heroImage']));

    const diff = await request(app.server).get(`${HISTORY}/versions/${oldId}/diff`).set(await as(EDITOR)).expect(200);
    const kicker = diff.body.data.fields.find((f: { field: string }) => f.field === 'kicker');
    expect(kicker).toMatchObject({ schema: 'only-before', change: 'removed' });
    expect(diff.body.data.fields.find((f: { field: string }) => f.field === 'standfirst')).toMatchObject({ schema: 'only-after', change: 'added' });

    const restored = await request(app.server).post(`${HISTORY}/versions/${oldId}/restore`).set(await as(EDITOR)).send({}).expect(200);
    expect(restored.body.meta.dropped).toEqual([{ field: 'kicker', label: 'kicker', reason: 'field no longer exists' }]);
    expect(restored.body.meta.missing).toEqual(expect.arrayContaining(['standfirst']));
    const stored = (await app.strapi.documents('api::article.article').findOne({ documentId: article, locale: 'en' } as never)) as Record<string, unknown>;
    expect(stored).toMatchObject({ title: 'History: old schema, then', dateline: '2024-04-11', standfirst: 'Now.' });
  });

  it('blame names, per field and per section, the version (who, when) that last changed it', async () => {
    const article = await draft(ADMIN, { title: 'History: blame', slug: 'history-blame', standfirst: 'By the chief.', sections: [{ heading: 'One', body: [{ type: 'paragraph', children: [{ type: 'text', text: 'First.' }] }] }] });
    await save(EDITOR, article, { standfirst: 'By the desk.' });
    const res = await request(app.server).get(`${HISTORY}/api::article.article/${article}/blame?locale=en`).set(await as(EDITOR)).expect(200);
    const by = Object.fromEntries(res.body.data.map((l: { field: string; by: { email: string } }) => [l.field, l.by.email]));
    expect(by).toMatchObject({ title: ADMIN.email, standfirst: EDITOR.email, 'sections.0': ADMIN.email, sections: ADMIN.email });
    expect(res.body.meta.versions).toBe(2);
  });

  it('bad ids, fields and bodies are 400 or 404 in the admin error shape', async () => {
    const h = await as(EDITOR);
    const cases: [string, string, unknown, number, RegExp][] = [
      ['get', `${HISTORY}/versions/abc`, undefined, 400, /version id/],
      ['get', `${HISTORY}/versions/99999999`, undefined, 404, /No version 99999999/],
      ['post', `${HISTORY}/versions/${first.id}/restore`, { fields: ['nope'] }, 400, /no such field: nope/],
      ['post', `${HISTORY}/versions/${first.id}/restore`, { fields: [] }, 400, /at least one field/],
      // Found by the generated restore bodies below: was a 500 (a field name looked up on the prototype).
      ['post', `${HISTORY}/versions/${first.id}/restore`, { fields: ['__proto__', 'constructor'] }, 400, /no such field: __proto__, constructor/],
      ['post', `${HISTORY}/versions/${first.id}/restore`, { fields: ['firstPublishedAt'] }, 400, /cannot be restored/],
      ['post', `${HISTORY}/versions/${first.id}/restore`, { field: 'standfirst' }, 400, /field/],
      ['get', `${HISTORY}/versions/${first.id}/diff?against=0`, undefined, 400, /version id/],
      ['get', `${HISTORY}/api::nothing.nothing/x`, undefined, 400, /has no history/],
      ['get', `${HISTORY}/api::article.article/${id}?pageSize=1000`, undefined, 400, /pageSize: must be at most 100/],
      ['get', `${HISTORY}/api::article.article/${id}?locale=../etc`, undefined, 400, /locale/],
      ['get', `${HISTORY}/api::article.article/${id}?unknown=1`, undefined, 400, /unknown/i],
    ];
    for (const [method, path, body, status, message] of cases) {
      const res = await (method === 'get' ? request(app.server).get(path).set(h) : request(app.server).post(path).set(h).send(body as object));
      expect([path, res.status]).toEqual([path, status]);
      expect(res.body.error).toMatchObject({ status, message: expect.stringMatching(message) });
    }
    await request(app.server).get(`${HISTORY}/versions/${first.id}`).expect(401);
  });
});

describe('who may read which history', () => {
  it("an Author reads the history of their own articles, not another author's", async () => {
    const mine = await draft(AUTHOR, { title: 'History: by the writer', slug: 'history-by-writer' });
    const theirs = await draft(AUTHOR_2, { title: 'History: by the stringer', slug: 'history-by-stringer' });
    expect((await versions(mine, AUTHOR)).length).toBe(1);
    await request(app.server).get(`${HISTORY}/api::article.article/${theirs}?locale=en`).set(await as(AUTHOR)).expect(403);
    const [theirVersion] = await versions(theirs, AUTHOR_2);
    await request(app.server).get(`${HISTORY}/versions/${theirVersion.id}`).set(await as(AUTHOR)).expect(403);
    await request(app.server).post(`${HISTORY}/versions/${theirVersion.id}/restore`).set(await as(AUTHOR)).send({}).expect(403);
    await request(app.server).post(`${HISTORY}/versions/${theirVersion.id}/pin`).set(await as(AUTHOR_2)).expect(403);
  });
});

describe('retention', () => {
  it('bounds draft versions by age and count; published, pinned and each newest version are kept', async () => {
    const article = await draft(EDITOR, { title: 'History: retention', slug: 'history-retention', standfirst: 'v1' });
    await publish(article);
    for (let i = 2; i <= 9; i++) await save(EDITOR, article, { standfirst: `v${i}` });
    const all = await versions(article);
    expect(all).toHaveLength(10); // create, publish, 8 saves
    const drafts = all.filter((v) => !v.published);
    const pinned = drafts[drafts.length - 2];
    await request(app.server).post(`${HISTORY}/versions/${pinned.id}/pin`).set(await as(EDITOR)).expect(200);
    // Two of the newer saves are old (as if their clock said so): age prunes them whatever their place.
    const old = drafts.slice(1, 3).map((v) => v.id);
    await knex()('history_versions').whereIn('id', old).update({ saved_at: new Date(Date.now() - 100 * 86_400_000) });

    const run = await pruneHistory(app.strapi, { retentionDays: 90, maxVersions: 3, batchSize: 2 });
    expect(run.ran).toBe(true);
    expect(run.byAge).toBeGreaterThanOrEqual(2);
    const left = await versions(article);
    const leftDrafts = left.filter((v) => !v.published && !v.pinned);
    expect(leftDrafts.map((v) => v.id)).toEqual(drafts.filter((v) => v.id !== pinned.id && !old.includes(v.id)).slice(0, 3).map((v) => v.id));
    expect(left.find((v) => v.id === pinned.id)).toMatchObject({ pinned: true });
    expect(left.filter((v) => v.published)).toHaveLength(1);
    for (const id of old) expect(left.some((v) => v.id === id)).toBe(false);

    // Unpinned, the held version goes at the next run.
    await request(app.server).delete(`${HISTORY}/versions/${pinned.id}/pin`).set(await as(EDITOR)).expect(200);
    await pruneHistory(app.strapi, { retentionDays: 90, maxVersions: 3 });
    expect((await versions(article)).some((v) => v.id === pinned.id)).toBe(false);
  });
});

describe('the public revision trail', () => {
  let article: string;
  const correction = { kind: 'correction', at: '2024-04-11T09:00:00.000Z', note: 'An earlier version misnamed the envoy.' };

  beforeAll(async () => {
    article = await draft(EDITOR, { title: 'History: trail', slug: 'history-trail', standfirst: 'The first text.' });
    await publish(article);
    await save(EDITOR, article, { standfirst: 'A draft nobody published.' });
    await save(EDITOR, article, { standfirst: 'The corrected text.', updates: [correction] });
    await publish(article);
  });

  it('lists the published versions only, each with the notes it added', async () => {
    const res = await request(app.server).get('/api/articles/slug/history-trail/revisions?locale=en').expect(200);
    expect(res.body.data.map((r: { revision: number; notes: unknown[] }) => [r.revision, r.notes])).toEqual([
      [1, []],
      [2, [correction]],
    ]);
    const two = await request(app.server).get('/api/articles/slug/history-trail/revisions/2?locale=en').expect(200);
    expect(two.body.data.article).toMatchObject({ title: 'History: trail', standfirst: 'The corrected text.' });
    const one = await request(app.server).get('/api/articles/slug/history-trail/revisions/1?locale=en').expect(200);
    expect(one.body.data.article.standfirst).toBe('The first text.');
    // Only what the public article shows.
    const view = await request(app.server).get('/api/articles/slug/history-trail?locale=en').expect(200);
    expect(Object.keys(view.body.data)).toEqual(expect.arrayContaining(Object.keys(one.body.data.article)));
    await request(app.server).get('/api/articles/slug/history-trail/revisions/3?locale=en').expect(404);
    await request(app.server).get('/api/articles/slug/history-trail/revisions/0?locale=en').expect(400);
  });

  it("names, in the article's public log, the revision that carried each correction", async () => {
    const res = await request(app.server).get('/api/articles/slug/history-trail?locale=en').expect(200);
    expect(res.body.data.updates).toEqual([expect.objectContaining({ note: correction.note, revision: 2 })]);
  });

  it('hides a withheld version from the trail (451 for its text) without deleting it', async () => {
    const published = (await versions(article)).filter((v) => v.published);
    const first = published.at(-1)!;
    await request(app.server).post(`${HISTORY}/versions/${first.id}/withhold`).set(await as(AUTHOR)).send({}).expect(403);
    await request(app.server).post(`${HISTORY}/versions/${first.id}/withhold`).set(await as(ADMIN)).send({ reason: 'Court order' }).expect(200);
    const trail = await request(app.server).get('/api/articles/slug/history-trail/revisions?locale=en').expect(200);
    expect(trail.body.data.map((r: { revision: number }) => r.revision)).toEqual([2]);
    const text = await request(app.server).get('/api/articles/slug/history-trail/revisions/1?locale=en').expect(451);
    expect(text.body.error).toMatchObject({ status: 451, message: 'Revision 1 is withheld' });
    // Still in the history, for the newsroom.
    await request(app.server).get(`${HISTORY}/versions/${first.id}`).set(await as(EDITOR)).expect(200);
    const drafts = (await versions(article)).filter((v) => !v.published);
    await request(app.server).post(`${HISTORY}/versions/${drafts[0].id}/withhold`).set(await as(ADMIN)).send({}).expect(400);
  });
});

describe('generated requests to the history API', () => {
  const tally = new Tally('generated history API requests per class (reached = answered by the route: its data, or a 400 naming what is wrong)');
  const FIELDS = ['title', 'slug', 'standfirst', 'dateline', 'sections', 'updates', 'entities', 'heroImage', 'authors', 'firstPublishedAt', 'publishAt', 'kicker', 'id', '__proto__', ''];
  const field = fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 12 }));
  const restoreBody = fc.oneof(
    { weight: 4, arbitrary: fc.record({ fields: fc.array(field, { maxLength: 4 }) }) },
    { weight: 1, arbitrary: fc.record({ fields: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 })) }) },
    { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('fields', 'field', 'all', 'data'), fc.jsonValue(), { maxKeys: 3 }) },
    { weight: 1, arbitrary: fc.constantFrom({}, [], null) },
  );
  const value = fc.oneof(fc.constantFrom('en', 'ru', 'xx', 'en-GB', '../x', '', '1', '0', '-1', '100', '101', '1e3', 'abc'), fc.string({ maxLength: 8 }));
  const listQuery = fc.dictionary(fc.constantFrom('locale', 'page', 'pageSize', 'sort', 'filters', 'x'), value, { maxKeys: 3 }).map((q) => new URLSearchParams(q).toString());
  let article: string;
  let older: number;
  let before: string;

  beforeAll(async () => {
    article = await draft(EDITOR, { title: 'History: generated', slug: 'history-generated', standfirst: 'Generated one.' });
    await save(EDITOR, article, { standfirst: 'Generated two.' });
    older = (await versions(article)).at(-1)!.id;
  });

  afterAll(() => {
    process.stdout.write(`${tally.report()}\n`);
  });

  const reached = (res: request.Response) => res.status === 200 || (res.status === 400 && Array.isArray(res.body?.error?.details?.errors) && res.body.error.details.errors.length > 0);
  const draftText = async () => JSON.stringify(await app.strapi.documents('api::article.article').findOne({ documentId: article, locale: 'en' } as never));

  it('restore bodies: no 5xx, JSON; a refused restore changes nothing', async () => {
    const h = await as(EDITOR);
    await fc.assert(
      fc.asyncProperty(restoreBody, async (body) => {
        before = await draftText();
        const res = await request(app.server).post(`${HISTORY}/versions/${older}/restore`).set(h).send(body as object).ok(() => true);
        expect(res.status).toBeLessThan(500);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        if (res.status !== 200) expect(await draftText()).toBe(before);
        tally.count('POST .../versions/:id/restore', reached(res), `${res.status} ${String(res.body?.error?.message ?? '').slice(0, 30)}`);
      }),
      runParameters(17_017, 0, 80),
    );
    expect(tally.starved(['POST .../versions/:id/restore'])).toEqual([]);
  }, 120_000);

  it('list queries: no 5xx, JSON, 200 or a 400 naming the parameter', async () => {
    const h = await as(EDITOR);
    await fc.assert(
      fc.asyncProperty(listQuery, async (query) => {
        const res = await request(app.server).get(`${HISTORY}/api::article.article/${article}?${query}`).set(h).ok(() => true);
        expect(res.status).toBeLessThan(500);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        tally.count('GET .../history/:uid/:documentId', reached(res), `${res.status} ${String(res.body?.error?.message ?? '').slice(0, 30)}`);
      }),
      runParameters(17_017, 1, 80),
    );
    expect(tally.starved(['GET .../history/:uid/:documentId'])).toEqual([]);
  }, 120_000);
});
