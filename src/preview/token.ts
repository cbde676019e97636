/**
 * Preview tokens: a signed, expiring grant to read the draft of one article in one locale.
 *   token = base64url(JSON {d: documentId, l: locale, e: expiry in s}) "." base64url(HMAC-SHA256)
 * signed with PREVIEW_SECRET.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface PreviewGrant {
  documentId: string;
  locale: string;
}

const sign = (payload: string, secret: string) => createHmac('sha256', secret).update(payload).digest('base64url');

export function createPreviewToken(grant: PreviewGrant, secret: string, ttlSeconds: number, now = Date.now()): string {
  const payload = Buffer.from(JSON.stringify({ d: grant.documentId, l: grant.locale, e: Math.floor(now / 1000) + ttlSeconds })).toString('base64url');
  return `${payload}.${sign(payload, secret)}`;
}

/** 'ok'; 'invalid' (no token, or not signed by us: 401); 'expired' or 'other' (another document or locale: 403). */
export function checkPreviewToken(token: unknown, grant: PreviewGrant, secret: string, now = Date.now()): 'ok' | 'invalid' | 'expired' | 'other' {
  if (typeof token !== 'string' || token.length > 2048) return 'invalid';
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return 'invalid';
  const expected = Buffer.from(sign(payload, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
  let claims: { d?: unknown; l?: unknown; e?: unknown };
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return 'invalid';
  }
  if (typeof claims.e !== 'number' || claims.e * 1000 <= now) return 'expired';
  if (claims.d !== grant.documentId || claims.l !== grant.locale) return 'other';
  return 'ok';
}
