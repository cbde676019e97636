import request from 'supertest';
import { accountsEnv, ADMIN, adminLogin } from '../../helpers/admin';
import { createApiToken } from '../../helpers/api-token';
import { sqlCounter } from '../../helpers/sql';
import { appModule, useStrapi } from '../../helpers/strapi';

// What the booted app runs (its compiled modules, in the app's realm).
const { PUBLIC_ACTIONS, reconcilePublicAccess } = appModule<typeof import('../../../src/setup/public-access')>('src/setup/public-access');

const app = useStrapi({ env: accountsEnv('ADMIN') });
const login = adminLogin(() => app.server);
const { sqlDuring } = sqlCounter(app);

let draftId: string;
let token: string;

beforeAll(async () => {
  const draft = await app.strapi.documents('api::article.article').create({
    locale: 'en',
    data: { title: 'Embargoed: not yet for readers', slug: 'embargoed-not-yet-for-readers', dateline: '2024-04-11' },
  });
  draftId = draft.documentId;
  token = await createApiToken(app.strapi);
});

/** Ticks or unticks the Public role's `find` on entities, through the admin's Users & Permissions API. */
async function entityFindSwitch(): Promise<(enabled: boolean) => Promise<unknown>> {
  const admin = await login(ADMIN);
  const roles = await request(app.server).get('/users-permissions/roles').set('Authorization', `Bearer ${admin}`).expect(200);
  const publicRole = roles.body.roles.find((r: { type: string }) => r.type === 'public');
  const detail = await request(app.server).get(`/users-permissions/roles/${publicRole.id}`).set('Authorization', `Bearer ${admin}`).expect(200);
  const { name, description, type, permissions } = detail.body.role;
  return (enabled) => {
    permissions['api::entity'].controllers.entity.find.enabled = enabled;
    return request(app.server).put(`/users-permissions/roles/${publicRole.id}`).set('Authorization', `Bearer ${admin}`).send({ name, description, type, permissions }).expect(200);
  };
}

describe('drafts', () => {
  it('are invisible to the public REST list and findOne', async () => {
    const list = await request(app.server).get('/api/articles').expect(200);
    expect(list.body.data.map((a: { title: string }) => a.title)).not.toContain('Embargoed: not yet for readers');
    expect(list.body.meta.pagination.total).toBe(1);
    await request(app.server).get(`/api/articles/${draftId}`).expect(404);
  });

  it('cannot be asked for with status=draft without an API token', async () => {
    const res = await request(app.server).get('/api/articles?status=draft').expect(403);
    expect(res.body.error).toMatchObject({ status: 403, name: 'PolicyError', message: 'Reading drafts requires an API token' });
    await request(app.server).get(`/api/articles/${draftId}?status=draft`).expect(403);
  });

  it('are invisible over GraphQL, and status: DRAFT is refused', async () => {
    const list = await request(app.server).post('/graphql').send({ query: '{ articles { title } }' });
    expect(list.body.data.articles.map((a: { title: string }) => a.title)).not.toContain('Embargoed: not yet for readers');
    const one = await request(app.server).post('/graphql').send({ query: `{ article(documentId: "${draftId}") { title } }` });
    expect(one.body.data.article).toBeNull();
    const draft = await request(app.server).post('/graphql').send({ query: '{ articles(status: DRAFT) { title } }' });
    expect(draft.body.data).toBeNull();
    expect(draft.body.errors[0]).toMatchObject({ message: 'Reading drafts requires an API token', extensions: { code: 'FORBIDDEN' } });
  });

  it('are readable with an API token, for previews', async () => {
    const res = await request(app.server).get(`/api/articles/${draftId}?status=draft`).set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ title: 'Embargoed: not yet for readers', publishedAt: null });
    const gql = await request(app.server)
      .post('/graphql')
      .set('Authorization', `Bearer ${token}`)
      .send({ query: '{ articles(status: DRAFT, sort: "title") { title } }' });
    expect(gql.body.data.articles.map((a: { title: string }) => a.title)).toContain('Embargoed: not yet for readers');
  });
});

