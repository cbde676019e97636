/**
 * PM2: three Newsroom CMS processes on ports 1337-1339 (deploy/varnish/backends.vcl's backends).
 *   npm run db:migrate                      # once per deploy, before the processes restart
 *   pm2 start deploy/pm2/ecosystem.config.js
 *   for p in 1337 1338 1339; do pm2 restart newsroom-$p; sleep 12; done   # rolling, one at a time
 * Shared settings (DATABASE_URL, REDIS_URL, S3_*, PURGE_*, secrets) come from the environment pm2
 * runs in. SIGTERM drains (SHUTDOWN_GRACE_MS, then in-flight requests finish): kill_timeout leaves
 * it SHUTDOWN_TIMEOUT_MS plus a margin.
 */
'use strict';
const PORTS = [1337, 1338, 1339];

module.exports = {
  apps: PORTS.map((port) => ({
    name: `newsroom-${port}`,
    namespace: 'newsroom',
    cwd: `${__dirname}/../..`,
    script: 'node_modules/@strapi/strapi/bin/strapi.js',
    args: 'start',
    env: { NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1' },
    kill_timeout: 15_000,
    autorestart: true,
  })),
};
