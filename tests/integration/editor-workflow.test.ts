/**
 * The newsroom's roles and its public log of corrections, through the admin API as each role
 * uses it, and what readers then get over REST and GraphQL.
 */
import request from 'supertest';
import { accountsEnv, ADMIN, adminLogin, AUTHOR, EDITOR } from '../helpers/admin';
import { bootStrapi, type TestApp } from '../helpers/strapi';
import { story } from '../helpers/story';

const AUTHOR_2 = { email: 'stringer@example.com', password: 'Stringer-Author-2024' };
const ARTICLES = '/content-manager/collection-types/api::article.article';

let app: TestApp;
let stop: () => Promise<void>;
let storyId: string;
const login = adminLogin(() => app.server);
const as = async (who: typeof ADMIN) => ({ Authorization: `Bearer ${await login(who)}` });

beforeAll(async () => {
  ({ app, stop } = await bootStrapi({
    env: accountsEnv('ADMIN', 'EDITOR', 'AUTHOR'),
  }));
  // A second author, as an admin would invite one.
  const role = await app.strapi.service('admin::role').findOne({ code: 'strapi-author' });
  await app.strapi.service('admin::user').create({ ...AUTHOR_2, firstname: 'Stringer', lastname: 'Author', isActive: true, registrationToken: null, roles: [role.id] });
  const found = await app.strapi.documents('api::article.article').findFirst({ locale: 'en', filters: { slug: story.slug }, fields: ['documentId'] });
  storyId = found!.documentId;
}, 120_000);

afterAll(async () => {
  await stop?.();
});

async function authorDraft(who: typeof AUTHOR, slug: string): Promise<string> {
  const res = await request(app.server)
    .post(`${ARTICLES}?locale=en`)
    .set(await as(who))
    .send({ title: `Draft by ${who.email}`, slug, dateline: '2024-04-12', standfirst: 'A first draft.' })
    .expect(201);
  return res.body.data.documentId;
}

describe('an Author', () => {
  it('writes and edits a draft of their own', async () => {
    const id = await authorDraft(AUTHOR, 'authors-own-draft');
    const edited = await request(app.server)
      .put(`${ARTICLES}/${id}?locale=en`)
      .set(await as(AUTHOR))
      .send({ standfirst: 'A second draft.' })
      .expect(200);
    expect(edited.body.data).toMatchObject({ documentId: id, standfirst: 'A second draft.', publishedAt: null });
  });

  it('cannot publish (403), and the draft stays unpublished', async () => {
    const id = await authorDraft(AUTHOR, 'authors-unpublishable-draft');
    await request(app.server).post(`${ARTICLES}/${id}/actions/publish?locale=en`).set(await as(AUTHOR)).send({}).expect(403);
    const pub = await request(app.server).get('/api/articles').query({ 'filters[slug][$eq]': 'authors-unpublishable-draft' }).expect(200);
    expect(pub.body.data).toEqual([]);
  });

  it("cannot open or change another author's draft, nor the seeded story (403)", async () => {
    const theirs = await authorDraft(AUTHOR_2, 'someone-elses-draft');
    const auth = await as(AUTHOR);
    await request(app.server).get(`${ARTICLES}/${theirs}?locale=en`).set(auth).expect(403);
    await request(app.server).put(`${ARTICLES}/${theirs}?locale=en`).set(auth).send({ standfirst: 'Mine now' }).expect(403);
    await request(app.server).get(`${ARTICLES}/${storyId}?locale=en`).set(auth).expect(403);
    const list = await request(app.server).get(`${ARTICLES}?locale=en`).set(auth).expect(200);
    expect(list.body.results.map((a: { slug: string }) => a.slug).sort()).toEqual(['authors-own-draft', 'authors-unpublishable-draft']);
  });

  it("can see entities and images to link them, but not change them", async () => {
    const auth = await as(AUTHOR);
    await request(app.server).get('/content-manager/collection-types/api::entity.entity').set(auth).expect(200);
    const entity = await app.strapi.documents('api::entity.entity').findFirst({});
    await request(app.server).put(`/content-manager/collection-types/api::entity.entity/${entity!.documentId}`).set(auth).send({ name: 'Renamed' }).expect(403);
  });
});

