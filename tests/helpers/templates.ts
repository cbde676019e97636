/**
 * The template databases of a run: built once in jest's global setup by booting the compiled app in
 * a child process on an empty database (with the test environment, as a test file boots), then
 * copied by every test file's createTestDatabase and dropped in the global teardown.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BOOT_AND_STOP, runNode } from './child-app';
import { postgresUrl, sqliteFiles, TEMPLATES_VARIABLE, withAdminClient, type DatabaseStart, type Template } from './database';
import { testEnvironment } from './environment';

const STARTS: Record<Exclude<DatabaseStart, 'empty'>, { SEED_STORY: string }> = {
  story: { SEED_STORY: 'true' },
  bare: { SEED_STORY: 'false' },
};

async function buildTemplate(appDir: string, start: keyof typeof STARTS): Promise<Template> {
  const client = process.env.DATABASE_CLIENT === 'postgres' ? 'postgres' : 'sqlite';
  const publicDir = await mkdtemp(path.join(os.tmpdir(), `newsroom-template-${start}-`));
  await mkdir(path.join(publicDir, 'uploads'));
  const template: Template = { client, publicDir, database: '' };
  let databaseEnv: Record<string, string>;
  if (client === 'postgres') {
    template.database = `newsroom_template_${start}_${process.pid}`;
    await withAdminClient((c) => c.query(`CREATE DATABASE "${template.database}"`));
    databaseEnv = { DATABASE_CLIENT: 'postgres', DATABASE_URL: postgresUrl(template.database) };
  } else {
    template.database = path.join('.tmp', 'test', `template_${start}_${process.pid}.db`);
    databaseEnv = { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: template.database };
  }
  const booted = await runNode(BOOT_AND_STOP, { ...testEnvironment(), ...STARTS[start], ...databaseEnv, PUBLIC_DIR: publicDir }, 120_000);
  if (booted.code !== 0 || !booted.stdout.includes('BOOTED')) {
    await removeTemplate(appDir, template);
    throw new Error(`the ${start} template database did not build (exit ${booted.code}):\n${booted.stdout}\n${booted.stderr}`);
  }
  return template;
}

async function removeTemplate(appDir: string, template: Template): Promise<void> {
  if (template.client === 'postgres') await withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS "${template.database}" WITH (FORCE)`));
  else for (const file of sqliteFiles(path.join(appDir, template.database))) await rm(file, { force: true });
  await rm(template.publicDir, { recursive: true, force: true });
}

/** Builds the templates (in parallel) and hands them to the workers through the environment. */
export async function buildTemplates(appDir: string): Promise<void> {
  await mkdir(path.join(appDir, '.tmp', 'test'), { recursive: true });
  const starts = Object.keys(STARTS) as Array<keyof typeof STARTS>;
  const built = await Promise.all(starts.map((start) => buildTemplate(appDir, start)));
  process.env[TEMPLATES_VARIABLE] = JSON.stringify(Object.fromEntries(starts.map((start, i) => [start, built[i]])));
}

export async function removeTemplates(appDir: string): Promise<void> {
  const raw = process.env[TEMPLATES_VARIABLE];
  if (!raw) return;
  delete process.env[TEMPLATES_VARIABLE];
  await Promise.all(Object.values(JSON.parse(raw) as Record<string, Template>).map((t) => removeTemplate(appDir, t)));
}
