#!/usr/bin/env node
/**
 * `npm run uploads:migrate`: copies the uploads on this server's disk into the S3 bucket and
 * rewrites their URLs (src/uploads/migrate.ts says how; idempotent and resumable). Run it with the
 * app's environment set for S3 (UPLOAD_PROVIDER=s3, S3_*), once, from one machine that has the
 * uploads folder (PUBLIC_DIR/uploads). A progress line per batch goes to stderr; exits 1 when a
 * file was missing on disk (run again once it is back).
 */
'use strict';
const path = require('node:path');
const { compileStrapi, createStrapi } = require('@strapi/strapi');

const appDir = path.resolve(__dirname, '..');

async function main() {
  process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'warn';
  // The move is this process's only work: no seed, no background jobs worth starting.
  process.env.SEED_STORY = 'false';
  await compileStrapi({ appDir });
  const distDir = path.join(appDir, 'dist');
  const { loadEnv } = require(path.join(distDir, 'src/env'));
  const { migrateUploads } = require(path.join(distDir, 'src/uploads/migrate'));
  // After createStrapi, which reads .env.
  const strapi = createStrapi({ appDir, distDir });
  const env = loadEnv();
  await strapi.load();
  try {
    const report = await migrateUploads(strapi, env, { progress: (line) => process.stderr.write(`${line}\n`) });
    process.stderr.write(`uploads:migrate: done, ${report.moved} of ${report.total} files moved (${report.objects} objects)\n`);
    for (const m of report.missing) process.stderr.write(`uploads:migrate: file ${m.id} left on disk: ${m.path} is missing\n`);
    process.exitCode = report.missing.length ? 1 : 0;
  } finally {
    await strapi.destroy();
  }
}

main().catch((error) => {
  process.stderr.write(`uploads:migrate failed: ${error.message}\n`);
  process.exit(1);
});
