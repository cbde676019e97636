#!/usr/bin/env node
/**
 * `npm run bench:history`: version history on PostgreSQL, in one run.
 *   1. What a version adds to a save: the admin's save of the story (PUT through the content
 *      manager, one at a time) with history on and with HISTORY_ENABLED=false, rounds alternating
 *      (on, off, on, off...), p50 and p99 ms of each; the bytes a version adds (its JSON, and the
 *      table's growth on disk per version).
 *   2. Reading at scale: the story given 10,000 versions and the table 1,000,000 rows (990,000 of
 *      99,000 other documents, smaller), then listing (page 1 and page 250), opening a version, a
 *      diff against the draft and blame, each one connection for --seconds (p50 and p99 ms), beside
 *      stock Strapi's own admin route GET /admin/users/me (the admin stack's cost alone), with the
 *      listing's query plans.
 * Targets: listing and opening < 20 ms p50 at that size.
 * Options: --rounds N (2), --saves N per round (100), --seconds N (3).
 * The server runs pinned to core 0 and the load on core 1 when taskset is there (as npm run bench).
 * Results: scripts/bench-results/history.json and .md (git-ignored) and Markdown on stdout.
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const appDir = path.resolve(__dirname, '..');

const { benchEnv, median, parseOptions, percentile, pinToLoadCore, startChild, throwawayDatabase } = require('./bench-child');

pinToLoadCore(__filename);

const autocannon = require('autocannon');
const { compileStrapi } = require('@strapi/strapi');
const { Client } = require('pg');

const opts = parseOptions({ rounds: 2, saves: 100, seconds: 3 }, process.argv.slice(2));
const pinned = Boolean(process.env.BENCH_PINNED);
const PORT = 17441;
const BASE = `http://127.0.0.1:${PORT}`;
const ADMIN = { email: 'bench-admin@example.com', password: 'Bench-Admin-2024' };
const ARTICLE = 'api::article.article';
const STORY_VERSIONS = 10_000;
const TABLE_ROWS = 1_000_000;

const startApp = (env) => startChild('bench-app.js', { ...env, BENCH_PORT: String(PORT) }, pinned);
const stopApp = async (app) => {
  app.kill('SIGTERM');
  await new Promise((r) => app.once('exit', r));
};

async function adminJwt() {
  const res = await fetch(`${BASE}/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
  if (res.status !== 200) throw new Error(`admin login: ${res.status}`);
  const body = await res.json();
  return body.data.token ?? body.data.accessToken;
}

async function storyId(jwt) {
  const res = await fetch(`${BASE}/content-manager/collection-types/${ARTICLE}?locale=en&pageSize=1&sort=id:asc`, { headers: { authorization: `Bearer ${jwt}` } });
  return (await res.json()).results[0].documentId;
}

/** `n` saves of the story's standfirst, one after the other; each save's ms as the client sees it. */
async function saves(jwt, id, n, tag) {
  const times = [];
  for (let i = 0; i < n; i += 1) {
    const started = process.hrtime.bigint();
    const res = await fetch(`${BASE}/content-manager/collection-types/${ARTICLE}/${id}?locale=en`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' },
      body: JSON.stringify({ standfirst: `Benchmark save ${tag} ${i}: Washington warns its allies that Beijing is helping Moscow.` }),
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`save: ${res.status}`);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return times;
}

function load(url, jwt, seconds) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: 1, duration: seconds, headers: { authorization: `Bearer ${jwt}` } }, (error, result) => {
      if (error) return reject(error);
      if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) return reject(new Error(`invalid run, ${url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`));
      resolve({ p50: result.latency.p50, p99: result.latency.p99, rps: Math.round(result.requests.average), bytes: Math.round(result.throughput.total / Math.max(result.requests.total, 1)) });
    });
  });
}

const tableBytes = async (db) => Number((await db.query(`select pg_total_relation_size('history_versions') as n`)).rows[0].n);

