/**
 * The environment every test file boots with: random secrets, no accounts from a developer's .env,
 * and the database chosen by DATABASE_CLIENT (sqlite unless the caller says postgres).
 * Set before Strapi loads .env, which never overrides a variable already set.
 */
import { randomBytes } from 'node:crypto';

const secret = () => randomBytes(24).toString('base64url');

Object.assign(process.env, {
  NODE_ENV: 'test',
  APP_KEYS: `${secret()},${secret()}`,
  API_TOKEN_SALT: secret(),
  ADMIN_JWT_SECRET: secret(),
  TRANSFER_TOKEN_SALT: secret(),
  JWT_SECRET: secret(),
  ENCRYPTION_KEY: secret(),
  DATABASE_CLIENT: process.env.DATABASE_CLIENT || 'sqlite',
  SEED_STORY: 'true',
  LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
  ADMIN_EMAIL: '',
  ADMIN_PASSWORD: '',
  EDITOR_EMAIL: '',
  EDITOR_PASSWORD: '',
  CORS_ORIGINS: '',
  PUBLIC_URL: '',
  STRAPI_TELEMETRY_DISABLED: 'true',
  BROWSER: 'none',
});
