/**
 * The purge kinds' requests: what each API is sent for a delivery, and how a long tag list is cut
 * into calls within each API's limit.
 */
import type { ContentChange } from '../../../src/changes';
import { cloudflarePurge, CLOUDFLARE_TAGS_PER_CALL, fastlyPurge, FASTLY_KEYS_PER_CALL, TEST_TAG, varnishPurge } from '../../../src/rebuild/kinds/purge';
import type { ResolvedTarget } from '../../../src/rebuild/kinds';

const target = (kind: ResolvedTarget['kind'], url: string, extra: Partial<ResolvedTarget> = {}): ResolvedTarget => ({
  documentId: 't1',
  name: kind,
  kind,
  url,
  secrets: ['token-1'],
  eventType: null,
  pathPatterns: {},
  softPurge: false,
  ...extra,
});

/** `n` entity changes, each its own doc: tag (plus the shared list:entities). */
const changes = (n: number): ContentChange[] =>
  Array.from({ length: n }, (_, i) => ({ action: 'update-published', contentType: 'api::entity.entity', documentId: `e${String(i).padStart(4, '0')}`, locale: null, slug: null, affected: [] }));

const asArray = <T>(x: T | T[]) => (Array.isArray(x) ? x : [x]);

describe('purge kinds', () => {
  it('varnish: one PURGE with every tag in xkey-purge', () => {
    const [req] = asArray(varnishPurge(target('varnish', 'http://10.0.0.5:6081/'), { webhookId: 'msg_1', changes: changes(3), test: false }, new Date()));
    expect(req).toEqual({ method: 'PURGE', url: 'http://10.0.0.5:6081/', headers: { 'xkey-purge': 'doc:e0000 doc:e0001 doc:e0002 list:entities' }, body: '' });
  });

  it(`fastly: at most ${FASTLY_KEYS_PER_CALL} surrogate keys a call, every tag sent once, the token and soft purge as headers`, () => {
    const reqs = asArray(fastlyPurge(target('fastly', 'https://api.fastly.com/service/abc/purge', { softPurge: true }), { webhookId: 'msg_1', changes: changes(600), test: false }, new Date()));
    expect(reqs).toHaveLength(3);
    const sent = reqs.flatMap((r) => JSON.parse(r.body).surrogate_keys as string[]);
    expect(reqs.map((r) => JSON.parse(r.body).surrogate_keys.length)).toEqual([256, 256, 89]);
    expect(new Set(sent).size).toBe(601);
    for (const r of reqs) expect(r.headers).toEqual({ 'content-type': 'application/json', accept: 'application/json', 'fastly-key': 'token-1', 'fastly-soft-purge': '1' });
  });

  it(`cloudflare: at most ${CLOUDFLARE_TAGS_PER_CALL} tags a call, the token as a bearer token`, () => {
    const reqs = asArray(cloudflarePurge(target('cloudflare', 'https://api.cloudflare.com/client/v4/zones/z/purge_cache'), { webhookId: 'msg_1', changes: changes(61), test: false }, new Date()));
    expect(reqs.map((r) => JSON.parse(r.body).tags.length)).toEqual([30, 30, 2]);
    expect(reqs[0].headers).toEqual({ 'content-type': 'application/json', authorization: 'Bearer token-1' });
  });

  it('a test delivery purges a tag no answer carries', () => {
    const [req] = asArray(fastlyPurge(target('fastly', 'https://api.fastly.com/service/abc/purge'), { webhookId: 'msg_1', changes: [], test: true }, new Date()));
    expect(JSON.parse(req.body)).toEqual({ surrogate_keys: [TEST_TAG] });
    expect(req.headers['fastly-soft-purge']).toBeUndefined();
  });
});