describe('an Editor', () => {
  it("publishes an author's draft", async () => {
    const id = await authorDraft(AUTHOR, 'edited-and-published');
    await request(app.server).post(`${ARTICLES}/${id}/actions/publish?locale=en`).set(await as(EDITOR)).send({}).expect(200);
    const pub = await request(app.server).get('/api/articles').query({ 'filters[slug][$eq]': 'edited-and-published' }).expect(200);
    expect(pub.body.data).toHaveLength(1);
  });

  it('unpublishes and edits any article', async () => {
    const id = await authorDraft(AUTHOR_2, 'unpublished-by-the-editor');
    const auth = await as(EDITOR);
    await request(app.server).put(`${ARTICLES}/${id}?locale=en`).set(auth).send({ standfirst: 'Subbed.' }).expect(200);
    await request(app.server).post(`${ARTICLES}/${id}/actions/publish?locale=en`).set(auth).send({}).expect(200);
    await request(app.server).post(`${ARTICLES}/${id}/actions/unpublish?locale=en`).set(auth).send({}).expect(200);
    const pub = await request(app.server).get('/api/articles').query({ 'filters[slug][$eq]': 'unpublished-by-the-editor' }).expect(200);
    expect(pub.body.data).toEqual([]);
  });
});

describe('updates and corrections', () => {
  it('the seeded story has none', async () => {
    const res = await request(app.server).get(`/api/articles/${storyId}`).expect(200);
    expect(res.body.data).toMatchObject({ updates: [], lastUpdatedAt: null });
  });

  it('a correction added by an editor is public over REST and GraphQL, with lastUpdatedAt from the log', async () => {
    const auth = await as(EDITOR);
    const current = await request(app.server).get(`${ARTICLES}/${storyId}?locale=en`).set(auth).expect(200);
    const updates = [
      { kind: 'update', at: '2024-04-10T18:00:00.000Z', note: 'Adds the White House response.' },
      { kind: 'correction', at: '2024-04-11T09:30:00.000Z', note: 'An earlier version misspelled the spokesperson’s name.' },
    ];
    await request(app.server)
      .post(`${ARTICLES}/${storyId}/actions/publish?locale=en`)
      .set(auth)
      .send({ ...current.body.data, updates, lastUpdatedAt: '2030-01-01T00:00:00.000Z' })
      .expect(200);

    const rest = await request(app.server).get(`/api/articles/${storyId}`).expect(200);
    expect(rest.body.data.updates.map(({ kind, at, note }: Record<string, string>) => ({ kind, at, note }))).toEqual(updates);
    // Derived from the log, not from what a client sent.
    expect(rest.body.data.lastUpdatedAt).toBe('2024-04-11T09:30:00.000Z');
    expect(rest.body.data.updatedAt).not.toBe(rest.body.data.lastUpdatedAt);

    const gql = await request(app.server)
      .post('/graphql')
      .send({ query: `{ article(documentId: "${storyId}") { lastUpdatedAt updates { kind at note } } }` })
      .expect(200);
    expect(gql.body.data.article).toEqual({ lastUpdatedAt: '2024-04-11T09:30:00.000Z', updates });
  });

  it('an entry added without a time is stamped with the time of the save', async () => {
    const id = await authorDraft(AUTHOR, 'stamped-correction');
    const before = Date.now();
    const res = await request(app.server)
      .put(`${ARTICLES}/${id}?locale=en`)
      .set(await as(AUTHOR))
      .send({ updates: [{ kind: 'correction', note: 'Fixes the date of the meeting.' }] })
      .expect(200);
    const stamped = Date.parse(res.body.data.updates[0].at);
    expect(stamped).toBeGreaterThanOrEqual(before - 1000);
    expect(stamped).toBeLessThanOrEqual(Date.now());
    expect(res.body.data.lastUpdatedAt).toBe(res.body.data.updates[0].at);
  });

  it('a typo fix moves updatedAt but not lastUpdatedAt', async () => {
    const before = (await request(app.server).get(`/api/articles/${storyId}`).expect(200)).body.data;
    const auth = await as(EDITOR);
    await request(app.server).put(`${ARTICLES}/${storyId}?locale=en`).set(auth).send({ standfirst: `${before.standfirst} ` }).expect(200);
    await request(app.server).post(`${ARTICLES}/${storyId}/actions/publish?locale=en`).set(auth).send({}).expect(200);
    const after = (await request(app.server).get(`/api/articles/${storyId}`).expect(200)).body.data;
    expect(after.updatedAt).not.toBe(before.updatedAt);
    expect(after.lastUpdatedAt).toBe(before.lastUpdatedAt);
  });
});

