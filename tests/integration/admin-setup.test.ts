/**
 * What the people who run the CMS get at boot: accounts from the environment, the editors' list
 * and edit views, and a switch to boot without the story.
 */
import request from 'supertest';
import { accountsEnv, ADMIN, adminLogin, captureOutput, EDITOR } from '../helpers/admin';
import { appDir, appModule, bootStrapi, type TestApp } from '../helpers/strapi';
import { story } from '../helpers/story';

// What the booted app runs (its compiled modules, in the app's realm).
const { seedStory } = appModule<typeof import('../../database/seed')>('database/seed');
const { ensureAccounts } = appModule<typeof import('../../src/setup/accounts')>('src/setup/accounts');
const { loadEnv } = appModule<typeof import('../../src/env')>('src/env');


let app: TestApp;
let stop: () => Promise<void>;
const logged = { text: '' };

beforeAll(async () => {
  // The boot's debug log is kept for the assertions below, not printed (npm test's output stays
  // readable); printed only if the boot fails.
  const restore = captureOutput(logged, { forward: false });
  try {
    ({ app, stop } = await bootStrapi({
      env: {
        LOG_LEVEL: 'debug',
        SEED_STORY: 'false',
        ...accountsEnv('ADMIN', 'EDITOR'),
      },
    }));
    restore();
  } catch (error) {
    restore();
    process.stderr.write(logged.text);
    throw error;
  }
  // The requests of the tests log at the suite's level.
  app.strapi.log.level = 'warn';
}, 120_000);

afterAll(async () => {
  await stop?.();
});

const login = adminLogin(() => app.server);

/** A GET to the admin API as the Editor; expects a 200. */
async function asEditor(path: string) {
  return request(app.server)
    .get(path)
    .set('Authorization', `Bearer ${await login(EDITOR)}`)
    .expect(200);
}

