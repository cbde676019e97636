#!/usr/bin/env node
/**
 * `npm run bench`: the read paths measured side by side in one run, on this machine's two cores:
 * each server is pinned to core 0 (`taskset -a`, every thread), the load generator (autocannon, in
 * this process) to core 1. Targets are run in interleaved rounds (A B C … A B C …, each round
 * starting one later) and each figure is the median over rounds. A run with any non-2xx/3xx
 * answer or socket error is invalid and stops the benchmark.
 *
 *   read paths   bare Node serving the same bytes, the cached and uncached article view, the stock
 *                core route with the same explicit populate, GraphQL (the story's query as a cached
 *                GET beside a bare server sending its bytes, uncached POSTs of ours and of the
 *                plugin's list query), the lists, Strapi's /_health and our /api/health; SQL
 *                statements per request beside each (knex's query event, in the server).
 *   memory       RSS of the server through 60 s of mixed load at a constant rate, with the cache's byte budget.
 *   scale        (--scale, PostgreSQL) newest-25 and slug lookup at 10k and at 100k synthetic
 *                articles, p50 ratio, with EXPLAIN ANALYZE of their statements.
 *   edge         (scripts/bench-edge.js; --no-edge skips it, --only-edge runs it alone) the cached
 *                story through a real Varnish vs bare Node with the same bytes (wrk), and
 *                publish → the edge serves the new text, p50/p99 over 20 publishes.
 *
 *   figures      each ratio from A/B pairs run back to back (A B, then B A, …; --pairs N), the
 *                median of the pairs' ratios: drift of the machine between rounds cancels out.
 *                The cached answers against bare Node are paired with wrk (50 connections) too:
 *                autocannon cannot load one core past ~12k req/s and would hide the gap.
 *   load held    --memory-seconds of mixed reads at a constant --rate (autocannon overallRate),
 *                0 errors required; RSS sampled each second (start, end, max).
 * Options: --rounds N (3), --seconds N per run (3), --connections N (10), --pairs N (9),
 * --rate N req/s (300), --scale, --only-scale, --memory-seconds N (60). TEST_POSTGRES_URL names the PostgreSQL server for --scale
 * (postgres://postgres@127.0.0.1:5432/postgres). Results: scripts/bench-results/latest.json
 * (git-ignored) and a Markdown table on stdout.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const appDir = path.resolve(__dirname, '..');
const { SERVER_CORE } = require('./bench-child');
const LOAD_CORE = '1';

function options(argv) {
  const opts = { rounds: 3, seconds: 3, connections: 10, pairs: 9, rate: 300, scale: false, 'only-scale': false, 'memory-seconds': 60, 'only-edge': false, 'no-edge': false };
  for (let i = 0; i < argv.length; i += 1) {
    const name = argv[i].replace(/^--/, '');
    if (!(name in opts)) throw new Error(`unknown option ${argv[i]}`);
    if (typeof opts[name] === 'boolean') opts[name] = true;
    else opts[name] = Number(argv[(i += 1)]);
  }
  if (opts['only-scale']) opts.scale = true;
  return opts;
}

// The load generator runs on its own core: re-run this script pinned there.
if (!process.env.BENCH_PINNED && os.cpus().length > 1 && spawnSync('taskset', ['-V']).status === 0) {
  const child = spawnSync('taskset', ['-c', LOAD_CORE, process.execPath, __filename, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_PINNED: '1' },
  });
  process.exit(child.status ?? 1);
}

const autocannon = require('autocannon');
const { compileStrapi } = require('@strapi/strapi');
const { autocannonRun, benchEnv, startChild: startBenchChild, throwawayDatabase, wrk } = require('./bench-child');
const { edgeReport, runEdge } = require('./bench-edge');

const opts = options(process.argv.slice(2));
const pinned = Boolean(process.env.BENCH_PINNED);
const { SLUG, VIEW_PATH, GRAPHQL_BY_SLUG, GRAPHQL_STOCK, graphqlPost: gql } = require('./bench-story');
const POPULATE =
  'populate[sections]=true&populate[updates]=true&populate[heroImage][populate][asset]=true&populate[heroImage][populate][depicts]=true' +
  '&populate[entities]=true&populate[localizations][fields][0]=locale&populate[localizations][fields][1]=slug&populate[localizations][fields][2]=title';
const uncached = { 'cache-control': 'no-cache' };
// A GraphQL GET needs a header a browser cannot send cross-site without a preflight (Apollo's CSRF prevention).
const JSON_TYPE = { 'content-type': 'application/json' };
const WRK_CONNECTIONS = 50;

/** A child process pinned to the server core; resolves with its READY line (bench-child.js). */
const startChild = (script, env) => startBenchChild(script, env, pinned);