describe('what editors are told on a bad save (400 naming the field)', () => {
  it.each([
    [{ dateline: '1899-12-31' }, 'dateline', 'dateline must not be before 1900'],
    [{ dateline: '2999-01-01' }, 'dateline', 'dateline must not be more than a year ahead'],
    [{ publishAt: '2031-01-02T00:00:00.000Z', unpublishAt: '2031-01-01T00:00:00.000Z' }, 'publishAt', 'publishAt must be before unpublishAt'],
    [{ title: 'x'.repeat(301) }, 'title', 'title must be at most 300 characters'],
    [{ slug: 'Not A Slug' }, 'slug', 'slug must be lower-case letters and digits joined by single hyphens, e.g. us-warns-allies'],
    [{ updates: [{ kind: 'rumour', at: '2024-04-11T09:30:00.000Z', note: 'x' }] }, 'updates', expect.stringMatching(/^updates\[0\]\.kind must be one of the following values: update, correction, clarification/)],
    [{ updates: [{ kind: 'correction', at: '2024-04-11T09:30:00.000Z', note: ' ' }] }, 'updates', 'updates[0].note is required: say what changed'],
  ])('%j → %s', async (change, field, message) => {
    const id = await authorDraft(AUTHOR, `bad-save-${field.toLowerCase()}-${Math.random().toString(36).slice(2, 8)}`);
    const res = await request(app.server).put(`${ARTICLES}/${id}?locale=en`).set(await as(AUTHOR)).send(change).expect(400);
    expect(res.body.error).toMatchObject({ name: 'ValidationError', message });
    expect(res.body.error.details.errors[0].path[0]).toBe(field);
  });
});

describe('two people editing one article', () => {
  const open = async (who: typeof ADMIN, id: string) => {
    const res = await request(app.server).get(`${ARTICLES}/${id}?locale=en`).set(await as(who)).expect(200);
    return res.body.data as { updatedAt: string; standfirst: string };
  };

  it("the second save on top of a version it never saw is refused, naming who saved and when; nothing of it is stored", async () => {
    const id = await authorDraft(AUTHOR, 'two-editors');
    const mine = await open(EDITOR, id);
    const theirs = await open(ADMIN, id);
    await request(app.server)
      .put(`${ARTICLES}/${id}?locale=en`)
      .set({ ...(await as(ADMIN)), 'x-newsroom-version': theirs.updatedAt })
      .send({ standfirst: 'The chief’s standfirst.' })
      .expect(200);
    const refused = await request(app.server)
      .put(`${ARTICLES}/${id}?locale=en`)
      .set({ ...(await as(EDITOR)), 'x-newsroom-version': mine.updatedAt })
      .send({ standfirst: 'The desk’s standfirst.' })
      .expect(400);
    expect(refused.body.error).toMatchObject({
      name: 'ValidationError',
      message: expect.stringMatching(/^Chief Admin saved this at \d{4}-\d\d-\d\d \d\d:\d\d UTC, after the version you opened\. Your changes are not saved/),
      details: { conflict: { updatedBy: 'Chief Admin', yourVersion: mine.updatedAt } },
    });
    expect((await open(EDITOR, id)).standfirst).toBe('The chief’s standfirst.');
    // The same goes for Publish, which saves first.
    await request(app.server)
      .post(`${ARTICLES}/${id}/actions/publish?locale=en`)
      .set({ ...(await as(EDITOR)), 'x-newsroom-version': mine.updatedAt })
      .send({ standfirst: 'The desk’s standfirst.' })
      .expect(400);
    const pub = await request(app.server).get('/api/articles').query({ 'filters[slug][$eq]': 'two-editors' }).expect(200);
    expect(pub.body.data).toEqual([]);
  });

  it('a save or publish made from the current version goes through, and so does one that names none', async () => {
    const id = await authorDraft(AUTHOR, 'one-editor');
    const current = await open(EDITOR, id);
    const saved = await request(app.server)
      .put(`${ARTICLES}/${id}?locale=en`)
      .set({ ...(await as(EDITOR)), 'x-newsroom-version': current.updatedAt })
      .send({ standfirst: 'First pass.' })
      .expect(200);
    await request(app.server)
      .post(`${ARTICLES}/${id}/actions/publish?locale=en`)
      .set({ ...(await as(EDITOR)), 'x-newsroom-version': saved.body.data.updatedAt })
      .send({ standfirst: 'Second pass.' })
      .expect(200);
    await request(app.server).put(`${ARTICLES}/${id}?locale=en`).set(await as(EDITOR)).send({ standfirst: 'No version named.' }).expect(200);
  });

  it('over the content API, If-Match with a stale updatedAt is a 412; the current one passes', async () => {
    const { createApiToken } = await import('../helpers/api-token');
    const auth = { Authorization: `Bearer ${await createApiToken(app.strapi)}` };
    const id = await authorDraft(AUTHOR, 'api-if-match');
    const draft = await request(app.server).get(`/api/articles/${id}`).query({ status: 'draft', locale: 'en' }).set(auth).expect(200);
    const version = draft.body.data.updatedAt;
    await request(app.server).put(`${ARTICLES}/${id}?locale=en`).set(await as(EDITOR)).send({ standfirst: 'Edited in the admin.' }).expect(200);
    const stale = await request(app.server)
      .put(`/api/articles/${id}?locale=en&status=draft`)
      .set({ ...auth, 'If-Match': `"${version}"` })
      .send({ data: { standfirst: 'From the API.' } })
      .expect(412);
    expect(stale.body.error).toMatchObject({ status: 412, message: expect.stringMatching(/^Desk Editor saved this at/) });
    const now = (await request(app.server).get(`/api/articles/${id}`).query({ status: 'draft', locale: 'en' }).set(auth).expect(200)).body.data.updatedAt;
    await request(app.server)
      .put(`/api/articles/${id}?locale=en&status=draft`)
      .set({ ...auth, 'If-Match': `"${now}"` })
      .send({ data: { standfirst: 'From the API.' } })
      .expect(200);
  });
});

