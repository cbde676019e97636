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

/** Boots once before the file's tests and stops after; the returned object is filled in beforeAll. */
export function useStrapi(options: BootOptions = {}): TestApp {
  const app = {} as TestApp;
  let stop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const booted = await bootStrapi(options);
    Object.assign(app, booted.app);
    stop = booted.stop;
  }, 120_000);
  afterAll(async () => {
    await stop?.();
  }, 60_000);
  return app;
}