/** The story's 10,000 versions (copies of its newest, a second apart) and the other documents' 990,000. */
async function fill(db, id) {
  const started = Date.now();
  const have = Number((await db.query('select count(*) as n from history_versions where target_document_id = $1', [id])).rows[0].n);
  await db.query(
    `insert into history_versions (target_uid, target_document_id, target_locale, action, status, published, by_kind, by_id, by_name, by_email, note, notes, content, field_hashes, schema_hash, bytes, pinned, withheld, saved_at, created_at, updated_at)
     select v.target_uid, v.target_document_id, v.target_locale, 'update', 'modified', false, v.by_kind, v.by_id, v.by_name, v.by_email, null, null, v.content, v.field_hashes, v.schema_hash, v.bytes, false, false,
            now() - make_interval(secs => $2::int - g), now(), now()
       from (select * from history_versions where target_document_id = $1 order by id desc limit 1) v, generate_series(1, $2::int) g`,
    [id, STORY_VERSIONS - have],
  );
  const others = TABLE_ROWS - STORY_VERSIONS;
  const sample = (await db.query('select content, field_hashes, schema_hash, by_name, by_email, by_id from history_versions where target_document_id = $1 order by id desc limit 1', [id])).rows[0];
  const small = { title: 'Another story', slug: 'another-story', standfirst: 'A shorter article somewhere else in the archive, one of many.', dateline: '2024-01-01', sections: [], updates: [], authors: [], entities: [], heroImage: null };
  for (let from = 0; from < others; from += 100_000) {
    await db.query(
      `insert into history_versions (target_uid, target_document_id, target_locale, action, status, published, by_kind, by_id, by_name, by_email, content, field_hashes, schema_hash, bytes, pinned, withheld, saved_at, created_at, updated_at)
       select $1, 'bench' || lpad(((g - 1) / 10)::text, 19, '0'), 'en', 'update', 'draft', (g % 10 = 0), 'admin', $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8, false, false, now() - make_interval(secs => g), now(), now()
         from generate_series($9::int, $10::int) g`,
      [ARTICLE, sample.by_id, sample.by_name, sample.by_email, JSON.stringify(small), JSON.stringify(sample.field_hashes), sample.schema_hash, Buffer.byteLength(JSON.stringify(small)), from + 1, Math.min(from + 100_000, others)],
    );
  }
  await db.query('analyze history_versions');
  return { seconds: (Date.now() - started) / 1000, rows: Number((await db.query('select count(*) as n from history_versions')).rows[0].n) };
}

