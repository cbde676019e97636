#!/usr/bin/env node
/**
 * `npm run bench:filters`: every filter an anonymous reader may run, at 100,000 articles, on SQLite
 * and on PostgreSQL, side by side in one run (issue 29's rule 3: each must answer within 200 ms
 * p99), then the storms: 40 requests at once of the costliest public filter, and of the costliest
 * filter an API token may still run, while health and the uncached article view are polled.
 *
 * The cases are generated from the content types' schema files: every scalar field of articles,
 * entities and images (and Strapi's own: id, documentId, locale, createdAt, updatedAt,
 * publishedAt) against every operator Strapi has, sent anonymously past the read cache. Those the
 * server refuses (a 400 naming the filter) are counted; those it serves are measured: --requests
 * sequential requests each (one connection, so a percentile is a request's own time), p50, p99
 * and max. Values pick the worst selectivity the archive has (the entity named most often, a date
 * in the middle, `$ne`/`$notIn` matching nearly everything). Then a few shapes that cost most:
 * the largest page, the deepest page, the most-named entity sorted by dateline.
 *
 * Options: --requests N (30), --only sqlite|postgres, --sqlite FILE and --postgres URL to measure
 * an archive already seeded (default: a fresh database each, seeded to --articles, 100000).
 * The server runs pinned to core 0 and the load on core 1 when taskset is there.
 * Results: scripts/bench-results/filters.json and .md (git-ignored), Markdown on stdout.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { benchEnv, parseOptions, percentile, pinToLoadCore, sleep, startChild, throwawayDatabase } = require('./bench-child');

pinToLoadCore(__filename);

const { Client } = require('pg');

const appDir = path.resolve(__dirname, '..');
const opts = parseOptions({ requests: 30, only: '', sqlite: '', postgres: '', articles: 100000 }, process.argv.slice(2));
const pinned = Boolean(process.env.BENCH_PINNED);
const PORT = 17441;
const base = `http://127.0.0.1:${PORT}`;

const OPERATORS = ['$eq', '$ne', '$in', '$notIn', '$lt', '$lte', '$gt', '$gte', '$between', '$null', '$notNull', '$contains', '$containsi', '$notContains', '$notContainsi', '$startsWith', '$startsWithi', '$endsWith', '$endsWithi', '$eqi', '$nei'];
const SCALARS = new Set(['string', 'text', 'uid', 'date', 'datetime', 'enumeration', 'integer', 'boolean', 'biginteger', 'float', 'decimal', 'email']);
const LISTS = [
  ['/api/articles', 'src/api/article/content-types/article/schema.json'],
  ['/api/entities', 'src/api/entity/content-types/entity/schema.json'],
  ['/api/images', 'src/api/image/content-types/image/schema.json'],
];
const SYSTEM = { id: { type: 'integer' }, documentId: { type: 'string' }, locale: { type: 'string' }, createdAt: { type: 'datetime' }, updatedAt: { type: 'datetime' }, publishedAt: { type: 'datetime' } };

/** Values that select the most rows an equality or a range can here. */
function valueFor(list, field, attribute, documentIds) {
  if (field === 'id') return '100000';
  if (field === 'documentId') return documentIds[list];
  if (field === 'locale') return 'en';
  if (field === 'slug') return list === '/api/articles' ? 'synthetic-50000' : 'synthetic-entity-0';
  if (attribute.enum) return attribute.enum[0];
  if (attribute.type === 'date') return '2019-06-01';
  if (attribute.type === 'datetime') return '2019-06-01T00:00:00.000Z';
  if (['integer', 'biginteger', 'float', 'decimal'].includes(attribute.type)) return '1';
  if (attribute.type === 'boolean') return 'true';
  return 'zzqx';
}

