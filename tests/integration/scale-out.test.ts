/**
 * N processes booting at once on one fresh PostgreSQL database set it up once: one set of locales,
 * Public rights, admin account and story, no duplicates. PostgreSQL only (SQLite is the embedded,
 * single-process setup); skipped on SQLite.
 */
import { spawn } from 'node:child_process';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { appDir, distDir } from '../helpers/strapi';

const onPostgres = process.env.DATABASE_CLIENT === 'postgres' ? describe : describe.skip;
const PROCESSES = 3;

// Strapi starts some fire-and-forget queries after load (metrics, plugin jobs); destroying the
// pool under them rejects them, so the child lets them finish first, as a served process would.
const BOOT = `
const { createStrapi } = require('@strapi/strapi');
createStrapi({ appDir: ${JSON.stringify(appDir)}, distDir: ${JSON.stringify(distDir)} })
  .load()
  .then((app) => new Promise((r) => setTimeout(r, 1500)).then(() => app.destroy()))
  .then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
`;

function boot(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', BOOT], { cwd: appDir, env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += String(c)));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

onPostgres('several processes booting together on one database', () => {
  let database: TestDatabase;
  let counts: Record<string, number>;

  beforeAll(async () => {
    database = await createTestDatabase(appDir);
    // The first boot creates the schema, as a deploy's first process or migration step does.
    const env = { ...database.env, LOG_LEVEL: 'error', SEED_STORY: 'true', ADMIN_EMAIL: 'chief@example.com', ADMIN_PASSWORD: 'Chief-Editor-2024' };
    const first = await boot({ ...env, SEED_STORY: 'false', ADMIN_EMAIL: '', ADMIN_PASSWORD: '' });
    expect(first).toEqual({ code: 0, stderr: '' });
    // Then N processes boot at the same moment, each finding no story and no admin.
    const results = await Promise.all(Array.from({ length: PROCESSES }, () => boot(env)));
    expect(results).toEqual(Array.from({ length: PROCESSES }, () => ({ code: 0, stderr: '' })));

    const client = new Client({ connectionString: database.env.DATABASE_URL });
    await client.connect();
    const count = async (sql: string) => Number((await client.query(sql)).rows[0].n);
    counts = {
      articles: await count('select count(*) n from articles'),
      entities: await count('select count(*) n from entities'),
      images: await count('select count(*) n from images'),
      files: await count('select count(*) n from files'),
      locales: await count('select count(*) n from i18n_locale'),
      admins: await count('select count(*) n from admin_users'),
      publicRights: await count(
        "select count(*) n from up_permissions p join up_permissions_role_lnk l on l.permission_id = p.id join up_roles r on r.id = l.role_id where r.type = 'public'",
      ),
    };
    await client.end();
  }, 180_000);

  afterAll(async () => {
    await database?.drop();
  });

  it('seed the story, its entities and its image once', () => {
    expect(counts).toMatchObject({ articles: 2, entities: 23, images: 1, files: 1 });
  });

  it('create each locale, the Super Admin and the Public rights once', () => {
    expect(counts).toMatchObject({ locales: 4, admins: 1, publicRights: 8 });
  });
});