describe('public writes', () => {
  it.each([
    ['post', '/api/articles', { data: { title: 'Hijack', slug: 'hijack', dateline: '2024-01-01' } }],
    ['put', '/api/articles/DOC', { data: { title: 'Hijack' } }],
    ['delete', '/api/articles/DOC', undefined],
    ['post', '/api/entities', { data: { name: 'Hijack', kind: 'person' } }],
    ['post', '/api/images', { data: { caption: 'Hijack', altText: 'x' } }],
    ['post', '/api/upload', undefined],
    ['post', '/api/auth/local/register', { username: 'reader', email: 'reader@example.com', password: 'Passw0rdPass' }],
    ['get', '/api/users', undefined],
    ['get', '/api/i18n/locales', undefined],
  ] as const)('%s %s is refused with 403', async (method, url, body) => {
    const path = url.replace('DOC', draftId);
    const res = await request(app.server)[method](path).send(body);
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ status: 403, name: 'ForbiddenError' });
  });

  it('changed nothing', async () => {
    expect(await app.strapi.db.query('api::article.article').count({ where: { title: 'Hijack' } })).toBe(0);
    expect(await app.strapi.db.query('api::entity.entity').count({ where: { name: 'Hijack' } })).toBe(0);
    const draft = await app.strapi.documents('api::article.article').findOne({ documentId: draftId });
    expect(draft?.title).toBe('Embargoed: not yet for readers');
    expect(await app.strapi.db.query('plugin::users-permissions.user').count()).toBe(0);
  });
});

describe('the Public role', () => {
  async function publicActions(): Promise<string[]> {
    const role = await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'public' }, populate: ['permissions'] });
    return role.permissions.map((p: { action: string }) => p.action).sort();
  }

  it('holds exactly find and findOne on articles, images, entities and uploaded files', async () => {
    expect(await publicActions()).toEqual([...PUBLIC_ACTIONS].sort());
  });

  it('loses a permission ticked by mistake at the next boot', async () => {
    const role = await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'public' } });
    await app.strapi.db.query('plugin::users-permissions.permission').create({ data: { action: 'api::article.article.create', role: role.id } });
    expect(await publicActions()).toContain('api::article.article.create');
    await reconcilePublicAccess(app.strapi);
    expect(await publicActions()).toEqual([...PUBLIC_ACTIONS].sort());
  });

  it('applies a change made in the admin from the next anonymous request, REST and GraphQL, without a restart', async () => {
    // Past the read cache: what is checked is the permission, not a cached answer.
    const entities = () => request(app.server).get('/api/entities?fields[0]=name').set('Cache-Control', 'no-cache');
    const graphql = () => request(app.server).post('/graphql').send({ query: '{ entities { name } }' });
    expect((await entities()).status).toBe(200);
    expect((await graphql()).body.data.entities.length).toBeGreaterThan(0);

    const setFind = await entityFindSwitch();

    await setFind(false);
    try {
      const refused = await entities();
      expect(refused.status).toBe(403);
      expect(refused.body.error).toMatchObject({ status: 403, name: 'ForbiddenError' });
      expect((await graphql()).body.errors[0].extensions.code).toBe('FORBIDDEN');
      // A relation to entities is refused too, on the relation field, where the article is readable.
      const nested = await request(app.server).post('/graphql').send({ query: '{ articles { title entities { name } } }' });
      expect(nested.body.errors[0]).toMatchObject({ path: ['articles', 0, 'entities'], extensions: { code: 'FORBIDDEN' } });
      // The rest of the role is unchanged.
      expect((await request(app.server).get('/api/articles?fields[0]=title').set('Cache-Control', 'no-cache')).status).toBe(200);
    } finally {
      await setFind(true);
    }
    expect((await entities()).status).toBe(200);
    expect((await graphql()).body.data.entities.length).toBeGreaterThan(0);
    expect(await publicActions()).toEqual([...PUBLIC_ACTIONS].sort());
  });

  it('withdrawing a permission empties the read cache: a cached answer is not served once the Public role may not see it', async () => {
    const cached = () => request(app.server).get('/api/entities?fields[0]=slug');
    expect((await cached()).status).toBe(200);
    const [hit, hitSql] = await sqlDuring(cached);
    expect(hit.status).toBe(200);
    expect(hitSql).toBe(0); // answered from the cache

    const setFind = await entityFindSwitch();
    await setFind(false);
    try {
      const refused = await cached();
      expect(refused.status).toBe(403);
      expect(refused.body.error).toMatchObject({ status: 403, name: 'ForbiddenError' });
    } finally {
      await setFind(true);
    }
    expect((await cached()).status).toBe(200);
  });
});
