import { thrownBy } from '../helpers/thrown';
import { InvalidEnvError, parseEnv } from '../../src/env';

const valid = {
  APP_KEYS: 'aaaaaaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbbbbbb',
  API_TOKEN_SALT: 'cccccccccccccccccccc',
  ADMIN_JWT_SECRET: 'dddddddddddddddddddd',
  TRANSFER_TOKEN_SALT: 'eeeeeeeeeeeeeeeeeeee',
  JWT_SECRET: 'ffffffffffffffffffff',
  ENCRYPTION_KEY: 'gggggggggggggggggggg',
};

function messageFor(overrides: Record<string, string | undefined>): string {
  const error = thrownBy(() => parseEnv({ ...valid, ...overrides }));
  expect(error).toBeInstanceOf(InvalidEnvError);
  return error.message;
}

describe('environment', () => {
  it('defaults to SQLite under .tmp/ with the story seeded', () => {
    const env = parseEnv(valid);
    expect(env).toMatchObject({
      DATABASE_CLIENT: 'sqlite',
      DATABASE_FILENAME: '.tmp/data.db',
      PORT: 1337,
      SEED_STORY: true,
      CORS_ORIGINS: ['*'],
    });
    expect(env.APP_KEYS).toEqual(['aaaaaaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbbb']);
  });

  it('reads PostgreSQL settings', () => {
    const env = parseEnv({
      ...valid,
      DATABASE_CLIENT: 'postgres',
      DATABASE_URL: 'postgres://app:pw@db.internal:5432/newsroom',
      DATABASE_POOL_MAX: '20',
      DATABASE_SSL: 'true',
    });
    expect(env).toMatchObject({ DATABASE_CLIENT: 'postgres', DATABASE_POOL_MAX: 20, DATABASE_SSL: true });
  });

  it('treats empty values as unset', () => {
    expect(parseEnv({ ...valid, PORT: '', ADMIN_EMAIL: '', SEED_STORY: '' })).toMatchObject({ PORT: 1337, SEED_STORY: true });
  });

  it.each([
    [{ ADMIN_JWT_SECRET: undefined }, 'Invalid configuration: ADMIN_JWT_SECRET is required'],
    [{ JWT_SECRET: '' }, 'Invalid configuration: JWT_SECRET is required'],
    [{ API_TOKEN_SALT: 'tobemodified' }, 'Invalid configuration: API_TOKEN_SALT is a placeholder value; set a random one (see .env.example)'],
    [{ APP_KEYS: 'toBeModified1,toBeModified2' }, 'Invalid configuration: APP_KEYS is a placeholder value; set a random one (see .env.example)'],
    [{ APP_KEYS: 'aaaaaaaaaaaaaaaaaaaa' }, 'Invalid configuration: APP_KEYS needs at least two comma-separated keys so keys can be rotated'],
    [{ ENCRYPTION_KEY: 'short' }, 'Invalid configuration: ENCRYPTION_KEY must be at least 16 characters'],
    [{ PORT: 'eighty' }, 'Invalid configuration: PORT must be a whole number'],
    [{ PORT: '70000' }, 'Invalid configuration: PORT must be at most 65535'],
    [{ DATABASE_CLIENT: 'mysql' }, 'Invalid configuration: DATABASE_CLIENT must be sqlite or postgres'],
    [{ DATABASE_CLIENT: 'postgres' }, 'Invalid configuration: DATABASE_URL is required when DATABASE_CLIENT=postgres'],
    [
      { DATABASE_CLIENT: 'postgres', DATABASE_URL: 'mysql://x@y/z' },
      'Invalid configuration: DATABASE_URL must be a URL like postgres://user:password@host:5432/database',
    ],
    [{ DATABASE_POOL_MIN: '5', DATABASE_POOL_MAX: '2' }, 'Invalid configuration: DATABASE_POOL_MIN must not exceed DATABASE_POOL_MAX'],
    [{ SEED_STORY: 'yes' }, 'Invalid configuration: SEED_STORY must be true or false'],
    [{ PUBLIC_URL: 'cms.example.com' }, 'Invalid configuration: PUBLIC_URL must be an absolute URL, e.g. https://cms.example.com'],
    [{ ADMIN_EMAIL: 'not-an-email', ADMIN_PASSWORD: 'Passw0rdPass' }, 'Invalid configuration: ADMIN_EMAIL must be an email address'],
    [{ ADMIN_EMAIL: 'admin@example.com' }, 'Invalid configuration: ADMIN_PASSWORD is required when ADMIN_EMAIL is set'],
    [{ ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'password1' }, 'Invalid configuration: ADMIN_PASSWORD must contain an uppercase letter'],
    [{ EDITOR_PASSWORD: 'Passw0rdPass' }, 'Invalid configuration: EDITOR_EMAIL is required when EDITOR_PASSWORD is set'],
  ])('rejects %j with one line naming the variable', (overrides, expected) => {
    const message = messageFor(overrides);
    expect(message).toBe(expected);
    expect(message).not.toContain('\n');
  });
});