function query(field, operator, value) {
  if (operator === '$between') return `filters[${field}][$between][0]=${encodeURIComponent(value)}&filters[${field}][$between][1]=${encodeURIComponent(value.replace(/^2019/, '2021'))}`;
  if (operator === '$in' || operator === '$notIn') return `filters[${field}][${operator}][0]=${encodeURIComponent(value)}`;
  if (operator === '$null' || operator === '$notNull') return `filters[${field}][${operator}]=true`;
  return `filters[${field}][${operator}]=${encodeURIComponent(value)}`;
}

/** One request: its status (or the connection's error code, counted like a status) and time. */
async function time(url, headers = {}) {
  const started = process.hrtime.bigint();
  try {
    const res = await fetch(url, { headers: { 'cache-control': 'no-cache', ...headers } });
    await res.arrayBuffer();
    return { status: res.status, ms: Number(process.hrtime.bigint() - started) / 1e6 };
  } catch (error) {
    return { status: String(error.cause?.code ?? error.message), ms: Number(process.hrtime.bigint() - started) / 1e6 };
  }
}

async function measure(url, n) {
  for (let i = 0; i < 2; i += 1) await time(url);
  const samples = [];
  for (let i = 0; i < n; i += 1) {
    const r = await time(url);
    if (r.status !== 200) throw new Error(`${url}: ${r.status} while measuring`);
    samples.push(r.ms);
  }
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), max: Math.max(...samples) };
}

/** `count` requests at once (each from its own address when `spread`), while health and the view are polled every 50 ms. */
async function storm(path, count, { token, spread, slug }) {
  // Open the connections first, so the storm arrives at once rather than as the server accepts them.
  await Promise.all(Array.from({ length: count + 2 }, () => time(`${base}/api/health`)));
  const probes = [];
  let running = true;
  const poller = (async () => {
    while (running) {
      for (const p of ['/api/health', `/api/articles/slug/${slug}`]) {
        const r = await time(`${base}${p}`, { 'x-forwarded-for': '198.51.100.200' });
        probes.push({ p, ...r });
      }
      await sleep(50);
    }
  })();
  const started = Date.now();
  const answers = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      time(`${base}${path}${path.includes('?') ? '&' : '?'}pagination[page]=${i + 1}`, {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        'x-forwarded-for': spread ? `203.0.113.${i + 1}` : '192.0.2.1',
      }),
    ),
  );
  const took = Date.now() - started;
  running = false;
  await poller;
  const byStatus = {};
  for (const a of answers) {
    const s = (byStatus[a.status] ??= { n: 0, minMs: Infinity, maxMs: 0 });
    s.n += 1;
    s.minMs = Math.min(s.minMs, Math.round(a.ms));
    s.maxMs = Math.max(s.maxMs, Math.round(a.ms));
  }
  const probe = (p) => {
    const xs = probes.filter((x) => x.p.startsWith(p));
    return { n: xs.length, non200: xs.filter((x) => x.status !== 200).length, maxMs: Math.round(Math.max(...xs.map((x) => x.ms))) };
  };
  return { path, count, tookMs: took, answers: byStatus, health: probe('/api/health'), view: probe('/api/articles/slug/') };
}

