/**
 * Edge-cache purges by tag, the tags the change feed gives (src/changes/tags.ts, the words every
 * answer carries in `Surrogate-Key` and `Cache-Tag`):
 * - varnish: `PURGE` to the Varnish address with `xkey-purge: <tags>` (deploy/varnish/newsroom.vcl
 *   answers it from its purge ACL only);
 * - fastly: `POST /service/{id}/purge` with `{"surrogate_keys": [...]}` (at most 256 per call), the
 *   API token in `Fastly-Key`, `Fastly-Soft-Purge: 1` when the target asks for soft purges;
 * - cloudflare: `POST /client/v4/zones/{zone}/purge_cache` with `{"tags": [...]}` (at most 30 per call)
 *   and the API token as a bearer token.
 * A test delivery purges a tag no answer carries (`newsroom:purge-test`): it checks the credentials
 * and the address without evicting anything.
 */
import { tagsFor } from '../../changes/tags';
import type { OutboundRequest } from '../http';
import type { DeliveryMessage, KindAdapter } from './types';

export const FASTLY_KEYS_PER_CALL = 256;
export const CLOUDFLARE_TAGS_PER_CALL = 30;
export const TEST_TAG = 'newsroom:purge-test';

const tagsOf = (message: DeliveryMessage) => (message.test ? [TEST_TAG] : tagsFor(message.changes));

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Varnish: one PURGE; xkey takes the keys space-separated in one header. */
export const varnishPurge: KindAdapter = (target, message) => ({
  method: 'PURGE',
  url: target.url,
  headers: { 'xkey-purge': tagsOf(message).join(' ') },
  body: '',
});

export const fastlyPurge: KindAdapter = (target, message): OutboundRequest[] =>
  chunks(tagsOf(message), FASTLY_KEYS_PER_CALL).map((keys) => ({
    url: target.url,
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      'fastly-key': target.secrets[0] ?? '',
      ...(target.softPurge ? { 'fastly-soft-purge': '1' } : {}),
    },
    body: JSON.stringify({ surrogate_keys: keys }),
  }));

export const cloudflarePurge: KindAdapter = (target, message): OutboundRequest[] =>
  chunks(tagsOf(message), CLOUDFLARE_TAGS_PER_CALL).map((tags) => ({
    url: target.url,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${target.secrets[0] ?? ''}` },
    body: JSON.stringify({ tags }),
  }));
