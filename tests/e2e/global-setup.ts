/**
 * Builds the app as `npm run build` does (TypeScript and the admin panel), unless E2E_SKIP_BUILD=1
 * says the build in dist/ is current (CI builds right before).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export default async function globalSetup(): Promise<void> {
  const appDir = path.resolve(__dirname, '../..');
  if (process.env.E2E_SKIP_BUILD === '1' && existsSync(path.join(appDir, 'dist', 'build', 'index.html'))) return;
  const { status } = spawnSync(process.execPath, [path.join(appDir, 'scripts', 'build.js')], { cwd: appDir, stdio: 'inherit' });
  if (status !== 0) throw new Error('npm run build failed');
}