async function load(target, seconds) {
  const result = await autocannonRun(target, { connections: opts.connections, seconds });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, bytes: Math.round(result.throughput.total / Math.max(result.requests.total, 1)) };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Interleaved rounds over `targets`; each target's median rps, p50, p99 over the rounds. */
async function interleaved(targets, rounds, seconds) {
  for (const t of targets) await load(t, 1); // warm-up: JIT, page cache
  const runs = new Map(targets.map((t) => [t.name, []]));
  for (let round = 0; round < rounds; round += 1) {
    for (let i = 0; i < targets.length; i += 1) {
      const t = targets[(i + round) % targets.length];
      runs.get(t.name).push(await load(t, seconds));
    }
    process.stderr.write(`round ${round + 1}/${rounds} done\n`);
  }
  return targets.map((t) => {
    const r = runs.get(t.name);
    return { name: t.name, rps: Math.round(median(r.map((x) => x.rps))), p50: median(r.map((x) => x.p50)), p99: median(r.map((x) => x.p99)), bytes: r[0].bytes, runs: r.map((x) => Math.round(x.rps)) };
  });
}

/**
 * A/B pairs back to back, alternating which goes first; the median of rps(a)/rps(b) over the
 * pairs, and each side's median rps, p50 and p99. `run` measures one target once (autocannon by
 * default; wrk for answers faster than autocannon can ask).
 */
async function paired(a, b, run = (t) => load(t, opts.seconds)) {
  const ratios = [];
  const runs = { a: [], b: [] };
  for (let i = 0; i < opts.pairs; i += 1) {
    const got = {};
    for (const side of i % 2 === 0 ? ['a', 'b'] : ['b', 'a']) {
      got[side] = await run(side === 'a' ? a : b);
      runs[side].push(got[side]);
    }
    ratios.push(got.a.rps / got.b.rps);
  }
  process.stderr.write(`pairs ${a.name} / ${b.name} done\n`);
  const summary = (r) => ({ rps: Math.round(median(r.map((x) => x.rps))), p50: median(r.map((x) => x.p50)), p99: median(r.map((x) => x.p99)) });
  return { a: a.name, b: b.name, median: +median(ratios).toFixed(2), ratios: ratios.map((r) => +r.toFixed(2)), aRuns: summary(runs.a), bRuns: summary(runs.b) };
}

/** One wrk run of a target given as { url, headers }. */
const wrkRun = (t) => wrk(t.url, { seconds: opts.seconds, connections: WRK_CONNECTIONS, pinned, headers: t.headers });

function rssOf(pid) {
  // The server runs under taskset: its node process is the child's pid (taskset execs).
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) * 1024;
}

