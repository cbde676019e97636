#!/usr/bin/env node
/**
 * `npm run openapi`: compiles the app, boots it on a throwaway SQLite database (no seed, no
 * accounts) and writes the OpenAPI document it serves at /api/openapi.json to openapi.json.
 * `npm run openapi -- --check` writes nothing and exits 1, saying so, when openapi.json differs
 * from what the code generates (CI runs it).
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { compileStrapi, createStrapi } = require('@strapi/strapi');
const { randomSecrets } = require('./secrets');

const appDir = path.resolve(__dirname, '..');
const target = path.join(appDir, 'openapi.json');
const check = process.argv.includes('--check');

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'newsroom-openapi-'));
  fs.mkdirSync(path.join(work, 'uploads'));
  Object.assign(process.env, randomSecrets(), {
    NODE_ENV: 'production',
    CORS_ORIGINS: 'https://www.example.com',
    SITE_URL: 'https://www.example.com',
    SITE_NAME: 'The Example',
    DATABASE_CLIENT: 'sqlite',
    DATABASE_FILENAME: path.join(work, 'openapi.db'),
    PUBLIC_DIR: work,
    SEED_STORY: 'false',
    LOG_LEVEL: 'error',
    ...Object.fromEntries(['ADMIN', 'EDITOR', 'AUTHOR'].flatMap((who) => [[`${who}_EMAIL`, ''], [`${who}_PASSWORD`, '']])),
  });
  let strapi;
  try {
    await compileStrapi({ appDir });
    strapi = await createStrapi({ appDir, distDir: path.join(appDir, 'dist') }).load();
    strapi.server.mount();
    const { openApiDocument } = require(path.join(appDir, 'dist', 'src', 'openapi', 'document.js'));
    const text = `${JSON.stringify(await openApiDocument(strapi), null, 2)}\n`;
    if (check) {
      const committed = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
      if (committed !== text) {
        process.stderr.write('openapi.json is not what the code generates: run `npm run openapi` and commit it\n');
        process.exitCode = 1;
      } else process.stdout.write('openapi.json is current\n');
    } else {
      fs.writeFileSync(target, text);
      const doc = JSON.parse(text);
      const operations = Object.values(doc.paths).reduce((n, p) => n + Object.keys(p).length, 0);
      process.stdout.write(`openapi.json: ${Object.keys(doc.paths).length} paths, ${operations} operations\n`);
    }
  } finally {
    await strapi?.destroy();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