async function main() {
  await compileStrapi({ appDir });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'newsroom-history-'));
  fs.mkdirSync(path.join(work, 'uploads'));
  const database = await throwawayDatabase('history');
  const url = new URL(database.url);
  const env = benchEnv({ PUBLIC_DIR: work, DATABASE_CLIENT: 'postgres', DATABASE_URL: url.toString(), ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, HISTORY_PRUNE_INTERVAL_MINUTES: '60' });
  const db = new Client({ connectionString: url.toString() });
  const out = { date: new Date().toISOString(), machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}`, options: opts };
  try {
    // 1. The cost of a version on a save.
    const runs = { on: [], off: [] };
    let growth = { bytes: 0, versions: 0, json: 0 };
    for (let round = 0; round < opts.rounds; round += 1) {
      for (const mode of ['on', 'off']) {
        const app = await startApp({ ...env, HISTORY_ENABLED: mode === 'on' ? 'true' : 'false' });
        try {
          if (!db._connected) {
            await db.connect();
            db._connected = true;
          }
          const jwt = await adminJwt();
          const id = await storyId(jwt);
          await saves(jwt, id, 5, `warm-${mode}-${round}`);
          const before = { bytes: await tableBytes(db), rows: Number((await db.query('select count(*) as n from history_versions')).rows[0].n) };
          runs[mode].push(...(await saves(jwt, id, opts.saves, `${mode}-${round}`)));
          if (mode === 'on') {
            const after = Number((await db.query('select count(*) as n from history_versions')).rows[0].n);
            const json = Number((await db.query('select avg(bytes) as n from (select bytes from history_versions where target_document_id = $1 order by id desc limit $2) v', [id, opts.saves])).rows[0].n);
            const column = Number((await db.query('select avg(pg_column_size(content)) as n from (select content from history_versions where target_document_id = $1 order by id desc limit $2) v', [id, opts.saves])).rows[0].n);
            growth = { bytes: (await tableBytes(db)) - before.bytes + growth.bytes, versions: after - before.rows + growth.versions, json: Math.round(json), stored: Math.round(column) };
          }
        } finally {
          await stopApp(app);
        }
      }
    }
    const stat = (xs) => ({ p50: Math.round(median(xs) * 10) / 10, p99: Math.round(percentile(xs, 99) * 10) / 10, n: xs.length });
    out.saves = { withHistory: stat(runs.on), withoutHistory: stat(runs.off), perVersion: { jsonBytes: growth.json, storedContentBytes: growth.stored, tableGrowthBytes: Math.round(growth.bytes / Math.max(growth.versions, 1)) } };

    // 2. Reads at 10,000 versions of one document and 1,000,000 rows.
    const app = await startApp({ ...env, HISTORY_ENABLED: 'true' });
    try {
      const jwt = await adminJwt();
      const id = await storyId(jwt);
      out.fill = await fill(db, id);
      const middle = Number((await db.query('select id from history_versions where target_document_id = $1 order by id limit 1 offset $2', [id, STORY_VERSIONS / 2])).rows[0].id);
      const storyCount = Number((await db.query('select count(*) as n from history_versions where target_document_id = $1', [id])).rows[0].n);
      out.table = { rows: out.fill.rows, storyVersions: storyCount, sizeMB: Math.round((await tableBytes(db)) / 1e6) };
      const reads = {
        // Stock Strapi's admin stack (JWT, the user and its roles) on a route of its own: the floor under ours.
        'stock admin route (GET /admin/users/me)': { path: '/admin/users/me', target: null },
        'list, page 1 (20 of 10,000)': { path: `/newsroom/history/${ARTICLE}/${id}?locale=en`, target: 20 },
        'list, page 250': { path: `/newsroom/history/${ARTICLE}/${id}?locale=en&page=250`, target: null },
        'open one version': { path: `/newsroom/history/versions/${middle}`, target: 20 },
        'diff against the draft': { path: `/newsroom/history/versions/${middle}/diff`, target: null },
        'blame (10,000 versions)': { path: `/newsroom/history/${ARTICLE}/${id}/blame?locale=en`, target: null },
      };
      out.reads = {};
      for (const [label, r] of Object.entries(reads)) out.reads[label] = { ...(await load(`${BASE}${r.path}`, jwt, opts.seconds)), target: r.target };
      const explain = async (sql, params) => (await db.query(`explain ${sql}`, params)).rows.map((row) => row['QUERY PLAN']).join('\n');
      out.plans = {
        list: await explain(`select id from history_versions where target_uid = $1 and target_document_id = $2 and target_locale = $3 order by id desc limit 20`, [ARTICLE, id, 'en']),
        count: await explain(`select count(*) from history_versions where target_uid = $1 and target_document_id = $2 and target_locale = $3`, [ARTICLE, id, 'en']),
      };
    } finally {
      await stopApp(app);
    }
  } finally {
    if (db._connected) await db.end();
    await database.drop();
    fs.rmSync(work, { recursive: true, force: true });
  }

  const lines = [
    `Version history on PostgreSQL (${out.date}, ${out.machine}${pinned ? ', server on core 0, load on core 1' : ''})`,
    '',
    `| save of the story (admin, ${out.saves.withHistory.n} each) | p50 ms | p99 ms |`,
    '| --- | ---: | ---: |',
    `| with history | ${out.saves.withHistory.p50} | ${out.saves.withHistory.p99} |`,
    `| HISTORY_ENABLED=false | ${out.saves.withoutHistory.p50} | ${out.saves.withoutHistory.p99} |`,
    '',
    `A version of the story: ${out.saves.perVersion.jsonBytes} bytes of JSON, ${out.saves.perVersion.storedContentBytes} bytes stored (compressed); the table grew ${out.saves.perVersion.tableGrowthBytes} bytes per version (rows, indexes, TOAST).`,
    '',
    `| read, ${out.table.storyVersions.toLocaleString('en')} versions of the story, ${out.table.rows.toLocaleString('en')} rows (${out.table.sizeMB} MB) | p50 ms | p99 ms | req/s | target |`,
    '| --- | ---: | ---: | ---: | ---: |',
    ...Object.entries(out.reads).map(([label, r]) => `| ${label} | ${r.p50} | ${r.p99} | ${r.rps} | ${r.target ? `< ${r.target}` : '—'} |`),
    '',
    'Listing plan:',
    '```',
    out.plans.list,
    '```',
  ];
  const md = lines.join('\n');
  fs.mkdirSync(path.join(__dirname, 'bench-results'), { recursive: true });
  fs.writeFileSync(path.join(__dirname, 'bench-results', 'history.json'), JSON.stringify(out, null, 2));
  fs.writeFileSync(path.join(__dirname, 'bench-results', 'history.md'), `${md}\n`);
  process.stdout.write(`${md}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
