/**
 * Boots the real, compiled app in-process against a throwaway database: one boot per test file.
 *
 *   const app = useStrapi();            // in a describe block or at the top of a file
 *   await request(app.server).get(...)  // supertest against Strapi's own HTTP server
 */
import path from 'node:path';
import type { Server } from 'node:http';
import type { Core } from '@strapi/strapi';
import { installContractCheck, type Contract } from './contract';
import { createTestDatabase, startFor, type DatabaseStart, type TestDatabase } from './database';

export const appDir = path.resolve(__dirname, '../..');
export const distDir = path.join(appDir, 'dist');

/**
 * Node's own `process` and `module`, past jest's sandbox. The app is loaded with Node's require,
 * as `npm start` loads it, not through jest's module registry: a boot then takes about 1.5 s less
 * CPU (3.4 s against about 4.9 in one measurement: jest compiles each of its 3,900 modules in a
 * vm.Script of its own, resolves and wraps it). The app runs in the worker's own realm, so it reads the worker's real
 * environment (synced from the test's before each boot); its own modules are forgotten after the
 * file's boot stops, so that the next file in the worker loads them afresh (forgetAppModules).
 */
const host = process as unknown as { getBuiltinModule(name: 'process'): NodeJS.Process; getBuiltinModule(name: 'module'): typeof import('node:module') };
/** The worker's own `process`: its real environment, listeners and stdout/stderr. */
export const nodeProcess = host.getBuiltinModule('process');
const nodeModule = host.getBuiltinModule('module') as typeof import('node:module') & { _cache: Record<string, unknown> };
const nodeRequire = nodeModule.createRequire(path.join(appDir, 'package.json'));

/** The worker's real environment made the test's (jest gives the sandbox a copy of its own). */
function syncEnvironment(): void {
  for (const name of Object.keys(nodeProcess.env)) if (!(name in process.env)) delete nodeProcess.env[name];
  Object.assign(nodeProcess.env, process.env);
}

/**
 * The app's own modules (its compiled `dist/`, config included, which reads the environment) are
 * dropped from Node's cache before a file boots and after its boot stops, whatever an earlier file
 * in the worker left, so each file's boot loads them afresh with its own environment. The
 * packages it loads from node_modules (Strapi's 3,900 modules) stay loaded for the worker's next
 * file, as they are loaded once per process in production: a boot with them loaded takes about
 * 0.8 s of CPU instead of 2.0–2.4 s (a seeded SQLite database, four boots in one process), and the
 * worker's heap stays flat instead of growing by about 140 MB a boot. Strapi keeps its state on
 * the instance it creates, not in its modules; the app's patches of its packages install once and
 * hold no state of a boot (src/graphql/plugin-modules.ts, src/reads/).
 */
const worker = nodeProcess as NodeJS.Process & { newsroomBaseline?: Set<string> };
const baseline = (worker.newsroomBaseline ??= new Set(Object.keys(nodeModule._cache)));
const packagesDir = path.join(appDir, 'node_modules') + path.sep;
function forgetAppModules(): void {
  for (const key of Object.keys(nodeModule._cache)) if (!baseline.has(key) && !key.startsWith(packagesDir)) delete nodeModule._cache[key];
}
forgetAppModules();

const processEvents = nodeProcess as unknown as import('node:events').EventEmitter;
type Listener = (...args: unknown[]) => void;

/**
 * The worker process's listeners before a boot; `restore` puts them back as they were. The app
 * adds its own (its graceful shutdown's SIGTERM handler, which exits the process), and Strapi's
 * destroy() calls `process.removeAllListeners()`, which would take jest-worker's `message`
 * listener and leave the worker nothing to wait on. Node's own `newListener`/`removeListener`
 * hooks (which ref the IPC channel again) go back first.
 */
function processListeners(): { restore: () => void } {
  const before = new Map(processEvents.eventNames().map((event) => [event, processEvents.listeners(event) as Listener[]]));
  return {
    restore: () => {
      const events = new Set([...processEvents.eventNames(), ...before.keys()]);
      const order = ['newListener', 'removeListener', ...[...events].filter((e) => e !== 'newListener' && e !== 'removeListener')];
      for (const event of order) {
        const kept = before.get(event) ?? [];
        const now = processEvents.listeners(event) as Listener[];
        if (now.length === kept.length && kept.every((listener, i) => now[i] === listener)) continue;
        for (const listener of now) processEvents.removeListener(event, listener);
        for (const listener of kept) processEvents.on(event, listener);
      }
    },
  };
}