describe('accounts from the environment', () => {
  it('creates a Super Admin and an Editor who can log in to the admin', async () => {
    const users = await app.strapi.db.query('admin::user').findMany({ populate: ['roles'], orderBy: { id: 'asc' } });
    expect(users.map((u: { email: string; roles: { code: string }[] }) => [u.email, u.roles.map((r) => r.code)])).toEqual([
      [ADMIN.email, ['strapi-super-admin']],
      [EDITOR.email, ['strapi-editor']],
    ]);
    await login(ADMIN);
    await login(EDITOR);
  });

  it('never logs a password', () => {
    expect(logged.text).toContain(`created Super Admin ${ADMIN.email}`);
    expect(logged.text).toContain(`created Editor ${EDITOR.email}`);
    expect(logged.text).not.toContain(ADMIN.password);
    expect(logged.text).not.toContain(EDITOR.password);
  });

  it('leaves existing accounts alone on the next boot', async () => {
    await ensureAccounts(app.strapi, loadEnv());
    expect(await app.strapi.db.query('admin::user').count()).toBe(2);
  });

  it('refuses a wrong password', async () => {
    const res = await request(app.server).post('/admin/login').send({ email: EDITOR.email, password: 'Wrong-Password-1' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('Invalid credentials');
  });
});

describe('SEED_STORY=false', () => {
  it('boots without the story, and seeding later adds it', async () => {
    expect(await app.strapi.db.query('api::article.article').count()).toBe(0);
    await request(app.server).get('/api/articles').expect(200, { data: [], meta: { pagination: { page: 1, pageSize: 25, pageCount: 0, total: 0 } } });
    const result = await seedStory(app.strapi, appDir);
    expect(result.created).toEqual({ entities: 23, image: true, article: true });
    const res = await request(app.server).get('/api/articles').expect(200);
    expect(res.body.data.map((a: { title: string }) => a.title)).toEqual([story.title]);
  });
});

describe('the editors’ views', () => {
  it('configure the article list and form in plain words, newest first', async () => {
    const res = await asEditor('/content-manager/content-types/api::article.article/configuration');
    const { contentType, components } = res.body.data;
    expect(contentType.settings).toMatchObject({ mainField: 'title', defaultSortBy: 'dateline', defaultSortOrder: 'DESC' });
    expect(contentType.layouts.list).toEqual(['title', 'dateline']);
    const labels = Object.fromEntries(Object.entries(contentType.metadatas).map(([k, v]) => [k, (v as { edit: { label: string } }).edit.label]));
    expect(labels).toMatchObject({
      title: 'Title',
      standfirst: 'Standfirst',
      dateline: 'Dateline',
      sections: 'Sections',
      heroImage: 'Hero image',
      entities: 'Entities',
    });
    expect(contentType.metadatas.dateline.edit.description).toBe('The date the story carries (not when it was published here).');
    expect(contentType.metadatas.heroImage.edit.mainField).toBe('caption');
    expect(contentType.metadatas.entities.edit.mainField).toBe('label');
    expect(contentType.layouts.edit.flat().map((f: { name: string }) => f.name)).toEqual([
      'title',
      'slug',
      'dateline',
      'standfirst',
      'publishAt',
      'unpublishAt',
      'authors',
      'heroImage',
      'entities',
      'sections',
      'updates',
      'lastUpdatedAt',
      'firstPublishedAt',
      'agencyStatus',
      'agencySource',
    ]);
    expect(contentType.metadatas.lastUpdatedAt.edit.editable).toBe(false);
    // The agency's word on an ingested item is shown, never edited.
    expect(contentType.metadatas.agencyStatus.edit).toMatchObject({ label: 'Agency status', editable: false });
    expect(contentType.metadatas.agencySource.edit.editable).toBe(false);
    expect(contentType.metadatas.firstPublishedAt.edit.editable).toBe(false);
    expect(contentType.metadatas.authors.edit).toMatchObject({ label: 'Byline', mainField: 'label' });
    expect(components['story.section'].settings.mainField).toBe('heading');
    expect(components['story.section'].metadatas.heading.edit.description).toBe('Leave empty for the lead.');
  });

  it('let an Editor open the story in the content manager, with the locale and status columns', async () => {
    const res = await asEditor('/content-manager/collection-types/api::article.article?page=1&pageSize=10&sort=dateline:DESC&locale=en');
    expect(res.body.results).toHaveLength(1);
    expect(res.body.results[0]).toMatchObject({ title: story.title, locale: 'en', status: 'published' });
  });

  it('name relations by their main field in the relation picker', async () => {
    const list = await asEditor('/content-manager/collection-types/api::article.article?locale=en');
    const { documentId } = list.body.results[0];
    const rel = await asEditor(`/content-manager/relations/api::article.article/${documentId}/entities?locale=en&pageSize=5`);
    // An entity shows as its label: the name, then its other names.
    expect(rel.body.results.map((r: { label: string }) => r.label)).toEqual(['Iran', 'North Korea', 'Janet Yellen (Yellen)', 'Antony Blinken (Blinken)', 'Moscow']);
  });
});

describe('an Editor working in the admin', () => {
  it('translates the story into Simplified Chinese, publishes it, and readers get it with ?locale=zh-Hans', async () => {
    const token = await login(EDITOR);
    const auth = { Authorization: `Bearer ${token}` };
    const list = await request(app.server).get('/content-manager/collection-types/api::article.article?locale=en').set(auth).expect(200);
    const { documentId } = list.body.results[0];

    const zh = {
      title: '美国警告盟友中国对俄罗斯的支持日益增加',
      slug: 'us-warns-allies-zh',
      dateline: '2024-04-10',
      sections: [{ heading: null, body: [{ type: 'paragraph', children: [{ type: 'text', text: '导语。' }] }] }],
    };
    await request(app.server)
      .put(`/content-manager/collection-types/api::article.article/${documentId}?locale=zh-Hans`)
      .set(auth)
      .send(zh)
      .expect(200);
    const draftOnly = await request(app.server).get('/api/articles?locale=zh-Hans').expect(200);
    expect(draftOnly.body.data).toEqual([]);

    await request(app.server)
      .post(`/content-manager/collection-types/api::article.article/${documentId}/actions/publish?locale=zh-Hans`)
      .set(auth)
      .send({})
      .expect(200);
    const res = await request(app.server).get('/api/articles?locale=zh-Hans').expect(200);
    expect(res.body.data).toHaveLength(1);
    expect(res.body.data[0]).toMatchObject({ documentId, locale: 'zh-Hans', title: zh.title, slug: zh.slug });
    expect(res.body.data[0].sections[0].body).toEqual(zh.sections[0].body);

    const gql = await request(app.server).post('/graphql').send({ query: `{ articles(locale: "zh-Hans") { title locale } }` });
    expect(gql.body.data.articles).toEqual([{ title: zh.title, locale: 'zh-Hans' }]);
  });
});
