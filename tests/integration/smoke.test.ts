import request from 'supertest';
import { useStrapi } from '../helpers/strapi';

const app = useStrapi();

it('explores', async () => {
  const out: string[] = [];
  const get = async (url: string) => {
    const res = await request(app.server).get(url);
    out.push(`${res.status} GET ${url} ${JSON.stringify(res.body).slice(0, 400)}`);
    return res;
  };
  const r = await get('/api/articles');
  out.push(JSON.stringify({ ...r.body.data[0], sections: undefined, entities: r.body.data[0].entities.length }, null, 1));
  await get('/api/articles?status=draft');
  await get('/api/articles?status=bogus');
  await get('/api/articles?foo=bar');
  await get('/api/articles?populate=nonexistent');
  await get('/api/articles?populate[heroImage][populate][nope]=true');
  await get('/api/articles?filters[nonexistent][$eq]=1');
  await get('/api/articles?filters[title][$bogus]=1');
  await get('/api/articles?sort=nonexistent');
  await get('/api/articles?pagination[pageSize]=abc');
  await get('/api/articles?pagination[pageSize]=1000');
  await get('/api/articles?locale=xx');
  await get('/api/articles?locale=ru');
  await get('/api/articles?fields[0]=nope');
  await get('/api/articles/doesnotexist');
  await get('/api/articles?pagination[pageSize]=0');
  await get('/api/articles?pagination[page]=1&pagination[limit]=3');
  await get('/api/articles?pagination[foo]=1');
  await get('/api/articles?pagination=3');
  await get('/api/articles?locale[0]=en');
  await get('/api/articles?locale=en&pagination[page]=2');
  await get('/api/images');
  await get('/api/entities?pagination[pageSize]=2');
  await get('/api/upload/files');
  await get('/api/i18n/locales');
  await get('/api/users');
  for (const [m, u] of [['post', '/api/articles'], ['post', '/api/auth/local/register'], ['post', '/api/entities'], ['delete', '/api/images/x'], ['post', '/api/upload']]) {
    const res = await (request(app.server) as any)[m](u).send({ data: { title: 'x' }, username: 'a', email: 'a@b.co', password: 'Passw0rd!' });
    out.push(`${res.status} ${m} ${u} ${JSON.stringify(res.body).slice(0, 300)}`);
  }
  const g = await request(app.server).post('/graphql').send({ query: '{ articles { documentId title slug dateline locale sections { heading body } heroImage { caption credit agency asset { url formats } depicts { name } } entities { name kind } } }' });
  out.push(`${g.status} graphql ${JSON.stringify(g.body).slice(0, 1500)}`);
  const g2 = await request(app.server).post('/graphql').send({ query: '{ articles(status: DRAFT) { documentId title } }' });
  out.push(`${g2.status} graphql draft ${JSON.stringify(g2.body).slice(0, 600)}`);
  const g3 = await request(app.server).post('/graphql').send({ query: '{ articles(filters: { nope: { eq: 1 } }) { documentId title } }' });
  out.push(`${g3.status} graphql bad ${JSON.stringify(g3.body).slice(0, 600)}`);
  const g4 = await request(app.server).post('/graphql').send({ query: '{ articles(locale: "xx") { documentId title } }' });
  out.push(`${g4.status} graphql locale ${JSON.stringify(g4.body).slice(0, 600)}`);
  const g5 = await request(app.server).post('/graphql').send({ query: '{ articles(pagination: {pageSize: 1000}) { documentId title } }' });
  out.push(`${g5.status} graphql pagesize ${JSON.stringify(g5.body).slice(0, 600)}`);
  const g6 = await request(app.server).post('/graphql').send({ query: '{ articles { ' });
  out.push(`${g6.status} graphql syntax ${JSON.stringify(g6.body).slice(0, 600)}`);
  const g7 = await request(app.server).post('/graphql').set('content-type','application/json').send('{bad json');
  out.push(`${g7.status} graphql badjson ${JSON.stringify(g7.body).slice(0, 600)}`);
  const g8 = await request(app.server).post('/api/articles').set('content-type','application/json').send('{bad json');
  out.push(`${g8.status} rest badjson ${JSON.stringify(g8.body).slice(0, 600)}`);
  console.log(out.join('\n'));
  expect(r.status).toBe(200);
});
