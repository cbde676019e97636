#!/usr/bin/env node
/**
 * `npm run search:reindex`: empties the reader-search index and indexes every published article
 * locale again (src/search/indexer.ts), then the admin's list search every article and entity row
 * (src/search/admin-index.ts), with a progress bar on stderr. The index is otherwise kept
 * by the change feed and checked at every boot; run this after restoring a database from a copy
 * without its index, or after changing an analyser. Safe while servers run: a publish during the
 * rebuild waits for its locale's lock (PostgreSQL) and is indexed either way.
 *
 * `--check` rebuilds nothing: it indexes what either index lacks and says how much that was.
 */
'use strict';
const path = require('node:path');
const { compileStrapi, createStrapi } = require('@strapi/strapi');
const { progressBar } = require('./progress');

const appDir = path.resolve(__dirname, '..');

async function main() {
  const check = process.argv.includes('--check');
  process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'warn';
  // This run rebuilds: the boot's own catch-up would index everything once more first.
  process.env.SEARCH_BOOT_RECONCILE = 'false';
  await compileStrapi({ appDir });
  const strapi = await createStrapi({ appDir, distDir: path.join(appDir, 'dist') }).load();
  const started = Date.now();
  try {
    const indexer = require(path.join(appDir, 'dist/src/search/indexer'));
    const admin = require(path.join(appDir, 'dist/src/search/admin-index'));
    if (check) {
      const { indexed, removed } = await indexer.reconcileIndex(strapi, progressBar('search index (catching up)'));
      process.stderr.write(`search:reindex --check: ${indexed} indexed that were missing or stale, ${removed} removed\n`);
      const rows = await admin.reconcileAdminIndex(strapi, progressBar('admin list search (catching up)'));
      process.stderr.write(`search:reindex --check: admin list search, ${rows.indexed} rows indexed that were missing or stale, ${rows.removed} removed\n`);
    } else {
      const total = await indexer.rebuildIndex(strapi, progressBar('search index'));
      const seconds = (Date.now() - started) / 1000;
      process.stderr.write(`search:reindex: ${total} article locales in ${seconds.toFixed(1)} s (${Math.round(total / Math.max(seconds, 0.001))}/s)\n`);
      await admin.clearAdminIndex(strapi);
      const rows = await admin.reconcileAdminIndex(strapi, progressBar('admin list search'));
      process.stderr.write(`search:reindex: admin list search, ${rows.indexed} article and entity rows in ${((Date.now() - started) / 1000 - seconds).toFixed(1)} s\n`);
    }
  } finally {
    await strapi.destroy();
  }
}

main().catch((error) => {
  process.stderr.write(`search:reindex failed: ${error.message}\n`);
  process.exit(1);
});
