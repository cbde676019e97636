#!/usr/bin/env node
/**
 * `npm run bench:search`: reader search at 10,000 and at 100,000 synthetic articles, on SQLite and
 * on PostgreSQL, in one run. For each database: a fresh database, `seed:synthetic` to 10k (its
 * words drawn by Zipf's law from a 30,000-word vocabulary; it indexes what it added), then each
 * query class asked --requests times, one at a time, uncached (`Cache-Control: no-cache` passes
 * the read cache): p50 and p99 per class; then to 100k and the same again. Also: the index's size
 * on disk, the reindex rate, the admin's list search (`_q` on articles and entities, drafts
 * included: a page of 10 and its total), publish → found latency (a REST create, then the search asked until
 * it answers the new article), and each statement's query plan at 100k.
 *
 * The words are chosen from the index's own vocabulary at each size: "common" is the word in the
 * most articles, "one word" one in about 2 % of them, "rare" the rarest in three or more (at 100k no made-up word is in fewer than about a hundred), the typo that word with
 * two letters swapped, the phrase two adjacent words of an article's body.
 * Goals: p50 ≤ 20 ms (suggest ≤ 5 ms), p99 ≤ 100 ms, 100k / 10k ≤ 1.5; the admin's list search p50 ≤ 50 ms at 100k.
 * Options: --requests N per class (200), --only sqlite|postgres, --sizes 10000,100000.
 * Results: scripts/bench-results/search.json and .md (git-ignored) and Markdown on stdout.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const appDir = path.resolve(__dirname, '..');
const { benchEnv, parseOptions, percentile, pinToLoadCore, startChild, throwawayDatabase } = require('./bench-child');

pinToLoadCore(__filename);
const { compileStrapi } = require('@strapi/strapi');

const opts = parseOptions({ requests: 200, only: '', sizes: '10000,100000' }, process.argv.slice(2));
const pinned = Boolean(process.env.BENCH_PINNED);
const PORT = 17441;
const base = `http://127.0.0.1:${PORT}`;

const startApp = (env) => startChild('bench-app.js', { ...env, BENCH_PORT: String(PORT) }, pinned);
const stopApp = async (app) => {
  app.kill('SIGTERM');
  await new Promise((r) => app.once('exit', r));
};

async function timed(url, count, headers = {}) {
  const ms = [];
  let body;
  for (let i = 0; i < count; i += 1) {
    const t0 = process.hrtime.bigint();
    const res = await fetch(url, { headers: { 'cache-control': 'no-cache', ...headers } });
    body = await res.json();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (res.status !== 200) throw new Error(`${url}: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
  }
  const round = (x) => Math.round(x * 10) / 10;
  return { p50: round(percentile(ms, 50)), p99: round(percentile(ms, 99)), total: body.meta?.pagination?.total ?? body.pagination?.total ?? body.data?.length ?? null, window: body.meta?.window?.size ?? null };
}

/** The words to ask for, from the index's vocabulary (a direct connection to the database). */
async function chooseWords(env, articles) {
  // PostgreSQL counts each word's documents; on SQLite FTS5's vocabulary counts each term's.
  const pg = env.DATABASE_CLIENT === 'postgres';
  const [table, word, docs] = pg ? ['newsroom_search_words', 'word', 'docs'] : ['newsroom_search_vocab', 'term', 'doc'];
  const only = pg ? "locale = 'en' and" : "term glob '[a-z]*' and";
  const sql = {
    common: `select ${word} as word, ${docs} as docs from ${table} where ${only} true order by ${docs} desc limit 1`,
    one: `select ${word} as word, ${docs} as docs from ${table} where ${only} length(${word}) >= 6 and ${docs} <= ${Math.round(articles * 0.02)} order by ${docs} desc limit 1`,
    rare: `select ${word} as word, ${docs} as docs from ${table} where ${only} length(${word}) >= 6 and ${docs} >= 3 order by ${docs}, ${word} limit 1`,
    body: "select body from newsroom_search_documents where locale = 'en' and slug = 'synthetic-7'",
  };
  const rows = {};
  if (env.DATABASE_CLIENT === 'postgres') {
    const { Client } = require('pg');
    const client = new Client({ connectionString: env.DATABASE_URL });
    await client.connect();
    for (const [k, q] of Object.entries(sql)) rows[k] = (await client.query(q)).rows[0];
    await client.end();
  } else {
    const Database = require('better-sqlite3');
    const db = new Database(env.DATABASE_FILENAME, { readonly: true });
    for (const [k, q] of Object.entries(sql)) rows[k] = db.prepare(q).get();
    db.close();
  }
  const bodyWords = String(rows.body.body).toLowerCase().split(/[^a-z]+/).filter((w) => w.length >= 4);
  const one = rows.one.word;
  const typo = `${one.slice(0, 2)}${one[3]}${one[2]}${one.slice(4)}`;
  return { common: rows.common, one: rows.one, rare: rows.rare, phrase: `"${bodyWords[0]} ${bodyWords[1]}"`, typo };
}