async function readPaths(work) {
  const appPort = 17337;
  const barePort = 17338;
  const bareGraphqlPort = 17340;
  const children = [];
  const cacheBytes = 64 * 1024 * 1024;
  try {
    const app = await startChild(
      'bench-app.js',
      benchEnv({
        LOG_LEVEL: 'warn',
        BENCH_PORT: String(appPort),
        DATABASE_CLIENT: 'sqlite',
        DATABASE_FILENAME: path.join(work, 'bench.db'),
        PUBLIC_DIR: work,
        CACHE_MAX_BYTES: String(cacheBytes),
      }),
    );
    children.push(app);
    const base = `http://127.0.0.1:${appPort}`;
    const view = VIEW_PATH;
    const viewBody = await (await fetch(`${base}${view}`)).text();
    const bodyFile = path.join(work, 'article.json');
    fs.writeFileSync(bodyFile, viewBody);
    const bare = await startChild('bench-bare.js', { BENCH_PORT: String(barePort), BENCH_BODY_FILE: bodyFile });
    children.push(bare);
    const { data } = JSON.parse(viewBody);
    // The story's GraphQL query as a GET (what Apollo Client sends with useGETForQueries), and a
    // bare server sending its bytes.
    const graphqlGet = `/graphql?query=${encodeURIComponent(GRAPHQL_BY_SLUG)}&variables=${encodeURIComponent(JSON.stringify({ slug: SLUG }))}`;
    const graphqlBody = await (await fetch(`${base}${graphqlGet}`, { headers: JSON_TYPE })).text();
    if (!JSON.parse(graphqlBody).data?.articleBySlug) throw new Error(`GraphQL GET of the story failed: ${graphqlBody.slice(0, 200)}`);
    const graphqlFile = path.join(work, 'graphql.json');
    fs.writeFileSync(graphqlFile, graphqlBody);
    const bareGraphql = await startChild('bench-bare.js', { BENCH_PORT: String(bareGraphqlPort), BENCH_BODY_FILE: graphqlFile });
    children.push(bareGraphql);

    const targets = [
      { name: 'bare Node http, same bytes', request: { url: `http://127.0.0.1:${barePort}/` } },
      // A cache hit is answered before Koa, without SQL (tests/integration/cached-reads/read-cache.ts).
      { name: 'article view, cached', request: { url: `${base}${view}` }, statements: 0 },
      { name: 'article view, uncached', request: { url: `${base}${view}`, headers: uncached } },
      { name: 'stock core route, explicit full populate, uncached', request: { url: `${base}/api/articles?filters[slug][$eq]=${SLUG}&${POPULATE}`, headers: uncached } },
      { name: 'bare Node http, GraphQL bytes', request: { url: `http://127.0.0.1:${bareGraphqlPort}/` } },
      // A GraphQL GET is answered by the same read cache (tests/integration/cached-reads/read-cache.ts).
      { name: 'GraphQL articleBySlug GET, cached', request: { url: `${base}${graphqlGet}`, headers: JSON_TYPE }, statements: 0 },
      { name: 'GraphQL articleBySlug POST, uncached', request: { url: `${base}/graphql`, ...gql(GRAPHQL_BY_SLUG) } },
      { name: 'GraphQL articles(filters: slug), plugin resolvers', request: { url: `${base}/graphql`, ...gql(GRAPHQL_STOCK) } },
      { name: 'newest 25, uncached', request: { url: `${base}/api/articles/newest`, headers: uncached } },
      { name: 'articles naming an entity, uncached', request: { url: `${base}/api/entities/joe-biden/articles`, headers: uncached } },
      { name: 'Strapi /_health (stack floor)', request: { url: `${base}/_health` }, statements: 0 },
      { name: 'our /api/health', request: { url: `${base}/api/health` } },
    ];
    for (const t of targets) {
      if (t.statements !== undefined || !t.request.url.startsWith(base)) continue;
      const url = new URL(t.request.url);
      const answer = await app.ask({ command: 'sql', path: url.pathname + url.search, method: t.request.method, body: t.request.body });
      if (answer.error) throw new Error(`${t.name}: ${answer.error}`);
      t.statements = answer.sql;
    }

    const results = await interleaved(targets, opts.rounds, opts.seconds);
    results.forEach((r, i) => (r.sql = targets[i].statements));
    const named = Object.fromEntries(targets.map((t) => [t.name, t]));
    const pairs = {
      cachedOverBare: await paired(named['article view, cached'], named['bare Node http, same bytes']),
      viewOverStock: await paired(named['article view, uncached'], named['stock core route, explicit full populate, uncached']),
      graphqlOverView: await paired(named['GraphQL articleBySlug POST, uncached'], named['article view, uncached']),
      // Above ~10k req/s autocannon (one core) is the ceiling, not the server: wrk, as for the edge.
      cachedOverBareWrk: await paired({ name: 'article view, cached', url: `${base}${view}` }, { name: 'bare Node http, same bytes', url: `http://127.0.0.1:${barePort}/` }, wrkRun),
      graphqlCachedOverBareWrk: await paired(
        { name: 'GraphQL articleBySlug GET, cached', url: `${base}${graphqlGet}`, headers: JSON_TYPE },
        { name: 'bare Node http, GraphQL bytes', url: `http://127.0.0.1:${bareGraphqlPort}/` },
        wrkRun,
      ),
    };

    // Memory: 60 s of mixed reads (cached and uncached views, lists, GraphQL), RSS sampled each second.
    const samples = [rssOf(app.pid)];
    const timer = setInterval(() => samples.push(rssOf(app.pid)), 1000);
    const mixed = await new Promise((resolve, reject) => {
      autocannon(
        {
          url: base,
          connections: opts.connections,
          duration: opts['memory-seconds'],
          // A constant rate, not as fast as it goes: load a server is expected to hold.
          overallRate: opts.rate,
          requests: [
            { method: 'GET', path: view },
            { method: 'GET', path: view, headers: uncached },
            { method: 'GET', path: '/api/articles/newest' },
            { method: 'GET', path: `/api/articles/${data.documentId}` },
            { method: 'GET', path: '/api/entities/joe-biden/articles', headers: uncached },
            { ...gql(GRAPHQL_BY_SLUG) },
            { method: 'GET', path: graphqlGet, headers: JSON_TYPE },
          ],
        },
        (error, result) => (error ? reject(error) : resolve(result)),
      );
    });
    clearInterval(timer);
    if (mixed.non2xx > 0 || mixed.errors > 0 || mixed.timeouts > 0) throw new Error(`invalid mixed run: ${mixed.non2xx} non-2xx, ${mixed.errors} errors, ${mixed.timeouts} timeouts`);
    const memory = { seconds: opts['memory-seconds'], rate: opts.rate, rps: Math.round(mixed.requests.average), p50: mixed.latency.p50, p99: mixed.latency.p99, errors: mixed.errors + mixed.non2xx + mixed.timeouts, requests: mixed.requests.total, rssStartMB: +(samples[0] / 2 ** 20).toFixed(1), rssEndMB: +(samples.at(-1) / 2 ** 20).toFixed(1), rssMaxMB: +(Math.max(...samples) / 2 ** 20).toFixed(1), cacheBudgetMB: cacheBytes / 2 ** 20 };
    return { results, pairs, memory };
  } finally {
    for (const child of children) child.kill('SIGTERM');
  }
}

