#!/usr/bin/env node
/**
 * `npm run bench:cpu`: the server's CPU per request for the uncached article view and the
 * uncached GraphQL `articleBySlug` POST of the same story, in one server process (production,
 * SQLite, the story seeded). Each round loads one, then the other (the order alternating) for
 * --seconds with autocannon, reading the server's user + system CPU from /proc/<pid>/stat around
 * each load; CPU per request = CPU / requests answered. view/GraphQL CPU is what their req/s ratio
 * is on a saturated core, without the throughput's drift between runs: two builds compared this
 * way (A B B A) resolve a change of a few per cent, which `npm run bench`'s pairs do not.
 * Options: --rounds N (10), --seconds N (2), --connections N (10). The server runs pinned to
 * core 0 and the load on core 1 when taskset is there (as npm run bench). A run with any
 * non-2xx answer or socket error is invalid. Results: scripts/bench-results/cpu.json (git-ignored)
 * and Markdown on stdout. Linux only (/proc).
 */
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { autocannonRun, benchEnv, median, parseOptions, pinToLoadCore, startChild } = require('./bench-child');

pinToLoadCore(__filename);

const { compileStrapi } = require('@strapi/strapi');
const { VIEW_PATH, GRAPHQL_BY_SLUG, graphqlPost } = require('./bench-story');

const appDir = path.resolve(__dirname, '..');
const opts = parseOptions({ rounds: 10, seconds: 2, connections: 10 }, process.argv.slice(2));
const PORT = 17443;
const BASE = `http://127.0.0.1:${PORT}`;
const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** The process's user + system CPU so far, in ms (fields 14 and 15 of /proc/<pid>/stat). */
function cpuMs(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

const load = async (target, seconds) => (await autocannonRun(target, { connections: opts.connections, seconds })).requests.total;

async function main() {
  await compileStrapi({ appDir });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'newsroom-bench-cpu-'));
  fs.mkdirSync(path.join(work, 'uploads'));
  const server = await startChild(
    'bench-app.js',
    benchEnv({ LOG_LEVEL: 'warn', BENCH_PORT: String(PORT), DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: path.join(work, 'bench.db'), PUBLIC_DIR: work }),
    Boolean(process.env.BENCH_PINNED),
  );
  try {
    const targets = [
      { name: 'article view, uncached', request: { url: `${BASE}${VIEW_PATH}`, headers: { 'cache-control': 'no-cache' } } },
      { name: 'GraphQL articleBySlug POST, uncached', request: { url: `${BASE}/graphql`, ...graphqlPost(GRAPHQL_BY_SLUG) } },
    ];
    for (const t of targets) await load(t, 2); // warm-up: JIT, page cache
    const perRequest = targets.map(() => []);
    const ratios = [];
    for (let round = 0; round < opts.rounds; round += 1) {
      const order = round % 2 ? [1, 0] : [0, 1];
      const ms = [];
      for (const i of order) {
        const before = cpuMs(server.pid);
        const requests = await load(targets[i], opts.seconds);
        ms[i] = (cpuMs(server.pid) - before) / requests;
        perRequest[i].push(ms[i]);
      }
      ratios.push(ms[0] / ms[1]);
      process.stderr.write(`round ${round + 1}/${opts.rounds}: ${ms.map((m) => m.toFixed(3)).join(' / ')} ms\n`);
    }
    const result = {
      date: new Date().toISOString(),
      options: opts,
      cpuMsPerRequest: Object.fromEntries(targets.map((t, i) => [t.name, { median: +median(perRequest[i]).toFixed(3), rounds: perRequest[i].map((m) => +m.toFixed(3)) }])),
      viewOverGraphql: { median: +median(ratios).toFixed(3), rounds: ratios.map((r) => +r.toFixed(3)) },
    };
    const out = path.join(__dirname, 'bench-results');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'cpu.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(`\nServer CPU per request (ms, median of ${opts.rounds} rounds of ${opts.seconds} s, one server process):\n`);
    console.log('| target | CPU ms/request | rounds |\n| --- | ---: | --- |');
    targets.forEach((t, i) => console.log(`| ${t.name} | ${result.cpuMsPerRequest[t.name].median} | ${result.cpuMsPerRequest[t.name].rounds.join(' / ')} |`));
    console.log(`\nview CPU / GraphQL CPU (what GraphQL's req/s is of the view's on a saturated core; target ≥ 0.8): ${result.viewOverGraphql.median} (rounds: ${result.viewOverGraphql.rounds.join(', ')})`);
  } finally {
    server.kill('SIGTERM');
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