function queriesOf(words) {
  const q = (s, extra = '') => `${base}/api/search?q=${encodeURIComponent(s)}&locale=en${extra}`;
  return {
    [`one word (${words.one.word}, ${words.one.docs} articles)`]: q(words.one.word),
    [`rare word (${words.rare.word}, ${words.rare.docs})`]: q(words.rare.word),
    [`very common word (${words.common.word}, ${words.common.docs})`]: q(words.common.word),
    [`phrase (${words.phrase})`]: q(words.phrase),
    'two words with facets': q(`${words.one.word} ${words.common.word}`),
    [`typo (${words.typo})`]: q(words.typo),
    [`prefix suggest (${words.one.word.slice(0, 3)})`]: `${base}/api/search/suggest?q=${encodeURIComponent(words.one.word.slice(0, 3))}&locale=en`,
  };
}

/** The admin's list search (its `_q`), as the content-manager asks: a page of 10, newest edits first, with the total. */
function adminQueriesOf(words) {
  const list = (uid, q, extra = '') => `${base}/content-manager/collection-types/${uid}?page=1&pageSize=10&sort=updatedAt:DESC${extra}${q === null ? '' : `&_q=${encodeURIComponent(q)}`}`;
  return {
    // What the list costs without a search, for comparison.
    'admin articles, no search (the list alone)': list('api::article.article', null, '&locale=en'),
    [`admin articles, one word (${words.one.word})`]: list('api::article.article', words.one.word, '&locale=en'),
    // The reader index's commonest word is in entity names, which the admin's index of an article does not hold:
    // the synthetic text's own commonest word after the stop words (in nearly every article's body).
    'admin articles, very common word (minister)': list('api::article.article', 'minister', '&locale=en'),
    [`admin articles, a prefix as typed (${words.one.word.slice(0, 4)})`]: list('api::article.article', words.one.word.slice(0, 4), '&locale=en'),
    [`admin entities, one word (${words.one.word})`]: list('api::entity.entity', words.one.word),
  };
}

const BENCH_EDITOR = { email: 'bench-editor@example.com', password: 'Bench-Editor-2024' };

async function adminToken() {
  const res = await fetch(`${base}/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(BENCH_EDITOR) });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`admin login: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
  return body.data.token ?? body.data.accessToken;
}

const classOf = (name) => name.replace(/ \(.*$/, '');

function indexBytes(env) {
  if (env.DATABASE_CLIENT === 'postgres') {
    const r = spawnSync('psql', [env.DATABASE_URL, '-Atc', "select sum(pg_total_relation_size(c.oid)) from pg_class c where c.relname like 'newsroom_search_%' and c.relkind = 'r'"], { encoding: 'utf8' });
    return Number(r.stdout.trim());
  }
  const Database = require('better-sqlite3');
  const db = new Database(env.DATABASE_FILENAME, { readonly: true });
  try {
    return db.prepare("select sum(pgsize) as b from dbstat where name like 'newsroom_search_%'").get().b;
  } catch {
    return null;
  } finally {
    db.close();
  }
}

function run(script, args, env) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [path.join(__dirname, script), ...args], { cwd: appDir, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${script} failed: ${r.stderr}`);
  return { seconds: (Date.now() - started) / 1000, stderr: r.stderr };
}

async function publishToFound(app, n) {
  const word = `zqx${n}found`;
  const started = Date.now();
  const res = await fetch(`${base}/api/articles`, {
    method: 'POST',
    headers: { authorization: `Bearer ${app.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ data: { title: `Bench ${word}`, slug: `bench-${word}`, dateline: '2026-01-01', sections: [] } }),
  });
  if (res.status !== 201 && res.status !== 200) throw new Error(`publish: ${res.status} ${await res.text()}`);
  for (;;) {
    const found = await (await fetch(`${base}/api/search?q=${word}&locale=en`, { headers: { 'cache-control': 'no-cache' } })).json();
    if (found.data?.length) return Date.now() - started;
    if (Date.now() - started > 10_000) throw new Error('not found within 10 s of its publish');
  }
}

async function measure(env, articles) {
  const words = await chooseWords(env, articles);
  const app = await startApp(env);
  try {
    const queries = queriesOf(words);
    const reads = {};
    for (const [name, url] of Object.entries(queries)) {
      await timed(url, 10);
      reads[name] = await timed(url, opts.requests);
    }
    const auth = { authorization: `Bearer ${await adminToken()}` };
    for (const [name, url] of Object.entries(adminQueriesOf(words))) {
      await timed(url, 10, auth);
      reads[name] = await timed(url, opts.requests, auth);
    }
    const found = [];
    for (let i = 0; i < 5; i += 1) found.push(await publishToFound(app, articles + i));
    const plans = {};
    for (const [name, url] of Object.entries(queries)) {
      const explained = await app.ask({ command: 'explain', path: url.slice(base.length) });
      if (explained.error) throw new Error(`${name}: ${explained.error}`);
      plans[name] = explained.plans;
    }
    return { words, reads, publishToFoundMs: found, plans, indexBytes: indexBytes(env) };
  } finally {
    await stopApp(app);
  }
}

