#!/usr/bin/env node
/**
 * `npm run seed:synthetic -- --articles 100000`: a deterministic archive for measuring reads at
 * scale (database/seed/synthetic.js says what it holds). Run it with the server stopped.
 *
 * Options: --articles N (default 1000), --entities N (default 20000), --seed N (default 1),
 * --batch N (articles per transaction, default 500). The database is the app's (.env /
 * DATABASE_* variables), SQLite by default. Progress goes to stderr.
 */
'use strict';
const path = require('node:path');
const { compileStrapi, createStrapi } = require('@strapi/strapi');
const { seedSynthetic } = require('../database/seed/synthetic');
const { progressBar } = require('./progress');

const appDir = path.resolve(__dirname, '..');

function options(argv) {
  const opts = { articles: 1000, entities: 20000, seed: 1, batch: 500 };
  for (let i = 0; i < argv.length; i += 1) {
    const name = argv[i].replace(/^--/, '');
    if (!(name in opts)) throw new Error(`unknown option ${argv[i]} (known: ${Object.keys(opts).map((k) => `--${k}`).join(', ')})`);
    const value = Number(argv[(i += 1)]);
    if (!Number.isInteger(value) || value < (name === 'seed' ? 0 : 1)) throw new Error(`--${name} needs a whole number`);
    opts[name] = value;
  }
  return opts;
}

async function main() {
  const opts = options(process.argv.slice(2));
  process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'warn';
  await compileStrapi({ appDir });
  const strapi = await createStrapi({ appDir, distDir: path.join(appDir, 'dist') }).load();
  const started = Date.now();
  try {
    const { added } = await seedSynthetic(strapi, opts);
    // Written past the change feed: the search index catches up now rather than at the next boot.
    if (added > 0) {
      const { reconcileIndex } = require(path.join(appDir, 'dist/src/search/indexer'));
      await reconcileIndex(strapi, progressBar('search index'));
      const { reconcileAdminIndex } = require(path.join(appDir, 'dist/src/search/admin-index'));
      await reconcileAdminIndex(strapi, progressBar('admin list search'));
    }
  } finally {
    await strapi.destroy();
  }
  process.stderr.write(`seed:synthetic done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

main().catch((error) => {
  process.stderr.write(`seed:synthetic failed: ${error.message}\n`);
  process.exit(1);
});
