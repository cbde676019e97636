/**
 * The template databases of a run: built once in jest's global setup by booting the compiled app in
 * a child process on an empty database (with the test environment, as a test file boots), then
 * copied by every test file's createTestDatabase and dropped in the global teardown.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { BOOT_AND_STOP, runNode } from './child-app';
import { namedDatabase, publicDirFrom, runClient, TEMPLATES_VARIABLE, type DatabaseStart, type Template } from './database';
import { testEnvironment } from './environment';

const STARTS: Record<Exclude<DatabaseStart, 'empty'>, { SEED_STORY: string }> = {
  story: { SEED_STORY: 'true' },
  bare: { SEED_STORY: 'false' },
};

async function buildTemplate(appDir: string, start: keyof typeof STARTS): Promise<Template> {
  const template: Template = { client: runClient(), name: `newsroom_template_${start}_${process.pid}`, publicDir: await publicDirFrom(undefined) };
  const database = namedDatabase(appDir, template.client, template.name);
  await database.create();
  const booted = await runNode(BOOT_AND_STOP, { ...testEnvironment(), ...STARTS[start], ...database.env, PUBLIC_DIR: template.publicDir }, 120_000);
  if (booted.code !== 0 || !booted.stdout.includes('BOOTED')) {
    await removeTemplate(appDir, template);
    throw new Error(`the ${start} template database did not build (exit ${booted.code}):\n${booted.stdout}\n${booted.stderr}`);
  }
  return template;
}

async function removeTemplate(appDir: string, template: Template): Promise<void> {
  await namedDatabase(appDir, template.client, template.name).drop();
  await rm(template.publicDir, { recursive: true, force: true });
}

/** Builds the templates (in parallel) and hands them to the workers through the environment. */
export async function buildTemplates(appDir: string): Promise<void> {
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
