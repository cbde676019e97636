#!/usr/bin/env node
/**
 * `npm run bench:distribution`: the news-distribution reads at 10,000 and at 100,000 synthetic
 * articles, on SQLite and on PostgreSQL, side by side in one run. For each database: a fresh
 * database, `seed:synthetic` to 10k, the reads measured uncached (`Cache-Control: no-cache`
 * passes the read cache; one connection, so p50 is a request's own time, not queueing), then
 * to 100k and the same again. Reported: p50 per read at each size and their ratio (flat is
 * ≤ 1.5), the server's RSS while it serves the largest child sitemap for --rss-seconds (it must
 * not grow with the archive: children are streamed), and each statement's query plan at 100k.
 *
 * Targets: sitemap index and news sitemap < 50 ms, a feed < 100 ms, related stories < 50 ms,
 * the largest child < 2 s.
 * Options: --rounds N (3), --seconds N per run (3), --rss-seconds N (10), --only sqlite|postgres.
 * The server runs pinned to core 0 and the load on core 1 when taskset is there (as npm run bench).
 * Results: scripts/bench-results/distribution.json and .md (git-ignored) and Markdown on stdout.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const appDir = path.resolve(__dirname, '..');

const { benchEnv, median, parseOptions, pinToLoadCore, startChild, throwawayDatabase } = require('./bench-child');

pinToLoadCore(__filename);

const autocannon = require('autocannon');
const { compileStrapi } = require('@strapi/strapi');

const opts = parseOptions({ rounds: 3, seconds: 3, 'rss-seconds': 10, only: '' }, process.argv.slice(2));
const pinned = Boolean(process.env.BENCH_PINNED);
const PORT = 17439;
const TARGETS = {
  'sitemap index': { path: () => '/api/sitemaps/sitemap.xml', target: 50 },
  'news sitemap': { path: () => '/api/sitemaps/news.xml', target: 50 },
  'largest child sitemap (articles-2014-03)': { path: () => '/api/sitemaps/articles-2014-03.xml', target: 2000 },
  'feed (RSS, newest 50, full bodies)': { path: () => '/api/feeds/articles.rss', target: 100 },
  'structured data': { path: (n) => `/api/articles/slug/synthetic-${Math.floor(n / 2)}/structured-data`, target: null },
  'related stories': { path: (n) => `/api/articles/slug/synthetic-${Math.floor(n / 2)}/related`, target: 50 },
  resolver: { path: (n) => `/api/resolve?path=/en/news/synthetic-${Math.floor(n / 2)}`, target: null },
};

const startApp = (env) => startChild('bench-app.js', { ...env, BENCH_PORT: String(PORT) }, pinned);

function load(url, seconds, connections = 1) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections, duration: seconds, headers: { 'cache-control': 'no-cache' } }, (error, result) => {
      if (error) return reject(error);
      if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) return reject(new Error(`invalid run, ${url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`));
      resolve({ p50: result.latency.p50, p99: result.latency.p99, rps: result.requests.average, bytes: Math.round(result.throughput.total / Math.max(result.requests.total, 1)) });
    });
  });
}

const rssOf = (pid) => {
  // The app runs under taskset: its node process is the child's child, or the child itself.
  const out = spawnSync('ps', ['-o', 'rss=', '--ppid', String(pid)], { encoding: 'utf8' }).stdout.trim() || spawnSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim();
  return Math.round(Number(out.split('\n')[0]) / 1024);
};

async function measure(env, articles) {
  const app = await startApp(env);
  try {
    const base = `http://127.0.0.1:${PORT}`;
    const results = {};
    for (let round = 0; round < opts.rounds; round += 1) {
      const names = Object.keys(TARGETS);
      for (const name of [...names.slice(round % names.length), ...names.slice(0, round % names.length)]) {
        const r = await load(`${base}${TARGETS[name].path(articles)}`, opts.seconds);
        (results[name] ??= []).push(r);
      }
    }
    const summary = {};
    for (const [name, runs] of Object.entries(results)) summary[name] = { p50: median(runs.map((r) => r.p50)), p99: median(runs.map((r) => r.p99)), rps: median(runs.map((r) => r.rps)), bytes: runs[0].bytes };
    // RSS while serving the largest child, four at a time.
    const samples = [rssOf(app.pid)];
    const timer = setInterval(() => samples.push(rssOf(app.pid)), 1000);
    await load(`${base}${TARGETS['largest child sitemap (articles-2014-03)'].path(articles)}`, opts['rss-seconds'], 4);
    clearInterval(timer);
    samples.push(rssOf(app.pid));
    const plans = {};
    for (const [name, t] of Object.entries(TARGETS)) {
      const explained = await app.ask({ command: 'explain', path: t.path(articles) });
      if (explained.error) throw new Error(`${name}: ${explained.error}`);
      plans[name] = explained.plans;
    }
    return { reads: summary, rss: { startMB: samples[0], maxMB: Math.max(...samples), endMB: samples[samples.length - 1] }, plans };
  } finally {
    app.kill('SIGTERM');
    await new Promise((r) => app.once('exit', r));
  }
}

function seed(env, articles) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [path.join(__dirname, 'seed-synthetic.js'), '--articles', String(articles)], { cwd: appDir, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error('seed:synthetic failed');
  return (Date.now() - started) / 1000;
}

async function onDatabase(client, work) {
  const env = benchEnv({ PUBLIC_DIR: work });
  let drop = async () => {};
  if (client === 'postgres') {
    const database = await throwawayDatabase('distribution');
    Object.assign(env, { DATABASE_CLIENT: 'postgres', DATABASE_URL: database.url });
    drop = database.drop;
  } else {
    Object.assign(env, { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: path.join(work, 'bench.db') });
  }
  try {
    // A first boot creates the schema and the story; the seeder then adds the archive.
    const first = await startApp(env);
    first.kill('SIGTERM');
    await new Promise((r) => first.once('exit', r));
    const seeded10k = seed(env, 10_000);
    const at10k = await measure(env, 10_000);
    const seeded100k = seed(env, 100_000);
    const at100k = await measure(env, 100_000);
    return { seedSeconds: { to10k: seeded10k, to100k: seeded100k }, at10k, at100k };
  } finally {
    await drop();
  }
}

function report(out) {
  const lines = [`${opts.rounds} interleaved rounds × ${opts.seconds} s per read, 1 connection, uncached; ${pinned ? 'server on core 0, load on core 1' : 'NOT pinned'}; ${os.cpus()[0].model}, Node ${process.version}`];
  for (const [client, r] of Object.entries(out.databases)) {
    lines.push('', `${client} (seed:synthetic to 10k in ${r.seedSeconds.to10k.toFixed(0)} s, to 100k in ${r.seedSeconds.to100k.toFixed(0)} s more):`, '');
    lines.push('| read | target p50 | p50 at 10k ms | p50 at 100k ms | 100k / 10k (≤ 1.5) | p99 at 100k ms | bytes at 100k |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const [name, small] of Object.entries(r.at10k.reads)) {
      const big = r.at100k.reads[name];
      const target = TARGETS[name].target;
      lines.push(`| ${name} | ${target ? `< ${target} ms` : '–'} | ${small.p50} | ${big.p50} | ${(big.p50 / Math.max(small.p50, 1)).toFixed(2)} | ${big.p99} | ${big.bytes} |`);
    }
    lines.push('', `RSS serving the largest child (4 connections, ${opts['rss-seconds']} s): at 10k start ${r.at10k.rss.startMB} MB, max ${r.at10k.rss.maxMB} MB; at 100k start ${r.at100k.rss.startMB} MB, max ${r.at100k.rss.maxMB} MB`);
    lines.push('', `Query plans at 100k (${client}):`);
    for (const [name, plans] of Object.entries(r.at100k.plans)) {
      for (const p of plans) lines.push('', `${name}: ${p.sql}`, ...p.plan.map((l) => `    ${l}`));
    }
  }
  return lines.join('\n');
}

async function main() {
  await compileStrapi({ appDir });
  const out = { date: new Date().toISOString(), options: opts, pinned, databases: {} };
  for (const client of ['sqlite', 'postgres']) {
    if (opts.only && opts.only !== client) continue;
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'newsroom-distribution-'));
    fs.mkdirSync(path.join(work, 'uploads'));
    try {
      out.databases[client] = await onDatabase(client, work);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
  const table = report(out);
  fs.mkdirSync(path.join(__dirname, 'bench-results'), { recursive: true });
  fs.writeFileSync(path.join(__dirname, 'bench-results', 'distribution.json'), JSON.stringify(out, null, 2));
  fs.writeFileSync(path.join(__dirname, 'bench-results', 'distribution.md'), `${table}\n`);
  console.log(`\n${table}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
