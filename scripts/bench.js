#!/usr/bin/env node
/**
 * `npm run bench`: reads of the seeded story measured side by side in one run, each against the
 * same floor: a bare Node server sending the same article JSON, and Strapi's empty /_health.
 *
 * Each server runs in its own process; autocannon runs here. Results print as a table and are
 * written to bench-results/latest.json. BENCH_SECONDS (default 10) and BENCH_CONNECTIONS
 * (default 10) tune the load. Traffic goes to 127.0.0.1 only.
 */
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const autocannon = require('autocannon');
const { compileStrapi } = require('@strapi/strapi');
const { randomSecrets } = require('./secrets');

const appDir = path.resolve(__dirname, '..');
const seconds = Number(process.env.BENCH_SECONDS || 10);
const connections = Number(process.env.BENCH_CONNECTIONS || 10);
const SLUG = 'us-warns-allies-of-chinas-growing-support-for-russia-amid-ukraine-conflict';
const POPULATE =
  'populate[sections]=true&populate[updates]=true&populate[heroImage][populate][asset]=true&populate[heroImage][populate][depicts]=true' +
  '&populate[entities]=true&populate[localizations][fields][0]=locale&populate[localizations][fields][1]=slug&populate[localizations][fields][2]=title';
const GRAPHQL_QUERY = `query($id: ID!) { article(documentId: $id) { documentId title slug standfirst dateline locale
  sections { heading body } heroImage { caption altText credit agency takenAt location
  asset { name url mime width height formats } depicts { name slug } }
  entities(pagination: { limit: 100 }) { name slug kind description aliases wikidataId } localizations { locale slug title } } }`;

function startChild(script, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, script)], { cwd: appDir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (chunk) => {
      if (String(chunk).includes('READY')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

function run(name, opts) {
  return new Promise((resolve, reject) => {
    autocannon({ connections, duration: seconds, ...opts }, (error, result) => {
      if (error) return reject(error);
      if (result.non2xx > 0 || result.errors > 0) return reject(new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`));
      resolve({
        name,
        requestsPerSecond: Math.round(result.requests.average),
        latencyP50Ms: result.latency.p50,
        latencyP99Ms: result.latency.p99,
        bytesPerResponse: Math.round(result.throughput.total / Math.max(result.requests.total, 1)),
      });
    });
  });
}

async function main() {
  await compileStrapi({ appDir });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'newsroom-bench-'));
  fs.mkdirSync(path.join(work, 'uploads'));
  const appPort = 17337;
  const barePort = 17338;
  const children = [];
  try {
    const app = await startChild('bench-app.js', {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      BENCH_PORT: String(appPort),
      DATABASE_CLIENT: 'sqlite',
      DATABASE_FILENAME: path.join(work, 'bench.db'),
      PUBLIC_DIR: work,
      SEED_STORY: 'true',
      ...randomSecrets(),
      ADMIN_EMAIL: '',
      EDITOR_EMAIL: '',
    });
    children.push(app);
    const base = `http://127.0.0.1:${appPort}`;
    const list = await (await fetch(`${base}/api/articles?filters[slug][$eq]=${SLUG}&fields[0]=title`)).json();
    const id = list.data[0].documentId;
    const articleBody = await (await fetch(`${base}/api/articles/${id}`, { headers: { 'cache-control': 'no-cache' } })).text();
    const bodyFile = path.join(work, 'article.json');
    fs.writeFileSync(bodyFile, articleBody);

    const bare = await startChild('bench-bare.js', { BENCH_PORT: String(barePort), BENCH_BODY_FILE: bodyFile });
    children.push(bare);

    // `Cache-Control: no-cache` makes a read bypass the front cache: the full stack, as before it.
    const uncached = { headers: { 'cache-control': 'no-cache' } };
    const targets = [
      ['bare Node server, same article JSON', { url: `http://127.0.0.1:${barePort}/` }],
      ['Strapi /_health (middleware stack, empty body)', { url: `${base}/_health` }],
      ['REST article, cached (our route, anonymous)', { url: `${base}/api/articles/${id}` }],
      ['REST article, default populate, uncached (our route)', { url: `${base}/api/articles/${id}`, ...uncached }],
      ['REST article, explicit populate, uncached (stock route)', { url: `${base}/api/articles/${id}?${POPULATE}`, ...uncached }],
      [
        'GraphQL article, same fields',
        {
          url: `${base}/graphql`,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: GRAPHQL_QUERY, variables: { id } }),
        },
      ],
    ];
    // Warm every target first (JIT, SQLite page cache), so the order of measurement does not matter.
    for (const [name, opts] of targets) await run(name, { ...opts, duration: 2 });
    const results = [];
    for (const [name, opts] of targets) results.push(await run(name, opts));

    const floor = results[0].requestsPerSecond;
    console.log(`\n${seconds}s per target, ${connections} connections, ${os.cpus().length} cores, Node ${process.version}`);
    console.log('| target | req/s | p50 ms | p99 ms | bytes | vs bare Node |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const r of results) {
      console.log(`| ${r.name} | ${r.requestsPerSecond} | ${r.latencyP50Ms} | ${r.latencyP99Ms} | ${r.bytesPerResponse} | 1/${(floor / r.requestsPerSecond).toFixed(1)} |`);
    }
    fs.mkdirSync(path.join(appDir, 'bench-results'), { recursive: true });
    fs.writeFileSync(
      path.join(appDir, 'bench-results', 'latest.json'),
      JSON.stringify({ date: new Date().toISOString(), seconds, connections, results }, null, 2),
    );
  } finally {
    for (const child of children) child.kill('SIGTERM');
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
