import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { ContentChange } from '../../../src/changes';
import { buildHook } from '../../../src/rebuild/kinds/build-hook';
import { standard } from '../../../src/rebuild/kinds/standard';
import type { OutboundRequest } from '../../../src/rebuild/http';
import type { ResolvedTarget } from '../../../src/rebuild/kinds';
import { buildPayload, MAX_PAYLOAD_BYTES, pathsFor, rebuildPayloadSchema } from '../../../src/rebuild/payload';

const patterns = { article: '/{locale}/news/{slug}', articles: '/{locale}/news', entity: '/topics/{slug}' };
const article = (documentId: string, slug: string, locale = 'en') => ({ contentType: 'api::article.article' as const, documentId, locale, slug });

const published: ContentChange = { action: 'publish', ...article('a1', 'first-story'), affected: [article('a1', 'first-story')] };
const renamed: ContentChange = {
  action: 'update-published',
  contentType: 'api::entity.entity',
  documentId: 'e1',
  locale: null,
  slug: 'antony-blinken',
  affected: [article('a1', 'first-story'), article('a2', 'second-story', 'ru')],
};
const recaptioned: ContentChange = { action: 'update-published', contentType: 'api::image.image', documentId: 'i1', locale: null, slug: null, affected: [article('a2', 'second-story', 'ru')] };
const now = new Date('2026-11-29T22:00:00Z');

describe('the payload a site receives', () => {
  it('lists the changes, the paths they alter and cache tags', () => {
    const payload = buildPayload([published, renamed, recaptioned], { test: false, patterns, timestamp: now });
    expect(rebuildPayloadSchema.parse(payload)).toEqual({
      type: 'content.changed',
      timestamp: '2026-11-29T22:00:00.000Z',
      data: {
        changes: [
          { action: 'publish', contentType: 'api::article.article', documentId: 'a1', locale: 'en', slug: 'first-story' },
          { action: 'update-published', contentType: 'api::entity.entity', documentId: 'e1', locale: null, slug: 'antony-blinken' },
          { action: 'update-published', contentType: 'api::image.image', documentId: 'i1', locale: null, slug: null },
        ],
        paths: ['/en/news', '/en/news/first-story', '/ru/news/second-story', '/topics/antony-blinken'],
        tags: ['doc:a1', 'doc:a2', 'doc:e1', 'doc:i1', 'list:articles', 'list:articles:en', 'list:articles:ru', 'list:entities', 'list:images', 'slug:article:en:first-story', 'slug:entity:antony-blinken'],
        truncated: false,
      },
    });
  });

  it('renders paths from the patterns given, skipping any whose values are missing', () => {
    expect(pathsFor([renamed], { article: '/news/{slug}' })).toEqual(['/news/first-story', '/news/second-story']);
    expect(pathsFor([{ ...published, affected: [{ ...published.affected[0], slug: null }] }], { article: '/news/{slug}' })).toEqual([]);
  });

  it('past 20 KB keeps the ids only and says so', () => {
    const many = Array.from({ length: 150 }, (_, i): ContentChange => ({ ...published, ...article(`doc${i}`, `a-rather-long-slug-for-story-number-${i}`), affected: [article(`doc${i}`, `a-rather-long-slug-for-story-number-${i}`)] }));
    const payload = buildPayload(many, { test: false, patterns, timestamp: now });
    expect(Buffer.byteLength(JSON.stringify(payload))).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    expect(payload.data).toMatchObject({ truncated: true, paths: [], tags: [] });
    expect(payload.data.changes).toHaveLength(150);
    expect(payload.data.changes[0]).toEqual({ action: 'publish', contentType: 'api::article.article', documentId: 'doc0', locale: 'en' });
  });
});

/** The single request of a kind that sends one. */
const one = (made: OutboundRequest | OutboundRequest[]): OutboundRequest => (Array.isArray(made) ? made[0] : made);

describe('kinds', () => {
  const secret = () => `whsec_${randomBytes(32).toString('base64')}`;
  const target = (over: Partial<ResolvedTarget>): ResolvedTarget => ({
    documentId: 't1', name: 'Site', kind: 'standard', url: 'https://site.example.com/api/revalidate', secrets: [], eventType: null, pathPatterns: patterns, softPurge: false, ...over,
  });

  it('standard: during a rotation both secrets sign, and a receiver holding either verifies', () => {
    const [newer, older] = [secret(), secret()];
    const request = one(standard(target({ secrets: [newer, older] }), { webhookId: 'msg_1', changes: [published], test: false }, new Date()));
    expect(request.headers['webhook-signature'].split(' ')).toHaveLength(2);
    for (const s of [newer, older]) expect(new Webhook(s).verify(request.body, request.headers)).toMatchObject({ type: 'content.changed' });
    expect(() => new Webhook(secret()).verify(request.body, request.headers)).toThrow();
  });

  it('build-hook: Netlify gets a trigger_title; other hosts the bare URL', () => {
    const message = { webhookId: 'msg_1', changes: [published, renamed], test: false };
    expect(one(buildHook(target({ kind: 'build-hook', url: 'https://api.netlify.com/build_hooks/abc' }), message, now)).url).toBe(
      'https://api.netlify.com/build_hooks/abc?trigger_title=Newsroom+CMS%3A+2+changes',
    );
    expect(one(buildHook(target({ kind: 'build-hook', url: 'https://api.vercel.com/v1/integrations/deploy/prj/abc' }), message, now))).toEqual({
      url: 'https://api.vercel.com/v1/integrations/deploy/prj/abc',
      headers: {},
      body: '',
    });
  });
});
