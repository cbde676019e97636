import type { Core } from '@strapi/strapi';
import { loadEnv } from '../src/env';
import { previewConfig } from '../src/preview';

export default (): Core.Config.Admin => {
  const env = loadEnv();
  return {
    auth: { secret: env.ADMIN_JWT_SECRET },
    apiToken: { salt: env.API_TOKEN_SALT },
    transfer: { token: { salt: env.TRANSFER_TOKEN_SALT } },
    secrets: { encryptionKey: env.ENCRYPTION_KEY },
    flags: { nps: false, promoteEE: false },
    // Logins are limited per client IP by global::rate-limit (shared across processes through
    // Redis, 429 JSON with Retry-After); the admin's own per-process limiter is off.
    rateLimit: { enabled: false },
    preview: previewConfig(env),
  };
};
