#!/usr/bin/env node
/**
 * `npm run build`: type-checks the app and its tests, compiles and builds the admin panel. Strapi evaluates the config
 * while building, but the build output holds no secret, so a build machine needs none: any secret
 * not set is filled with a throwaway random value for this process only (never written anywhere).
 */
'use strict';
const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const random = () => crypto.randomBytes(24).toString('base64url');
const SECRETS = ['API_TOKEN_SALT', 'ADMIN_JWT_SECRET', 'TRANSFER_TOKEN_SALT', 'JWT_SECRET', 'ENCRYPTION_KEY'];

const env = { ...process.env };
if (!env.APP_KEYS) env.APP_KEYS = `${random()},${random()}`;
for (const key of SECRETS) if (!env[key]) env[key] = random();

const bin = (name) => path.join(root, 'node_modules', '.bin', name);
for (const [cmd, args] of [
  [bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']],
  [bin('tsc'), ['-p', 'tests/tsconfig.json']],
  [bin('strapi'), ['build']],
]) {
  const { status } = spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}
