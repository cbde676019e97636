/**
 * A throwaway database per test file: a fresh SQLite file, or a fresh PostgreSQL database created
 * through TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres) and dropped after.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'pg';

export interface TestDatabase {
  /** environment variables that point Strapi at it */
  env: Record<string, string>;
  drop(): Promise<void>;
}

const adminUrl = () => process.env.TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

async function withAdminClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(appDir: string): Promise<TestDatabase> {
  const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;

  if (process.env.DATABASE_CLIENT === 'postgres') {
    const name = `newsroom_test_${suffix}`;
    await withAdminClient((c) => c.query(`CREATE DATABASE "${name}"`));
    const url = new URL(adminUrl());
    url.pathname = `/${name}`;
    return {
      env: { DATABASE_CLIENT: 'postgres', DATABASE_URL: url.toString() },
      drop: () => withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
    };
  }

  const filename = path.join('.tmp', 'test', `${suffix}.db`);
  return {
    env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: filename },
    drop: async () => {
      for (const ext of ['', '-journal', '-wal', '-shm']) {
        await rm(path.join(appDir, `${filename}${ext}`), { force: true });
      }
    },
  };
}
