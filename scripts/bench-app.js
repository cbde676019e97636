/**
 * Child process of the benchmarks: boots the compiled app on the database its environment names, with
 * the story seeded, listens on BENCH_PORT and reports "READY <full-access API token>" on stdout.
 * Strapi itself stops cleanly on SIGTERM.
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
    const token = await app.service('admin::api-token').create({ name: `bench-${process.pid}`, type: 'full-access', lifespan: null });
    process.stdout.write(`READY ${token.accessKey}\n`);
  })
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
