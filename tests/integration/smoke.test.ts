import request from 'supertest';
import { useStrapi } from '../helpers/strapi';

const app = useStrapi();

it('boots', async () => {
  const res = await request(app.server).get('/api/articles?locale=en');
  console.log(JSON.stringify(res.body, null, 1).slice(0, 6000));
  expect(res.status).toBe(200);
});
