/**
 * N processes booting at once on one fresh PostgreSQL database set it up once: one set of locales,
 * Public rights, admin account and story, no duplicates. PostgreSQL only (SQLite is the embedded,
 * single-process setup); skipped on SQLite.
 */
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { BOOT_AND_STOP, runNode } from '../helpers/child-app';
import { appDir } from '../helpers/strapi';

const onPostgres = process.env.DATABASE_CLIENT === 'postgres' ? describe : describe.skip;
const PROCESSES = 3;

onPostgres('several processes booting together on one database', () => {
  let database: TestDatabase;
  let counts: Record<string, number>;

  beforeAll(async () => {
    database = await createTestDatabase(appDir, 'empty');
    // The first boot creates the schema, as a deploy's first process or migration step does.
    const env = { ...database.env, LOG_LEVEL: 'error', SEED_STORY: 'true', ADMIN_EMAIL: 'chief@example.com', ADMIN_PASSWORD: 'Chief-Editor-2024' };
    const first = await runNode(BOOT_AND_STOP, { ...env, SEED_STORY: 'false', ADMIN_EMAIL: '', ADMIN_PASSWORD: '' });
    expect(first).toMatchObject({ code: 0, stderr: '' });
    // Then N processes boot at the same moment, each finding no story and no admin.
    const results = await Promise.all(Array.from({ length: PROCESSES }, () => runNode(BOOT_AND_STOP, env, 120_000)));
    expect(results.map(({ code, stderr }) => ({ code, stderr }))).toEqual(Array.from({ length: PROCESSES }, () => ({ code: 0, stderr: '' })));

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
