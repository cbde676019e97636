/**
 * GitHub repository_dispatch: POST /repos/{owner}/{repo}/dispatches with a token. GitHub allows at
 * most 10 top-level keys in client_payload and under 64 KB; the payload's data (4 keys, at most
 * 20 KB) plus type and timestamp stays well inside. GitHub answers 204.
 */
import { buildPayload } from '../payload';
import type { KindAdapter } from './types';

export const DEFAULT_EVENT_TYPE = 'content.changed';

export const githubDispatch: KindAdapter = (target, message, now) => {
  const payload = buildPayload(message.changes, { test: message.test, patterns: target.pathPatterns, timestamp: now });
  return {
    url: target.url,
    headers: {
      'content-type': 'application/json',
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${target.secrets[0] ?? ''}`,
      'x-github-api-version': '2022-11-28',
    },
    body: JSON.stringify({
      event_type: target.eventType || DEFAULT_EVENT_TYPE,
      client_payload: { type: payload.type, timestamp: payload.timestamp, webhookId: message.webhookId, ...payload.data },
    }),
  };
};
