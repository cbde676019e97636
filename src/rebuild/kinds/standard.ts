/**
 * Standard Webhooks (standardwebhooks.com): JSON signed with HMAC-SHA256 over `id.timestamp.body`.
 * `webhook-id` is the delivery's id, the same on every retry, so receivers can drop duplicates.
 * During a secret rotation both signatures are sent, space-separated, as the spec allows.
 */
import { Webhook } from 'standardwebhooks';
import { buildPayload } from '../payload';
import type { KindAdapter } from './types';

export const standard: KindAdapter = (target, message, now) => {
  const body = JSON.stringify(buildPayload(message.changes, { test: message.test, patterns: target.pathPatterns, timestamp: now }));
  const signature = target.secrets.map((secret) => new Webhook(secret).sign(message.webhookId, now, body)).join(' ');
  return {
    url: target.url,
    headers: {
      'content-type': 'application/json',
      'webhook-id': message.webhookId,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': signature,
    },
    body,
  };
};
