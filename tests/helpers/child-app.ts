/**
 * The app started in a child process, as `npm start` would: for start-up failures (which exit the
 * process) and for several processes on one database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createTestDatabase, startFor, type TestDatabase } from './database';
import { freePort } from './receiver';
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

/** Loads the app, listens on PORT, creates a full-access API token and prints `READY <token>`; Strapi stops itself on SIGTERM. */
export const SERVE = `${CREATE_APP}
app.load()
  .then(() => app.listen())
  .then(() => app.service('admin::api-token').create({ name: 'child-' + process.pid + '-' + Date.now(), type: 'full-access', lifespan: null }))
  .then((token) => console.log('READY ' + token.accessKey), (e) => { console.error(e); process.exit(1); });
`;

export interface ServingChild {
  child: ChildProcess;
  token: string;
  output: () => string;
  /** Resolves once the process has exited. */
  exited: Promise<number | null>;
}

/** Starts the app as a server in a child process; resolves when it is listening. */
export function serve(env: Record<string, string>, timeoutMs = 90_000): Promise<ServingChild> {
  const child = spawn(process.execPath, ['-e', SERVE], { cwd: appDir, env: { ...process.env, ...env } });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), timeoutMs);
    child.stderr.on('data', (c) => (output += String(c)));
    child.stdout.on('data', (c) => {
      output += String(c);
      const ready = /READY (\S+)/.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve({ child, token: ready[1], output: () => output, exited });
      }
    });
    void exited.then((code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

/** A served child on its own throwaway database and public folder, and how to stop it and clean up. */
export interface ServedApp {
  server: ServingChild;
  database: TestDatabase;
  base: string;
  stop(): Promise<void>;
}

/**
 * Starts the app as a server in a child process on a new test database (the caller's env added),
 * or on `shared`, a database the caller made and drops itself (several servers on one database).
 */
export async function serveOnTestDatabase(env: Record<string, string>, shared?: TestDatabase): Promise<ServedApp> {
  const database = shared ?? (await createTestDatabase(appDir, startFor(env)));
  // A second server on a shared database has a disk of its own, holding the same uploaded files.
  const publicDir = shared ? await shared.newPublicDir() : database.publicDir;
  const port = await freePort();
  const server = await serve({ ...database.env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_DIR: publicDir, LOG_LEVEL: 'error', REBUILD_POLL_MS: '600000', ...env });
  return {
    server,
    database,
    base: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGTERM');
        await server.exited;
      }
      if (shared) await rm(publicDir, { recursive: true, force: true });
      else await database.drop();
    },
  };
}
