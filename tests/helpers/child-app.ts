/**
 * The app started in a child process, as `npm start` would: for start-up failures (which exit the
 * process) and for several processes on one database.
 */
import { spawn } from 'node:child_process';
import { appDir, distDir } from './strapi';

/** Opens a `node -e` script with the compiled app created (not yet loaded) as `app`. */
export const CREATE_APP = `
const { createStrapi } = require('@strapi/strapi');
const app = createStrapi({ appDir: ${JSON.stringify(appDir)}, distDir: ${JSON.stringify(distDir)} });
`;

// Strapi starts some fire-and-forget queries after load (metrics, plugin jobs); destroying the
// pool under them rejects them, so the child lets them finish first, as a served process would.
/** Loads the app, stops it, prints BOOTED and exits 0; exits 1 on an error. */
export const BOOT_AND_STOP = `${CREATE_APP}
app.load()
  .then(() => new Promise((r) => setTimeout(r, 1500)))
  .then(() => app.destroy())
  .then(() => { console.log('BOOTED'); process.exit(0); }, (e) => { console.error(e); process.exit(1); });
`;

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a `node -e` script in the app folder with the test environment plus `env`. */
export function runNode(script: string, env: Record<string, string>, timeoutMs = 60_000): Promise<ChildResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', script], { cwd: appDir, env: { ...process.env, ...env }, timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += String(c)));
    child.stderr.on('data', (c) => (stderr += String(c)));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