/**
 * A module of the compiled app, the instance the booted Strapi uses (a test's own import of src/
 * is a separate copy, with its own module state).
 */
export function appModule<T>(relativePath: string): T {
  return nodeRequire(path.join(distDir, relativePath)) as T;
}

export interface TestApp {
  strapi: Core.Strapi;
  /** Strapi's HTTP server, listening on a port of its own on 127.0.0.1 */
  server: Server;
  /** every answer checked against the OpenAPI document (tests/helpers/contract.ts) */
  contract?: Contract;
}

export interface BootOptions {
  env?: Record<string, string>;
  /**
   * What the database holds before the boot (database.ts); by default what `env` would have seeded
   * (startFor).
   */
  start?: DatabaseStart;
}

export async function bootStrapi(options: BootOptions = {}): Promise<{ app: TestApp; stop: () => Promise<void> }> {
  const database: TestDatabase = await createTestDatabase(appDir, options.start ?? startFor(options.env));
  Object.assign(process.env, database.env, options.env);
  syncEnvironment();
  const listeners = processListeners();

  const { createStrapi } = nodeRequire('@strapi/strapi') as typeof import('@strapi/strapi');
  let strapi: Core.Strapi;
  try {
    strapi = await createStrapi({ appDir, distDir }).load();
  } catch (error) {
    // A boot that failed leaves no listener (its SIGTERM drain would exit the worker) behind.
    listeners.restore();
    forgetAppModules();
    throw error;
  }
  strapi.server.mount();
  // Listening once: supertest then sends every request to this port, instead of opening and
  // closing a listener around each one.
  await new Promise<void>((resolve) => strapi.server.httpServer.listen(0, '127.0.0.1', resolve));
  const { openApiDocument } = appModule<{ openApiDocument(s: Core.Strapi): Promise<Parameters<typeof installContractCheck>[1]> }>('src/openapi/document');
  const contract = installContractCheck(strapi.server.httpServer, await openApiDocument(strapi));
  const app = { strapi, server: strapi.server.httpServer, contract };

  const stop = async () => {
    const violations = contract.violations();
    await strapi.destroy();
    listeners.restore();
    forgetAppModules();
    await database.drop();
    // A test file passes only if every answer it received is what the OpenAPI document says.
    if (violations.length > 0) {
      throw new Error(`${violations.length} answers did not match openapi.json:\n${[...new Set(violations)].slice(0, 30).join('\n')}`);
    }
  };
  return { app, stop };
}

/** The boot of this test file (jest gives each file its own copy of this module). */
let booted: { app: TestApp; options: BootOptions } | undefined;

/**
 * Boots once before the file's tests and stops after; the returned object is filled in beforeAll.
 * A file that gathers several test modules (e.g. story-reads.test.ts requiring story-reads/*.ts,
 * each in a describe of its own) boots once for all of them: the file calls useStrapi first, at
 * its top level, and each module's own call gets that app, provided what it asks for does not
 * contradict the boot (the same start, and every variable it sets set to the same value).
 */
export function useStrapi(options: BootOptions = {}): TestApp {
  if (booted) {
    const boot = booted.options;
    const differing = Object.entries(options.env ?? {})
      .filter(([name, value]) => (boot.env?.[name] ?? process.env[name]) !== value)
      .map(([name]) => name);
    if ((options.start ?? startFor(options.env)) !== (boot.start ?? startFor(boot.env))) differing.push('start');
    if (differing.length > 0) {
      throw new Error(`useStrapi: this file already boots with other settings (${differing.join(', ')}); give the file's first useStrapi what every module in it needs`);
    }
    return booted.app;
  }
  const app = {} as TestApp;
  booted = { app, options };
  let stop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const started = await bootStrapi(options);
    Object.assign(app, started.app);
    stop = started.stop;
  }, 120_000);
  afterAll(async () => {
    await stop?.();
  }, 60_000);
  return app;
}

/**
 * For a file gathering test modules: `describe(name, gather(__dirname, 'story-reads/story-rest'))`
 * declares that module's tests (and its hooks) inside the describe.
 */
export const gather = (dir: string, module: string) => () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(path.join(dir, module));
};
