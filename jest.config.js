const os = require('node:os');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: '<rootDir>/tests/helpers/app-realm-environment.js',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tests/tsconfig.json' }] },
  globalSetup: '<rootDir>/tests/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/tests/helpers/global-teardown.ts',
  setupFiles: ['<rootDir>/tests/helpers/test-env.ts'],
  testSequencer: '<rootDir>/tests/helpers/sequencer.js',
  // A Strapi boot takes several seconds; a whole file shares one boot.
  testTimeout: 60_000,
  // Each file has its own database, ports and Redis prefix, so files run side by side. Half again
  // as many workers as cores: the files that wait on child servers, timers and webhooks leave a
  // core idle that a third worker fills (SQLite 198 s with 3 workers, 227 s with 2, on 2 cores).
  maxWorkers: Math.max(2, Math.ceil(os.availableParallelism() * 1.5)),
  // A booted Strapi leaves its modules behind in the worker; a worker past this is replaced after
  // its file, before garbage collection over a large heap slows the next ones.
  workerIdleMemoryLimit: '600MB',
  verbose: true,
};
