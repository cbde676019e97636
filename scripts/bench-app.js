/**
 * Child process of scripts/bench.js: boots the compiled app on a throwaway SQLite database with
 * the story seeded, listens on BENCH_PORT and reports "READY" on stdout.
 */
'use strict';
const path = require('node:path');
const { createStrapi } = require('@strapi/strapi');

const appDir = path.resolve(__dirname, '..');

createStrapi({ appDir, distDir: path.join(appDir, 'dist') })
  .load()
  .then(async (app) => {
    app.server.mount();
    await new Promise((resolve) => app.server.httpServer.listen(Number(process.env.BENCH_PORT), '127.0.0.1', resolve));
    process.stdout.write('READY\n');
    process.on('SIGTERM', () => app.destroy().then(() => process.exit(0)));
  })
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
