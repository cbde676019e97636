/**
 * Bad configuration stops start-up with one line naming the variable. Each case starts the real
 * app in a child process, as `npm run start` would.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BOOT_AND_STOP, CREATE_APP, runNode } from '../helpers/child-app';
import { createTestDatabase } from '../helpers/database';
import { appDir } from '../helpers/strapi';

/** Boots, serves on a free port, asks GraphQL for its schema and for the sandbox page, prints both. */
const PROBE_GRAPHQL = `${CREATE_APP}
(async () => {
  await app.load();
  app.server.mount();
  await new Promise((r) => app.server.httpServer.listen(0, '127.0.0.1', r));
  const base = 'http://127.0.0.1:' + app.server.httpServer.address().port + '/graphql';
  const introspection = await fetch(base, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }) });
  const page = await fetch(base, { headers: { accept: 'text/html' } });
  const html = await page.text();
  console.log('PROBE ' + JSON.stringify({ introspection: await introspection.json(), sandbox: html.includes('embeddable-sandbox.umd') }));
  await app.destroy();
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
`;

async function probe(env: Record<string, string>) {
  const database = await createTestDatabase(appDir, 'bare');
  const result = await runNode(PROBE_GRAPHQL, { ...env, ...database.env }).finally(() => database.drop());
  expect(result.stderr).toBe('');
  const line = result.stdout.split('\n').find((l) => l.startsWith('PROBE '));
  expect(line).toBeDefined();
  return JSON.parse(line!.slice('PROBE '.length));
}

describe('GraphQL sandbox and introspection', () => {
  it('are on outside production', async () => {
    const result = await probe({ NODE_ENV: 'development', SEED_STORY: 'false' });
    expect(result.introspection).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    expect(result.sandbox).toBe(true);
  });

  it('are off in production', async () => {
    const result = await probe({ NODE_ENV: 'production', SEED_STORY: 'false', CORS_ORIGINS: 'https://www.example.com', SITE_URL: 'https://www.example.com', SITE_NAME: 'The Example' });
    expect(result.introspection.errors[0].message).toMatch(/introspection is not allowed/i);
    expect(result.sandbox).toBe(false);
  });
});

describe('start-up with bad configuration', () => {
  it.each([
    [{ ADMIN_JWT_SECRET: 'tobemodified' }, 'Invalid configuration: ADMIN_JWT_SECRET is a placeholder value; set a random one (see .env.example)'],
    [{ APP_KEYS: 'only-one-key-but-long-enough' }, 'Invalid configuration: APP_KEYS needs at least two comma-separated keys so keys can be rotated'],
    [{ DATABASE_CLIENT: 'postgres', DATABASE_URL: '' }, 'Invalid configuration: DATABASE_URL is required when DATABASE_CLIENT=postgres'],
    [{ DATABASE_CLIENT: 'oracle' }, 'Invalid configuration: DATABASE_CLIENT must be sqlite or postgres'],
    [{ PORT: 'http' }, 'Invalid configuration: PORT must be a whole number'],
    [{ ADMIN_EMAIL: 'chief@example.com', ADMIN_PASSWORD: 'weak' }, 'Invalid configuration: ADMIN_PASSWORD must be at least 8 characters'],
    [
      { REBUILD_WEBHOOK_URLS: 'https://www.example.com/api/revalidate', REBUILD_WEBHOOK_SECRET: 'not-a-secret' },
      'Invalid configuration: REBUILD_WEBHOOK_SECRET must be whsec_ followed by base64 (the Standard Webhooks format)',
    ],
    [{ NODE_ENV: 'production', CORS_ORIGINS: '', DATABASE_CLIENT: 'sqlite' }, 'Invalid configuration: CORS_ORIGINS must list the origins of the sites that call the API in production (or set CORS_ALLOW_ANY=true to allow any origin)'],
    [{ NODE_ENV: 'production', CORS_ORIGINS: '*', DATABASE_CLIENT: 'sqlite' }, 'Invalid configuration: CORS_ORIGINS must list the origins of the sites that call the API in production (or set CORS_ALLOW_ANY=true to allow any origin)'],
    [{ CORS_ORIGINS: 'https://www.example.com/news' }, 'Invalid configuration: CORS_ORIGINS must list origins like https://www.example.com (scheme, host and port only), or *'],
  ])('%j stops start-up with one line', async (env, line) => {
    const result = await runNode(BOOT_AND_STOP, env);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`${line}\n`);
    expect(result.stdout).not.toContain('BOOTED');
  });

  it('the unfilled .env.example is refused, naming its first placeholder', async () => {
    const example = Object.fromEntries(
      readFileSync(path.join(appDir, '.env.example'), 'utf8')
        .split('\n')
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    const result = await runNode(BOOT_AND_STOP, example);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('Invalid configuration: APP_KEYS is a placeholder value; set a random one (see .env.example)\n');
  });
});