async function onDatabase(client, work) {
  const env = benchEnv({ PUBLIC_DIR: work, EDITOR_EMAIL: BENCH_EDITOR.email, EDITOR_PASSWORD: BENCH_EDITOR.password });
  let drop = async () => {};
  if (client === 'postgres') {
    const database = await throwawayDatabase('search');
    Object.assign(env, { DATABASE_CLIENT: 'postgres', DATABASE_URL: database.url });
    drop = database.drop;
  } else {
    Object.assign(env, { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: path.join(work, 'bench.db') });
  }
  try {
    const first = await startApp(env);
    await stopApp(first);
    const sizes = {};
    for (const articles of String(opts.sizes).split(',').map(Number)) {
      const seeded = run('seed-synthetic.js', ['--articles', String(articles)], env);
      // seed:synthetic indexes what it added (the indexer's batch path, as search:reindex): its last progress line.
      const lines = [...seeded.stderr.matchAll(/search index \[[#.]+\] ([\d,]+)\/([\d,]+) \(([\d,]+)\/s\)/g)];
      const last = lines[lines.length - 1];
      const num = (x) => Number(String(x).replace(/,/g, ''));
      const adminLines = [...seeded.stderr.matchAll(/admin list search \[[#.]+\] ([\d,]+)\/([\d,]+) \(([\d,]+)\/s\)/g)];
      const adminLast = adminLines[adminLines.length - 1];
      sizes[articles] = {
        seedSeconds: seeded.seconds,
        reindex: { articles: last ? num(last[1]) : 0, perSecond: last ? num(last[3]) : 0 },
        adminReindex: { rows: adminLast ? num(adminLast[1]) : 0, perSecond: adminLast ? num(adminLast[3]) : 0 },
        ...(await measure(env, articles)),
      };
    }
    return sizes;
  } finally {
    await drop();
  }
}

function report(out) {
  const lines = [`${opts.requests} requests per class, one at a time, uncached; ${pinned ? 'server on core 0, client on core 1' : 'NOT pinned'}; ${os.cpus()[0].model}, Node ${process.version}`];
  for (const [client, sizes] of Object.entries(out.databases)) {
    const [small, big = small] = Object.keys(sizes);
    const s = sizes[small];
    const b = sizes[big] ?? s;
    lines.push('', `### ${client}`, '');
    lines.push(`| query | p50 at ${small} ms | p99 at ${small} ms | p50 at ${big} ms | p99 at ${big} ms | ${big} / ${small} p50 | results at ${big} (window) |`, '| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    const smallByClass = Object.fromEntries(Object.entries(s.reads).map(([k, v]) => [classOf(k), v]));
    for (const [name, r] of Object.entries(b.reads)) {
      const r0 = smallByClass[classOf(name)];
      lines.push(`| ${name} | ${r0.p50} | ${r0.p99} | ${r.p50} | ${r.p99} | ${(r.p50 / Math.max(r0.p50, 0.1)).toFixed(2)} | ${r.window ? `≈ ${r.total} (newest ${r.window})` : r.total} |`);
    }
    for (const [n, r] of Object.entries(sizes)) {
      lines.push('', `At ${n}: index ${r.indexBytes === null ? 'size unknown' : `${(r.indexBytes / 1e6).toFixed(1)} MB`} on disk; indexed ${r.reindex.articles} article locales at ${r.reindex.perSecond}/s (seed:synthetic's catch-up, the batch path search:reindex takes); the admin list search ${r.adminReindex.rows} article and entity rows at ${r.adminReindex.perSecond}/s; publish → found ${r.publishToFoundMs.join(', ')} ms; seed:synthetic ${r.seedSeconds.toFixed(0)} s.`);
    }
    lines.push('', `Query plans at ${big} (${client}):`);
    for (const [name, plans] of Object.entries(b.plans)) for (const p of plans) lines.push('', `${name}: ${p.sql}`, ...p.plan.map((l) => `    ${l}`));
  }
  return lines.join('\n');
}

async function main() {
  await compileStrapi({ appDir });
  const out = { date: new Date().toISOString(), options: opts, pinned, databases: {} };
  for (const client of ['sqlite', 'postgres']) {
    if (opts.only && opts.only !== client) continue;
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'newsroom-search-'));
    fs.mkdirSync(path.join(work, 'uploads'));
    try {
      out.databases[client] = await onDatabase(client, work);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
  const table = report(out);
  fs.mkdirSync(path.join(__dirname, 'bench-results'), { recursive: true });
  fs.writeFileSync(path.join(__dirname, 'bench-results', 'search.json'), JSON.stringify(out, null, 2));
  fs.writeFileSync(path.join(__dirname, 'bench-results', 'search.md'), `${table}\n`);
  console.log(`\n${table}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