describe('the entity picker', () => {
  const ENTITIES = '/content-manager/collection-types/api::entity.entity';

  it('finds an entity by an alias as well as by its name', async () => {
    const auth = await as(EDITOR);
    const res = await request(app.server).get('/content-manager/relations/api::article.article/entities').query({ locale: 'en', _q: 'blinken', pageSize: 10 }).set(auth).expect(200);
    expect(res.body.results.map((e: { label: string }) => e.label)).toEqual(['Antony Blinken (Blinken)']);
    const byAlias = await request(app.server).get('/content-manager/relations/api::article.article/entities').query({ locale: 'en', _q: 'Putin', pageSize: 10 }).set(auth).expect(200);
    expect(byAlias.body.results.map((e: { label: string }) => e.label)).toEqual(['Vladimir Putin (Putin)']);
  });

  it.each([
    [{ name: 'joe biden', kind: 'person' }, 'name', 'name "joe biden" is already the entity Joe Biden (joe-biden): link that one instead'],
    [{ name: 'President Biden', kind: 'person', aliases: ['BIDEN'] }, 'aliases', 'aliases "BIDEN" is already the entity Joe Biden (joe-biden): link that one instead'],
    [{ name: 'Joseph R. Biden', kind: 'person', wikidataId: 'Q6279' }, 'wikidataId', 'wikidataId "Q6279" is already the entity Joe Biden (joe-biden): link that one instead'],
    [{ name: 'Yellen', kind: 'person' }, 'name', 'name "Yellen" is already the entity Janet Yellen (janet-yellen): link that one instead'],
  ])('creating %j again is refused (400 naming %s and the existing entity)', async (data, field, message) => {
    const res = await request(app.server).post(ENTITIES).set(await as(EDITOR)).send(data).expect(400);
    expect(res.body.error).toMatchObject({ name: 'ValidationError', message });
    expect(res.body.error.details.errors[0].path).toEqual([field]);
  });

  it('a new entity is created with its label, and editing it does not trip over itself', async () => {
    const auth = await as(EDITOR);
    const created = await request(app.server).post(ENTITIES).set(auth).send({ name: 'Wang Yi', slug: 'wang-yi', kind: 'person', aliases: ['Wang'] }).expect(201);
    expect(created.body.data.label).toBe('Wang Yi (Wang)');
    const edited = await request(app.server)
      .put(`${ENTITIES}/${created.body.data.documentId}`)
      .set(auth)
      .send({ ...created.body.data, description: 'Chinese foreign minister', aliases: ['Wang', 'Minister Wang'] })
      .expect(200);
    expect(edited.body.data.label).toBe('Wang Yi (Wang, Minister Wang)');
  });
});
