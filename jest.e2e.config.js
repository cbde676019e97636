/**
 * `npm run test:e2e`: the admin in a real Chromium (Debian's, /usr/bin/chromium) against the
 * production build, served from a child process on a free port with a fresh SQLite database.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests/e2e'],
  testMatch: ['**/*.e2e.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tests/tsconfig.json' }] },
  globalSetup: '<rootDir>/tests/e2e/global-setup.ts',
  setupFiles: ['<rootDir>/tests/helpers/test-env.ts'],
  testTimeout: 120_000,
  verbose: true,
};
