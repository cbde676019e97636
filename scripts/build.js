#!/usr/bin/env node
/**
 * `npm run build`: type-checks the app, its tests and the admin additions, compiles and builds the admin panel. Strapi evaluates the config
 * while building, but the build output holds no secret, so a build machine needs none: any secret
 * not set is filled with a throwaway random value for this process only (never written anywhere).
 */
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { randomSecrets } = require('./secrets');

const root = path.resolve(__dirname, '..');
const env = { ...process.env };
for (const [name, value] of Object.entries(randomSecrets())) if (!env[name]) env[name] = value;

const bin = (name) => path.join(root, 'node_modules', '.bin', name);
for (const [cmd, args] of [
  [bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']],
  [bin('tsc'), ['-p', 'tests/tsconfig.json']],
  [bin('tsc'), ['-p', 'src/admin/tsconfig.json', '--noEmit']],
  [bin('strapi'), ['build']],
]) {
  const { status } = spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}
