#!/usr/bin/env node
/**
 * `npm run db:migrate`: the one-time step a deploy runs before starting (or restarting) the app's
 * processes. It boots the app once against the configured database — Strapi creates or alters the
 * schema and runs its migrations and database/migrations/, the boot-time setup runs (locales,
 * roles, the story, the sitemap month counts) — then stops and exits 0. Several processes starting
 * together must not race on a schema change: run this first, from one machine.
 */
'use strict';
const path = require('node:path');
const { compileStrapi, createStrapi } = require('@strapi/strapi');

const appDir = path.resolve(__dirname, '..');

async function main() {
  process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'warn';
  const started = Date.now();
  await compileStrapi({ appDir });
  const strapi = await createStrapi({ appDir, distDir: path.join(appDir, 'dist') }).load();
  await strapi.destroy();
  process.stderr.write(`db:migrate: schema and setup up to date in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`db:migrate failed: ${error.message}\n`);
    process.exit(1);
  },
);
