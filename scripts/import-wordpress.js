#!/usr/bin/env node
/**
 * `npm run import:wordpress -- export.xml [--uploads DIR | --media-base URL]`: a WordPress export
 * becomes articles (src/ingest/wordpress/import.ts), in the database `npm run develop` uses (.env).
 * Idempotent and resumable: run it again after an interruption, or after a newer export. Prints a
 * progress bar on stderr and a summary on stdout (also as JSON with --json). --no-build skips the
 * compile when dist/ is current.
 */
'use strict';
const path = require('node:path');
const { compileStrapi, createStrapi } = require('@strapi/strapi');

const appDir = path.resolve(__dirname, '..');

function parseArgs(argv) {
  const args = { file: null, uploads: undefined, mediaBase: undefined, json: false, build: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--uploads') args.uploads = path.resolve(argv[++i] ?? '');
    else if (a === '--media-base') args.mediaBase = argv[++i];
    else if (a === '--json') args.json = true;
    else if (a === '--no-build') args.build = false;
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}: use --uploads DIR or --media-base URL`);
    else args.file = path.resolve(a);
  }
  if (!args.file) throw new Error('usage: npm run import:wordpress -- export.xml [--uploads DIR | --media-base URL] [--json]');
  if (args.uploads && args.mediaBase) throw new Error('give --uploads DIR or --media-base URL, not both');
  if (args.mediaBase && !/^https?:\/\//.test(args.mediaBase)) throw new Error('--media-base must be an http(s) URL');
  return args;
}

function bar(done, total) {
  if (!process.stderr.isTTY && done !== total && done % 100 !== 0) return;
  const width = 30;
  const filled = total ? Math.round((done / total) * width) : width;
  process.stderr.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} posts${done === total ? '\n' : ''}`);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  // --no-build: dist/ is current (the benchmark compiled it), so the TypeScript compiler's memory is not the import's.
  const distDir = args.build ? (await compileStrapi({ appDir })).distDir : path.join(appDir, 'dist');
  process.env.SEED_STORY = process.env.SEED_STORY ?? 'false';
  const app = await createStrapi({ appDir, distDir }).load();
  try {
    const { importWordPress } = require(path.join(distDir, 'src', 'ingest', 'wordpress', 'import'));
    const { pictureOptions } = require(path.join(distDir, 'src', 'ingest'));
    const { loadEnv } = require(path.join(distDir, 'src', 'env'));
    const started = Date.now();
    // Seconds since the start at each tenth of the posts: a rate that falls as the archive grows shows here.
    const tenths = [];
    const progress = (done, total) => {
      bar(done, total);
      if (total && done % Math.max(1, Math.floor(total / 10)) === 0) tenths.push(Math.round((Date.now() - started) / 100) / 10);
    };
    const summary = await importWordPress(app, args.file, { uploads: args.uploads, mediaBase: args.mediaBase, pictures: pictureOptions(loadEnv()), progress });
    const seconds = Math.round((Date.now() - started) / 100) / 10;
    if (args.json) process.stdout.write(`${JSON.stringify({ ...summary, seconds, tenths, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
    else {
      const left = Object.entries(summary.shortcodesLeft).map(([n, c]) => `[${n}] ×${c}`).join(', ') || 'none';
      const skipped = Object.entries(summary.skipped).map(([n, c]) => `${c} ${n}`).join(', ') || 'none';
      console.log(
        [
          `${summary.posts} posts in ${seconds} s: ${summary.created} created, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.failed.length} failed`,
          `skipped: ${skipped}`,
          `images: ${summary.imagesFetched} stored, ${summary.imagesMissing} missing`,
          `shortcodes left as text: ${left}`,
          `redirects recorded: ${summary.redirects}; entities created: ${summary.entitiesCreated}`,
          ...summary.failed.slice(0, 20).map((f) => `failed ${f.post}: ${f.error}`),
        ].join('\n'),
      );
    }
    process.exitCode = summary.failed.length ? 1 : 0;
  } finally {
    await app.destroy();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
