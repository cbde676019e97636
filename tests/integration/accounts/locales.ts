import request from 'supertest';
import { accountsEnv, ADMIN, adminLogin } from '../../helpers/admin';
import { createApiToken } from '../../helpers/api-token';
import { sqlCounter } from '../../helpers/sql';
import { useStrapi } from '../../helpers/strapi';
import { story } from '../../helpers/story';

const app = useStrapi({ env: accountsEnv('ADMIN') });
const login = adminLogin(() => app.server);
const { sqlDuring } = sqlCounter(app);

const RU = {
  title: 'США предупреждают союзников о растущей поддержке России со стороны Китая на фоне конфликта на Украине',
  slug: 'ssha-preduprezhdayut-soyuznikov',
  standfirst: 'Администрация Байдена ввела санкции против китайских организаций.',
  dateline: '2024-04-10',
  sections: [
    { heading: null, body: [{ type: 'paragraph', children: [{ type: 'text', text: 'Вводный абзац.' }] }] },
    { heading: 'Переговоры Си и Байдена', body: [{ type: 'paragraph', children: [{ type: 'text', text: 'Первый абзац раздела.' }] }] },
  ],
};

let token: string;
let documentId: string;

beforeAll(async () => {
  token = await createApiToken(app.strapi);
  const en = await request(app.server).get('/api/articles').query({ 'filters[slug][$eq]': story.slug }).expect(200);
  documentId = en.body.data[0].documentId;
});

describe('locales', () => {
  it('are en (default), zh-Hans, ru and uk', async () => {
    const locales = await app.strapi.plugin('i18n').service('locales').find();
    expect(locales.map((l: { code: string }) => l.code).sort()).toEqual(['en', 'ru', 'uk', 'zh-Hans']);
    expect(await app.strapi.plugin('i18n').service('locales').getDefaultLocale()).toBe('en');
  });

  it('serve the default locale when none is asked for, and nothing yet in Ukrainian', async () => {
    const plain = await request(app.server).get('/api/articles').expect(200);
    expect(plain.body.data.map((a: { locale: string }) => a.locale)).toEqual(['en']);
    const uk = await request(app.server).get('/api/articles?locale=uk').expect(200);
    expect(uk.body.data).toEqual([]);
  });

  it('refuse a locale the site does not have', async () => {
    const res = await request(app.server).get('/api/articles?locale=fr').expect(400);
    expect(res.body.error).toMatchObject({ name: 'ValidationError', message: 'locale fr is not a locale of this site', details: { param: 'locale' } });
  });
});

