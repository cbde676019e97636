/**
 * Preview: the admin's Preview opens the site with a signed, expiring token, and that token reads
 * the draft of exactly that article and locale; nothing else does.
 */
import request from 'supertest';
import { parseEnv } from '../../../src/env';
import { previewConfig } from '../../../src/preview';
import { createPreviewToken } from '../../../src/preview/token';
import { useStrapi } from '../../helpers/strapi';
import { story } from '../../helpers/story';

const SITE = 'https://www.example.com';
const SECRET = 'preview-secret-for-tests-0123456789abcdef';
const app = useStrapi({ env: { PREVIEW_URL: SITE, PREVIEW_SECRET: SECRET } });
let storyId: string;

type Handler = (uid: string, params: { documentId: string; locale?: string; status?: string }) => Promise<string | null>;
const handler = () => app.strapi.config.get('admin.preview.config.handler') as Handler;

beforeAll(async () => {
  const found = await app.strapi.documents('api::article.article').findFirst({ locale: 'en', filters: { slug: story.slug }, fields: ['documentId'] });
  storyId = found!.documentId;
  await app.strapi.documents('api::article.article').update({ documentId: storyId, locale: 'en', data: { standfirst: 'An unpublished rewrite of the standfirst.' } });
});

describe('the Preview button', () => {
  it("opens the site's page for the article with a token", async () => {
    const url = new URL((await handler()('api::article.article', { documentId: storyId, locale: 'en', status: 'draft' }))!);
    expect(`${url.origin}${url.pathname}`).toBe(`${SITE}/en/news/${story.slug}`);
    expect(url.searchParams.get('documentId')).toBe(storyId);
    expect(url.searchParams.get('locale')).toBe('en');
    expect(url.searchParams.get('token')).toMatch(/^[\w-]+\.[\w-]+$/);
  });

  it('is not offered for other content types', async () => {
    expect(await handler()('api::entity.entity', { documentId: 'x' })).toBeNull();
  });

  it('is off without PREVIEW_URL', () => {
    const secrets = { APP_KEYS: 'a'.repeat(20) + ',' + 'b'.repeat(20), API_TOKEN_SALT: 'c'.repeat(20), ADMIN_JWT_SECRET: 'd'.repeat(20), TRANSFER_TOKEN_SALT: 'e'.repeat(20), JWT_SECRET: 'f'.repeat(20), ENCRYPTION_KEY: 'g'.repeat(20) };
    expect(previewConfig(parseEnv(secrets)).enabled).toBe(false);
    expect(previewConfig(parseEnv({ ...secrets, PREVIEW_URL: SITE, PREVIEW_SECRET: SECRET })).enabled).toBe(true);
  });
});

describe('GET /api/preview/articles/:documentId', () => {
  const read = (id: string, query: Record<string, string>) => request(app.server).get(`/api/preview/articles/${id}`).query(query);

  it('returns the draft (not the published text) for the token the button made', async () => {
    const token = new URL((await handler()('api::article.article', { documentId: storyId, locale: 'en' }))!).searchParams.get('token')!;
    const res = await read(storyId, { locale: 'en', token }).expect(200);
    expect(res.body.data).toMatchObject({ documentId: storyId, locale: 'en', standfirst: 'An unpublished rewrite of the standfirst.', publishedAt: null });
    expect(res.body.data.sections).toHaveLength(4);
    expect(res.body.data.heroImage.asset.url).toMatch(/^\/uploads\//);
    expect(res.body.data.entities).toHaveLength(23);
    expect(res.headers['cache-control']).toBe('private, no-store');
    const published = await request(app.server).get(`/api/articles/${storyId}`).expect(200);
    expect(published.body.data.standfirst).not.toBe('An unpublished rewrite of the standfirst.');
  });

  it.each([
    ['no token', 401, () => undefined],
    ['a forged token', 401, () => 'eyJkIjoieCJ9.forged'],
    ['a token signed with another secret', 401, (id: string) => createPreviewToken({ documentId: id, locale: 'en' }, 'another-secret-another-secret-1234', 600)],
    ['an expired token', 403, (id: string) => createPreviewToken({ documentId: id, locale: 'en' }, SECRET, 600, Date.now() - 3_600_000)],
    ['a token for another locale', 403, (id: string) => createPreviewToken({ documentId: id, locale: 'ru' }, SECRET, 600)],
    ['a token for another article', 403, () => createPreviewToken({ documentId: 'another-document', locale: 'en' }, SECRET, 600)],
  ])('%s → %i with a JSON error', async (_label, status, tokenFor) => {
    const token = tokenFor(storyId);
    const res = await read(storyId, { locale: 'en', ...(token ? { token } : {}) });
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ data: null, error: { status } });
  });
});
