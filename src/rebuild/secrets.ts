/**
 * Target URLs and secrets at rest: encrypted with ENCRYPTION_KEY through Strapi's own AES-256-GCM
 * service (the one that keeps API tokens), and shown only as a hint.
 */
import type { Core } from '@strapi/strapi';

interface EncryptionService {
  encrypt(value: string): string | null;
  decrypt(value: string): string | null;
}

const service = (strapi: Core.Strapi) => strapi.service('admin::encryption') as unknown as EncryptionService;

export function encryptSecret(strapi: Core.Strapi, value: string): string {
  const encrypted = service(strapi).encrypt(value);
  if (!encrypted) throw new Error('ENCRYPTION_KEY is not configured');
  return encrypted;
}

/** The plain value, or null when it cannot be decrypted (ENCRYPTION_KEY changed). */
export function decryptSecret(strapi: Core.Strapi, value: string | null | undefined): string | null {
  if (!value) return null;
  return service(strapi).decrypt(value);
}

/** Enough of a URL to recognise it, never enough to use it: scheme, host, and the last 4 characters. */
export function urlHint(url: string): string {
  const parsed = new URL(url);
  const rest = `${parsed.pathname}${parsed.search}`;
  return `${parsed.protocol}//${parsed.host}/…${rest.length > 8 ? rest.slice(-4) : ''}`;
}

/** Removes any secret from a message before it is stored or logged. */
export function redact(message: string, secrets: readonly (string | null | undefined)[]): string {
  let out = message;
  for (const s of secrets) {
    if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  }
  return out;
}