async function onDatabase(client) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-filters-'));
  fs.mkdirSync(path.join(work, 'uploads'));
  // Defaults of a production server; TRUST_PROXY so the storms can speak from many addresses.
  const env = benchEnv({ PUBLIC_DIR: work, TRUST_PROXY: 'true' });
  let drop = async () => {};
  let fresh = true;
  if (client === 'postgres') {
    if (opts.postgres) {
      fresh = false;
      Object.assign(env, { DATABASE_CLIENT: 'postgres', DATABASE_URL: opts.postgres });
    } else {
      const database = await throwawayDatabase('filters');
      Object.assign(env, { DATABASE_CLIENT: 'postgres', DATABASE_URL: database.url });
      drop = database.drop;
    }
  } else if (opts.sqlite) {
    fresh = false;
    Object.assign(env, { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: path.resolve(opts.sqlite) });
  } else {
    Object.assign(env, { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: path.join(work, 'bench.db') });
  }
  try {
    if (fresh) {
      const r = spawnSync(process.execPath, [path.join(__dirname, 'seed-synthetic.js'), '--articles', String(opts.articles)], { cwd: appDir, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
      if (r.status !== 0) throw new Error('seed:synthetic failed');
    }
    const app = await startChild('bench-app.js', { ...env, BENCH_PORT: String(PORT) }, pinned);
    try {
      const ids = {};
      for (const [list] of LISTS) {
        const r = await fetch(`${base}${list}?fields[0]=documentId&pagination[pageSize]=1`, { headers: { 'cache-control': 'no-cache' } });
        ids[list] = (await r.json()).data[0]?.documentId ?? 'none';
      }
      const results = { refused: 0, measured: [], other: [] };
      for (const [list, schemaFile] of LISTS) {
        const attributes = { ...SYSTEM, ...JSON.parse(fs.readFileSync(path.join(appDir, schemaFile), 'utf8')).attributes };
        for (const [field, attribute] of Object.entries(attributes)) {
          if (!SCALARS.has(attribute.type) || attribute.private) continue;
          process.stderr.write(`   ${list} ${field}\n`);
          for (const operator of OPERATORS) {
            const url = `${base}${list}?${query(field, operator, valueFor(list, field, attribute, ids))}`;
            const first = await time(url);
            if (first.status === 400) results.refused += 1;
            else if (first.status === 200) results.measured.push({ list, filter: `${field} ${operator}`, path: url.slice(base.length), ...(await measure(url, opts.requests)), statementMs: (await app.ask({ command: 'slowest', path: url.slice(base.length) })).slowestMs });
            else results.other.push({ url, status: first.status });
          }
        }
        // The shapes that cost most, and the topic route that stands for relation filters (refused
        // to the public): the entity named most often (in 60 % of the archive) and a rare one.
        if (list === '/api/articles') {
          for (const [name, target] of [
            ['topic route, the most named entity', '/api/entities/synthetic-entity-0/articles'],
            ['topic route, the most named entity, page 400', '/api/entities/synthetic-entity-0/articles?page=400'],
            ['topic route, a rare entity', '/api/entities/synthetic-entity-19000/articles'],
          ]) {
            results.measured.push({ list: '/api/entities/:slug/articles', filter: name, path: target, ...(await measure(`${base}${target}`, opts.requests)), statementMs: (await app.ask({ command: 'slowest', path: target })).slowestMs });
          }
          for (const [name, q] of [
            ['the largest page (100, full populate)', 'pagination[pageSize]=100'],
            ['the deepest page (4000 of 25)', 'pagination[page]=4000'],
            ['firstPublishedAt $notNull, sort firstPublishedAt:asc, page 2000', 'filters[firstPublishedAt][$notNull]=true&sort=firstPublishedAt:asc&pagination[page]=2000'],
          ]) {
            results.measured.push({ list, filter: name, path: `${list}?${q}`, ...(await measure(`${base}${list}?${q}`, opts.requests)), statementMs: (await app.ask({ command: 'slowest', path: `${list}?${q}` })).slowestMs });
          }
        }
      }
      const worst = results.measured.filter((m) => m.list !== '/api/entities/:slug/articles').reduce((a, b) => (b.p50 > a.p50 ? b : a));
      const slug = 'synthetic-50000';
      const storms = [];
      // The costliest public list measured (by its median: the p99 of 30 is its slowest one), 40 at once from one address (the per-client limit answers), then from 40.
      const costliestPublic = worst.path.replace(/[?&]pagination\[page\]=\d+/, '');
      storms.push({ what: `the costliest public request (${worst.filter}), 40 at once from one address`, ...(await storm(costliestPublic, 40, { spread: false, slug })) });
      storms.push({ what: `the same, 40 at once from 40 addresses`, ...(await storm(costliestPublic, 40, { spread: true, slug })) });
      // What an API token may still run: the issue's three substring scans OR'ed, 40 at once.
      const costliestToken = '/api/articles?filters[$or][0][title][$containsi]=zzqx&filters[$or][1][standfirst][$containsi]=zzqx&filters[$or][2][entities][name][$containsi]=zzqx';
      const tokenStorm = await storm(costliestToken, client === 'postgres' ? 40 : 4, { token: app.token, spread: true, slug });
      if (client === 'postgres') {
        await sleep(1000);
        const pg = new Client({ connectionString: env.DATABASE_URL });
        await pg.connect();
        const left = await pg.query("select count(*)::int as n from pg_stat_activity where datname = current_database() and state <> 'idle' and query ilike '%like%' and pid <> pg_backend_pid()");
        await pg.end();
        tokenStorm.statementsLeftAfter1s = left.rows[0].n;
      }
      storms.push({ what: `the substring $or with an API token, ${tokenStorm.count} at once`, ...tokenStorm });
      return { results, storms };
    } finally {
      app.kill('SIGTERM');
      await new Promise((r) => app.once('exit', r));
    }
  } finally {
    await drop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function report(out) {
  const lines = [`# bench:filters (${new Date().toISOString().slice(0, 10)}, ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${opts.requests} requests per filter)`, ''];
  const clients = Object.keys(out);
  lines.push(`| list | filter | ${clients.map((c) => `${c} p50 / p99 / max ms (longest statement)`).join(' | ')} |`, `| --- | --- | ${clients.map(() => '---:').join(' | ')} |`);
  const keys = out[clients[0]].results.measured.map((m) => `${m.list}|${m.filter}`);
  for (const key of keys) {
    const [list, filter] = key.split('|');
    const cells = clients.map((c) => {
      const m = out[c].results.measured.find((x) => `${x.list}|${x.filter}` === key);
      return m ? `${m.p50.toFixed(0)} / **${m.p99.toFixed(0)}** / ${m.max.toFixed(0)} (${m.statementMs.toFixed(1)})` : '–';
    });
    lines.push(`| ${list} | ${filter} | ${cells.join(' | ')} |`);
  }
  lines.push('');
  for (const c of clients) {
    const r = out[c].results;
    const worst = r.measured.reduce((a, b) => (b.p99 > a.p99 ? b : a));
    const longest = r.measured.reduce((a, b) => (b.statementMs > a.statementMs ? b : a));
    lines.push(`${c}: ${r.measured.length} filters served and measured, ${r.refused} refused (400), ${r.other.length} other answers; worst p99 ${worst.p99.toFixed(0)} ms (${worst.list} ${worst.filter}); longest statement ${longest.statementMs.toFixed(1)} ms (${longest.list} ${longest.filter})`);
  }
  lines.push('', '| database | storm | answers | took ms | health n / non-200 / max ms | view n / non-200 / max ms | statements left 1 s later |', '| --- | --- | --- | ---: | --- | --- | ---: |');
  for (const c of clients) {
    for (const s of out[c].storms) {
      const answers = Object.entries(s.answers).map(([status, a]) => `${a.n}× ${status} (${a.minMs}–${a.maxMs} ms)`).join(', ');
      lines.push(`| ${c} | ${s.what} | ${answers} | ${s.tookMs} | ${s.health.n} / ${s.health.non200} / ${s.health.maxMs} | ${s.view.n} / ${s.view.non200} / ${s.view.maxMs} | ${s.statementsLeftAfter1s ?? '–'} |`);
    }
  }
  return lines.join('\n');
}

async function main() {
  const out = {};
  for (const client of ['sqlite', 'postgres']) {
    if (opts.only && opts.only !== client) continue;
    process.stderr.write(`== ${client}\n`);
    out[client] = await onDatabase(client);
  }
  const dir = path.join(__dirname, 'bench-results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'filters.json'), JSON.stringify(out, null, 2));
  const md = report(out);
  fs.writeFileSync(path.join(dir, 'filters.md'), md);
  console.log(md);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
