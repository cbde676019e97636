/**
 * Compiles the app once for the whole run (Strapi loads config only from compiled JS), after
 * removing a stale dist/ so a deleted source file cannot linger; then builds the template databases
 * every test file's database is copied from (templates.ts).
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { buildTemplates } from './templates';

export default async function globalSetup(): Promise<void> {
  const appDir = path.resolve(__dirname, '../..');
  await rm(path.join(appDir, 'dist'), { recursive: true, force: true });
  const { compileStrapi } = await import('@strapi/strapi');
  await compileStrapi({ appDir });
  await buildTemplates(appDir);
}
