/**
 * Boots the real, compiled app in-process against a throwaway database: one boot per test file.
 *
 *   const app = useStrapi();            // in a describe block or at the top of a file
 *   await request(app.server).get(...)  // supertest against Strapi's own HTTP server
 */
import path from 'node:path';
import type { Server } from 'node:http';
import { createStrapi, type Core } from '@strapi/strapi';
import { installContractCheck, type Contract } from './contract';
import { createTestDatabase, startFor, type DatabaseStart, type TestDatabase } from './database';

export const appDir = path.resolve(__dirname, '../..');
export const distDir = path.join(appDir, 'dist');

/**
 * A module of the compiled app, the instance the booted Strapi uses (a test's own import of src/
 * is a separate copy, with its own module state).
 */
export function appModule<T>(relativePath: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(distDir, relativePath)) as T;
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

  const strapi = await createStrapi({ appDir, distDir }).load();
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
