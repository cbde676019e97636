/**
 * A throwaway database per test file, with its own public folder (PUBLIC_DIR, uploads/ inside):
 * a SQLite file, or a PostgreSQL database made through TEST_POSTGRES_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres); dropped after.
 *
 * It starts as a copy of a template the run built once (tests/helpers/templates.ts): the schema,
 * roles, locales and, for `story`, the seeded story with its uploaded files. A boot on it finds
 * everything in place, which takes about half the time of a first boot on an empty database.
 * `empty` is an empty database, for tests of what a first boot does.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, cp, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

/** What a test database starts from: the seeded story, the bare setup (SEED_STORY=false), or nothing. */
export type DatabaseStart = 'story' | 'bare' | 'empty';

export interface TestDatabase {
  /** environment variables that point Strapi at it (DATABASE_* and PUBLIC_DIR) */
  env: Record<string, string>;
  publicDir: string;
  /** another public folder holding the same uploaded files: a second server with a disk of its own */
  newPublicDir(): Promise<string>;
  drop(): Promise<void>;
}

export type DatabaseClient = 'sqlite' | 'postgres';

/** A template the run built: its database and the folder holding its uploads/. */
export interface Template {
  client: DatabaseClient;
  /** the database's name (namedDatabase) */
  name: string;
  publicDir: string;
}

/** The run passes its templates to the workers in this variable (a JSON map of DatabaseStart to Template). */
export const TEMPLATES_VARIABLE = 'NEWSROOM_TEST_TEMPLATES';

const adminUrl = () => process.env.TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** The run's database client: DATABASE_CLIENT, sqlite unless it says postgres. */
export const runClient = (): DatabaseClient => (process.env.DATABASE_CLIENT === 'postgres' ? 'postgres' : 'sqlite');

async function withAdminClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function postgresUrl(name: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export interface NamedDatabase {
  /** DATABASE_* variables that point Strapi at it */
  env: Record<string, string>;
  /** makes it, empty or as a copy of the database named `from` */
  create(from?: string): Promise<void>;
  drop(): Promise<void>;
}

/**
 * The database called `name` on `client`: a PostgreSQL database through TEST_POSTGRES_URL, or the
 * SQLite file .tmp/test/<name>.db (with its journal, WAL and shared-memory files).
 */
export function namedDatabase(appDir: string, client: DatabaseClient, name: string): NamedDatabase {
  if (client === 'postgres') {
    return {
      env: { DATABASE_CLIENT: 'postgres', DATABASE_URL: postgresUrl(name) },
      create: async (from) => {
        await withAdminClient((c) => c.query(`CREATE DATABASE "${name}"${from ? ` TEMPLATE "${from}"` : ''}`));
      },
      drop: async () => {
        await withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      },
    };
  }
  const filename = (n: string) => path.join('.tmp', 'test', `${n}.db`);
  const files = (n: string) => ['', '-journal', '-wal', '-shm'].map((ext) => path.join(appDir, `${filename(n)}${ext}`));
  return {
    env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: filename(name) },
    create: async (from) => {
      await mkdir(path.join(appDir, '.tmp', 'test'), { recursive: true });
      if (!from) return;
      const [source, target] = [files(from), files(name)];
      for (let i = 0; i < source.length; i += 1) {
        if (await stat(source[i]).catch(() => null)) await copyFile(source[i], target[i]);
      }
    },
    drop: async () => {
      for (const file of files(name)) await rm(file, { force: true });
    },
  };
}

/**
 * The template a boot with `env` (over the test environment) would have seeded: the story, the bare
 * setup when the seed is off, nothing when uploads go elsewhere (S3: the template's files are local).
 */
export function startFor(env: Record<string, string> = {}): DatabaseStart {
  if (env.UPLOAD_PROVIDER) return 'empty';
  return env.SEED_STORY === 'false' ? 'bare' : 'story';
}

function templateFor(start: DatabaseStart, client: DatabaseClient): Template | undefined {
  if (start === 'empty') return undefined;
  const raw = process.env[TEMPLATES_VARIABLE];
  const template = raw ? (JSON.parse(raw) as Partial<Record<DatabaseStart, Template>>)[start] : undefined;
  // A run without templates (a single file run outside jest's global setup) starts empty.
  return template?.client === client ? template : undefined;
}

/** A new public folder with uploads/, holding a copy of the template's files when there is one. */
export async function publicDirFrom(template: Pick<Template, 'publicDir'> | undefined): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'newsroom-public-'));
  if (template) await cp(path.join(template.publicDir, 'uploads'), path.join(dir, 'uploads'), { recursive: true });
  else await mkdir(path.join(dir, 'uploads'));
  return dir;
}

export async function createTestDatabase(appDir: string, start: DatabaseStart = 'story'): Promise<TestDatabase> {
  const client = runClient();
  const template = templateFor(start, client);
  const database = namedDatabase(appDir, client, `newsroom_test_${process.pid}_${randomBytes(4).toString('hex')}`);
  await database.create(template?.name);
  const publicDir = await publicDirFrom(template);
  const dirs = [publicDir];
  return {
    env: { ...database.env, PUBLIC_DIR: publicDir },
    publicDir,
    newPublicDir: async () => {
      const dir = await publicDirFrom(template);
      dirs.push(dir);
      return dir;
    },
    drop: async () => {
      await database.drop();
      await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}
