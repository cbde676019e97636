/**
 * The read boundary as a table: every way the content API's advisories and our own drafts rule
 * say a reader could see more than published content (drafts in every `status` spelling, admin
 * and user fields through populate, filters, sort, `lookup` and relation traversal, the file
 * listing, page sizes, GraphQL depth, cycles, aliases and batches) tried by an anonymous reader,
 * an end user with a JWT (a logged-in site reader who may read articles) and a read-only API
 * token, over REST and GraphQL. Each row names what may come back; a row passes only if nothing
 * private is in the answer. 0 leaks.
 */
import request from 'supertest';
import { createApiToken } from '../../helpers/api-token';
import { useStrapi } from '../../helpers/strapi';

const app = useStrapi({ env: { CORS_ORIGINS: '' } });

const DRAFT_TITLE = 'Embargoed draft: not for readers';
/** What must never appear in an answer's data: admin and end-user fields, secrets, the draft. */
const SECRETS = [/"password"/, /resetPasswordToken/, /confirmationToken/, /"registrationToken"/, /\$2[aby]\$/];
const PRIVATE = [/"createdBy"/, /"updatedBy"/, /"email"/, /"firstname"/, /"lastname"/, ...SECRETS];

type Actor = 'anonymous' | 'jwt' | 'token';
const actors: Record<Actor, Record<string, string>> = { anonymous: {}, jwt: {}, token: {} };

beforeAll(async () => {
  const strapi = app.strapi;
  await strapi.documents('api::article.article').create({
    locale: 'en',
    data: { title: DRAFT_TITLE, slug: 'embargoed-draft-not-for-readers', dateline: '2024-04-12' },
  });
  // An end user (the site's logged-in reader): the Authenticated role may read what Public reads.
  const authenticated = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } });
  for (const action of ['api::article.article.find', 'api::article.article.findOne', 'api::entity.entity.find', 'api::entity.entity.findOne', 'api::image.image.find', 'plugin::upload.content-api.find']) {
    await strapi.db.query('plugin::users-permissions.permission').create({ data: { action, role: authenticated.id } });
  }
  const user = await strapi.plugin('users-permissions').service('user').add({
    username: 'reader',
    email: 'reader@example.com',
    password: 'Reader-Password-1',
    provider: 'local',
    confirmed: true,
    role: authenticated.id,
  });
  const jwt = strapi.plugin('users-permissions').service('jwt').issue({ id: user.id });
  actors.jwt = { Authorization: `Bearer ${jwt}` };
  actors.token = { Authorization: `Bearer ${await createApiToken(strapi, 'read-only')}` };
});

/**
 * What an answer shows that it must not: in its data (an error answer names the parameter it
 * refuses, which is no leak, but must carry no data), the private fields, or only the secrets
 * when the reader asks for their own account; the draft unless the reader may read drafts.
 */
function leaks(res: request.Response, draftAllowed: boolean, own = false): string[] {
  const body = res.body as { data?: unknown; error?: unknown };
  if (res.status >= 400 && body?.data != null) return ['data in an error answer'];
  const shown = JSON.stringify(body?.data ?? null);
  const found = (own ? SECRETS : PRIVATE).filter((re) => re.test(shown)).map(String);
  if (!draftAllowed && shown.includes(DRAFT_TITLE)) found.push('the draft');
  return found;
}

/** [what, path, draftAllowedFor] — REST probes; each answer must be a 4xx or carry nothing private. */
const REST: Array<[string, string, Actor[]]> = [
  ['drafts: status=draft (list)', '/api/articles?status=draft&fields[0]=title', ['token']],
  ['drafts: status=DRAFT', '/api/articles?status=DRAFT&fields[0]=title', []],
  ['drafts: status[]=draft', '/api/articles?status[0]=draft&fields[0]=title', []],
  ['drafts: publicationState=preview (Strapi 4)', '/api/articles?publicationState=preview&fields[0]=title', []],
  ['drafts: locale=*', '/api/articles?locale=*&fields[0]=title', []],
  ['drafts: locale=* and status=draft', '/api/articles?locale=*&status=draft&fields[0]=title', ['token']],
  ['drafts: filters[publishedAt][$null]=true', '/api/articles?filters[publishedAt][$null]=true&fields[0]=title', []],
  ['drafts: the slug view with status=draft', '/api/articles/slug/embargoed-draft-not-for-readers?status=draft', []],
  ['drafts: the slug view', '/api/articles/slug/embargoed-draft-not-for-readers', []],
  ['populate=*', '/api/articles?populate=*', []],
  ['populate[createdBy]=*', '/api/articles?populate[createdBy]=*', []],
  ['populate[updatedBy][fields][0]=email', '/api/articles?populate[updatedBy][fields][0]=email', []],
  ['populate of a relation’s createdBy', '/api/articles?populate[entities][populate][createdBy]=*', []],
  ['populate of the hero image’s file createdBy', '/api/articles?populate[heroImage][populate][asset][populate]=*', []],
  ['fields[0]=createdBy', '/api/articles?fields[0]=createdBy', []],
  ['filters on createdBy.email', '/api/articles?filters[createdBy][email][$contains]=@', []],
  ['filters on createdBy.password', '/api/articles?filters[createdBy][password][$startsWith]=$2', []],
  ['filters through a relation to createdBy', '/api/articles?filters[entities][createdBy][email][$notNull]=true', []],
  ['filters through an image to its file’s createdBy', '/api/images?filters[asset][createdBy][resetPasswordToken][$null]=false', []],
  ['filters[$or] with createdBy', '/api/articles?filters[$or][0][createdBy][id][$gt]=0&filters[$or][1][title][$eq]=x', []],
  ['sort on createdBy.email', '/api/articles?sort=createdBy.email', []],
  ['sort[0][createdBy][email]=asc', '/api/articles?sort[0][createdBy][email]=asc', []],
  ['lookup (GHSA-495j-h493-42q2)', '/api/articles?lookup[createdBy][email]=x', []],
  ['the file listing with populate=*', '/api/upload/files?populate=*', []],
  ['the file listing filtered on createdBy', '/api/upload/files?filters[createdBy][email][$contains]=@', []],
  ['the file listing sorted on createdBy', '/api/upload/files?sort=createdBy.email', []],
  ['users listing', '/api/users', []],
  ['the current user with populate (their own account: no secrets)', '/api/users/me?populate=*', []],
  ['pageSize 1000', '/api/articles?pagination[pageSize]=1000', []],
  ['limit 1000', '/api/articles?pagination[limit]=1000', []],
];