describe('a translation created through the API', () => {
  beforeAll(async () => {
    const res = await request(app.server)
      .put(`/api/articles/${documentId}?locale=ru`)
      .set('Authorization', `Bearer ${token}`)
      .send({ data: RU });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ locale: 'ru', title: RU.title });
  });

  it('is served with ?locale=ru, with its own sections', async () => {
    const res = await request(app.server).get('/api/articles').query({ locale: 'ru' }).expect(200);
    expect(res.body.data).toHaveLength(1);
    const [ru] = res.body.data;
    expect(ru).toMatchObject({ documentId, locale: 'ru', title: RU.title, slug: RU.slug, standfirst: RU.standfirst, dateline: RU.dateline });
    expect(ru.sections.map(({ heading, body }: { heading: string | null; body: unknown }) => ({ heading, body }))).toEqual(RU.sections);
    expect(ru.publishedAt).toEqual(expect.any(String));
  });

  it('is served in GraphQL with locale: "ru", and links the English original', async () => {
    const res = await request(app.server)
      .post('/graphql')
      .send({ query: `{ article(documentId: "${documentId}", locale: "ru") { title locale sections { heading } localizations { locale title } } }` });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.article).toEqual({
      title: RU.title,
      locale: 'ru',
      sections: [{ heading: null }, { heading: 'Переговоры Си и Байдена' }],
      localizations: [{ locale: 'en', title: story.title }],
    });
  });

  it('is listed beside the English story with ?locale=*', async () => {
    const res = await request(app.server).get('/api/articles').query({ locale: '*', 'fields[0]': 'locale', sort: 'locale:asc' }).expect(200);
    expect(res.body.data.map((a: { locale: string; documentId: string }) => [a.locale, a.documentId])).toEqual([
      ['en', documentId],
      ['ru', documentId],
    ]);
  });

  it('leaves the English story as it was', async () => {
    const res = await request(app.server).get(`/api/articles/${documentId}`).expect(200);
    expect(res.body.data).toMatchObject({ locale: 'en', title: story.title, slug: story.slug });
    expect(res.body.data.sections).toHaveLength(4);
    expect(res.body.data.localizations).toEqual([expect.objectContaining({ locale: 'ru', slug: RU.slug, title: RU.title })]);
  });

  it('may reuse a slug another locale has (slugs are unique per locale)', async () => {
    const res = await request(app.server)
      .put(`/api/articles/${documentId}?locale=uk`)
      .set('Authorization', `Bearer ${token}`)
      .send({ data: { title: 'Переклад', slug: story.slug, dateline: '2024-04-10' } });
    expect(res.status).toBe(200);
    const uk = await request(app.server).get('/api/articles').query({ locale: 'uk', 'filters[slug][$eq]': story.slug }).expect(200);
    expect(uk.body.data).toHaveLength(1);
  });

  it('refuses a second English story with the same slug', async () => {
    const res = await request(app.server)
      .post('/api/articles?locale=en')
      .set('Authorization', `Bearer ${token}`)
      .send({ data: { title: 'Copy', slug: story.slug, dateline: '2024-04-10' } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ name: 'ValidationError', message: 'This attribute must be unique' });
  });
});

describe('the default locale', () => {
  it('is kept by the process (no statement for it) and a change in the admin applies to the next read, cached or not', async () => {
    const plain = () => request(app.server).get('/api/articles?fields[0]=title&fields[1]=locale');
    const plainRu = await request(app.server).get('/api/articles?fields[0]=title&fields[1]=locale&locale=ru').expect(200);
    expect((await plain().expect(200)).body.data[0].locale).toBe('en');
    const [, hitSql] = await sqlDuring(plain);
    expect(hitSql).toBe(0); // the cached answer
    const seen: string[] = [];
    const onQuery = (q: { sql: string }) => seen.push(q.sql);
    app.strapi.db.connection.on('query', onQuery);
    try {
      await plain().set('Cache-Control', 'no-cache').expect(200);
    } finally {
      app.strapi.db.connection.off('query', onQuery);
    }
    expect(seen.some((sql) => sql.includes('articles'))).toBe(true);
    expect(seen.filter((sql) => sql.includes('strapi_core_store_settings'))).toEqual([]); // the default locale is not read again

    const admin = await login(ADMIN);
    const locales = await request(app.server).get('/i18n/locales').set('Authorization', `Bearer ${admin}`).expect(200);
    const idOf = (code: string) => locales.body.find((l: { code: string; id: number }) => l.code === code).id;
    const makeDefault = (code: string) => request(app.server).put(`/i18n/locales/${idOf(code)}`).set('Authorization', `Bearer ${admin}`).send({ isDefault: true }).expect(200);
    await makeDefault('ru');
    try {
      expect(await app.strapi.plugin('i18n').service('locales').getDefaultLocale()).toBe('ru');
      const now = await plain().expect(200);
      expect(now.body).toEqual(plainRu.body);
      const view = await request(app.server).get(`/api/articles/slug/${RU.slug}`).expect(200);
      expect(view.body.data).toMatchObject({ locale: 'ru', title: RU.title });
    } finally {
      await makeDefault('en');
    }
    expect((await plain().expect(200)).body.data[0].locale).toBe('en');
  });
});
