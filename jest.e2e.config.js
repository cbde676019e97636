/**
 * `npm run test:e2e`: the admin in a real Chromium (Debian's, /usr/bin/chromium) against the
 * production build, served from a child process on a free port with a fresh SQLite database.
 * Same transform and environment as `npm test`; its own folder, setup (the build) and timeout.
 * @type {import('jest').Config}
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/tests/e2e'],
  testMatch: ['**/*.e2e.ts'],
  globalSetup: '<rootDir>/tests/e2e/global-setup.ts',
  testTimeout: 120_000,
};