const GRAPHQL: Array<[string, string, Actor[]]> = [
  ['drafts: status: DRAFT', '{ articles(status: DRAFT) { title } }', ['token']],
  ['drafts: locale "*"', '{ articles(locale: "*") { title } }', []],
  ['drafts: article by documentId with status', '{ articles(filters: { publishedAt: { null: true } }) { title } }', []],
  ['createdBy field', '{ articles { title createdBy { email } } }', []],
  ['filters on createdBy', '{ articles(filters: { createdBy: { email: { contains: "@" } } }) { title } }', []],
  ['upload files with createdBy', '{ uploadFiles { name createdBy { email } } }', []],
  ['users-permissions users', '{ usersPermissionsUsers { email password } }', []],
  ['me (their own account: no secrets)', '{ me { email role { name } } }', []],
  [
    'an article ↔ entity cycle 12 deep',
    '{ articles { entities { articles { entities { articles { entities { articles { entities { articles { entities { articles { title } } } } } } } } } } } }',
    [],
  ],
  ['31 aliases', `{ articles { ${Array.from({ length: 31 }, (_, i) => `t${i}: title`).join(' ')} } }`, []],
  ['pageSize 1000', '{ articles(pagination: { pageSize: 1000 }) { title } }', []],
];

describe.each(Object.keys(actors) as Actor[])('as %s', (actor) => {
  it.each(REST)('REST %s', async (_what, path, draftAllowed) => {
    const res = await request(app.server).get(path).set(actors[actor]).set('Cache-Control', 'no-cache');
    expect(res.status).toBeLessThan(500);
    expect(res.headers['content-type']).toMatch(/json/);
    expect(leaks(res, draftAllowed.includes(actor), _what.includes('own account'))).toEqual([]);
    if (path.includes('pageSize]=1000') || path.includes('limit]=1000')) expect(res.status).toBeGreaterThanOrEqual(400);
  });

  it.each(GRAPHQL)('GraphQL %s', async (_what, query, draftAllowed) => {
    const res = await request(app.server).post('/graphql').set(actors[actor]).send({ query });
    expect(res.status).toBeLessThan(500);
    expect(leaks(res, draftAllowed.includes(actor), _what.includes('own account'))).toEqual([]);
    if (/12 deep|31 aliases/.test(_what)) {
      expect(res.status).toBe(400);
      expect(res.body.data).toBeUndefined();
    }
    // GraphQL refuses a page over 100, as REST does (src/graphql/arguments.ts).
    if (_what === 'pageSize 1000') {
      expect(res.body.data).toBeNull();
      expect(res.body.errors[0]).toMatchObject({ message: 'pagination.pageSize must be at most 100', extensions: { code: 'BAD_USER_INPUT' } });
    }
  });

  it('and a batch of GraphQL operations in one POST is refused', async () => {
    const res = await request(app.server)
      .post('/graphql')
      .set(actors[actor])
      .send([{ query: '{ articles { title } }' }, { query: '{ entities { name } }' }]);
    expect(res.status).toBe(400);
  });
});

describe('what the token may see by design', () => {
  it('drafts, for previews and builds: the read-only token sees the draft, the others never do', async () => {
    const path = '/api/articles?status=draft&fields[0]=title';
    const seen = async (a: Actor) => (await request(app.server).get(path).set(actors[a]).set('Cache-Control', 'no-cache')).text.includes(DRAFT_TITLE);
    expect({ anonymous: await seen('anonymous'), jwt: await seen('jwt'), token: await seen('token') }).toEqual({ anonymous: false, jwt: false, token: true });
  });
});