async function scale(work) {
  const database = await throwawayDatabase('bench');
  const url = new URL(database.url);
  const env = benchEnv({ LOG_LEVEL: 'warn', DATABASE_CLIENT: 'postgres', DATABASE_URL: url.toString(), PUBLIC_DIR: work });
  const seed = (articles) => {
    const started = Date.now();
    const r = spawnSync(process.execPath, [path.join(__dirname, 'seed-synthetic.js'), '--articles', String(articles)], { cwd: appDir, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) throw new Error('seed:synthetic failed');
    return (Date.now() - started) / 1000;
  };
  const measure = async (articles) => {
    const port = 17339;
    const app = await startChild('bench-app.js', { ...env, BENCH_PORT: String(port) });
    try {
      const base = `http://127.0.0.1:${port}`;
      // A slug in the middle of the archive, and the newest page.
      const slugPath = `/api/articles/slug/synthetic-${Math.floor(articles / 2)}`;
      const targets = [
        { name: 'newest 25', request: { url: `${base}/api/articles/newest?pageSize=25`, headers: uncached }, path: '/api/articles/newest?pageSize=25' },
        { name: 'slug lookup (article view)', request: { url: `${base}${slugPath}`, headers: uncached }, path: slugPath },
      ];
      const results = await interleaved(targets, opts.rounds, opts.seconds);
      for (const [i, t] of targets.entries()) {
        const explained = await app.ask({ command: 'explain', path: t.path });
        if (explained.error) throw new Error(explained.error);
        results[i].plans = explained.plans;
      }
      return results;
    } finally {
      app.kill('SIGTERM');
      await new Promise((r) => app.once('exit', r));
    }
  };
  try {
    const seed10k = seed(10_000);
    const at10k = await measure(10_000);
    const seed100k = seed(100_000);
    const at100k = await measure(100_000);
    return { seedSeconds: { to10k: seed10k, to100k: seed100k }, at10k, at100k };
  } finally {
    await database.drop();
  }
}

function report(out) {
  const lines = [];
  lines.push(`${opts.rounds} interleaved rounds × ${opts.seconds} s per target, ${opts.connections} connections; ${pinned ? `server on core ${SERVER_CORE}, load on core ${LOAD_CORE}` : 'NOT pinned (no taskset or one core)'}; ${os.cpus()[0].model}, Node ${process.version}`);
  if (out.read) {
    const by = Object.fromEntries(out.read.results.map((r) => [r.name, r]));
    lines.push('', 'Read paths (SQLite, the seeded story, production mode):', '', '| target | req/s (median) | runs | p50 ms | p99 ms | SQL/req | bytes |', '| --- | ---: | --- | ---: | ---: | ---: | ---: |');
    for (const r of out.read.results) lines.push(`| ${r.name} | ${r.rps} | ${r.runs.join(' / ')} | ${r.p50} | ${r.p99} | ${r.sql ?? '–'} | ${r.bytes} |`);
    const ratio = (a, b) => (by[a].rps / by[b].rps).toFixed(2);
    const p = out.read.pairs;
    out.figures = {
      cachedOverBare: p.cachedOverBare.median,
      viewOverStock: p.viewOverStock.median,
      viewSqlOverStockSql: +(by['article view, uncached'].sql / by['stock core route, explicit full populate, uncached'].sql).toFixed(2),
      graphqlOverView: p.graphqlOverView.median,
      cachedOverBareWrk: p.cachedOverBareWrk.median,
      graphqlCachedOverBareWrk: p.graphqlCachedOverBareWrk.median,
      // The same figures from the table's medians, for comparison.
      fromTable: {
        cachedOverBare: +ratio('article view, cached', 'bare Node http, same bytes'),
        viewOverStock: +ratio('article view, uncached', 'stock core route, explicit full populate, uncached'),
        graphqlOverView: +ratio('GraphQL articleBySlug POST, uncached', 'article view, uncached'),
      graphqlCachedOverBare: +ratio('GraphQL articleBySlug GET, cached', 'bare Node http, GraphQL bytes'),
      },
    };
    const wrkSpread = (k) => `${p[k].median} (pairs: ${p[k].ratios.join(', ')}; ${p[k].aRuns.rps} vs ${p[k].bRuns.rps} req/s, p99 ${p[k].aRuns.p99} vs ${p[k].bRuns.p99} ms)`;
    const spread = (k) => `${p[k].median} (pairs: ${p[k].ratios.join(', ')}; table: ${out.figures.fromTable[k]})`;
    lines.push(
      '',
      `Figures: median of ${opts.pairs} A/B pairs run back to back (${opts.seconds} s each).`,
      '',
      '| figure | target | measured |',
      '| --- | --- | ---: |',
      `| cached article / bare Node | ≥ 0.5 | ${spread('cachedOverBare')} |`,
      `| article view / stock core route, uncached | ≥ 5× | ${spread('viewOverStock')} |`,
      `| SQL statements, view / stock | ≤ 0.5 | ${out.figures.viewSqlOverStockSql} (${by['article view, uncached'].sql} vs ${by['stock core route, explicit full populate, uncached'].sql}) |`,
      `| GraphQL articleBySlug / article view, uncached | ≥ 0.8 | ${spread('graphqlOverView')} |`,
      `| cached article / bare Node, wrk (${WRK_CONNECTIONS} connections) | ≥ 0.5 | ${wrkSpread('cachedOverBareWrk')} |`,
      `| cached GraphQL GET of the story / bare Node sending its bytes, wrk (${WRK_CONNECTIONS} connections) | ≥ 0.5 | ${wrkSpread('graphqlCachedOverBareWrk')} (autocannon table: ${out.figures.fromTable.graphqlCachedOverBare}) |`,
      `| load held: ${out.read.memory.seconds} s of mixed reads at ${out.read.memory.rate} req/s (achieved ${out.read.memory.rps}; ${out.read.memory.requests} requests, p50 ${out.read.memory.p50} ms, p99 ${out.read.memory.p99} ms) | 0 errors | ${out.read.memory.errors} errors |`,
      `| RSS through that run, cache budget ${out.read.memory.cacheBudgetMB} MB | reported | start ${out.read.memory.rssStartMB} MB, end ${out.read.memory.rssEndMB} MB, max ${out.read.memory.rssMaxMB} MB |`,
    );
  }
  if (out.scale) {
    const s = out.scale;
    lines.push('', `PostgreSQL scale (seed:synthetic to 10k in ${s.seedSeconds.to10k.toFixed(0)} s, to 100k in ${s.seedSeconds.to100k.toFixed(0)} s more):`, '', '| read | p50 at 10k ms | p50 at 100k ms | ratio (≤ 1.5) | req/s 10k / 100k |', '| --- | ---: | ---: | ---: | --- |');
    for (const [i, r] of s.at10k.entries()) {
      const big = s.at100k[i];
      lines.push(`| ${r.name} | ${r.p50} | ${big.p50} | ${(big.p50 / r.p50).toFixed(2)} | ${r.rps} / ${big.rps} |`);
    }
    lines.push('', 'EXPLAIN ANALYZE at 100k:');
    for (const r of s.at100k) {
      for (const p of r.plans) lines.push('', `${r.name}: ${p.sql}`, ...p.plan.map((l) => `    ${l}`));
    }
  }
  lines.push(...edgeReport(out.edge));
  return lines.join('\n');
}

async function main() {
  await compileStrapi({ appDir });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'newsroom-bench-'));
  fs.mkdirSync(path.join(work, 'uploads'));
  const out = { date: new Date().toISOString(), options: opts, pinned };
  try {
    if (!opts['only-scale'] && !opts['only-edge']) {
      out.read = await readPaths(work);
      save(out);
    }
    if (opts.scale && !opts['only-edge']) out.scale = await scale(work);
    if (!opts['no-edge'] && !opts['only-scale']) out.edge = await runEdge({ pinned });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  console.log(`\n${save(out)}`);
}

/** Writes the results so far (JSON and the Markdown tables) and returns the tables. */
function save(out) {
  const table = report(out);
  fs.mkdirSync(path.join(__dirname, 'bench-results'), { recursive: true });
  fs.writeFileSync(path.join(__dirname, 'bench-results', 'latest.json'), JSON.stringify(out, null, 2));
  fs.writeFileSync(path.join(__dirname, 'bench-results', 'latest.md'), `${table}\n`);
  return table;
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
