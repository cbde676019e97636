#!/usr/bin/env node
/**
 * `npm run bench:webhooks`: how fast a publish reaches a site, and how many changes per second the
 * outbox carries, on SQLite and on PostgreSQL, in one run.
 *
 * The compiled app runs as a server in a child process (production mode); a receiver in this
 * process answers 200 and notes when each message arrives. Publishes go through the REST API with
 * a full-access token (the content API publishes at once), so "acknowledged" is the 200 answer.
 *
 *  1. latency, default debounce (2000 ms): publishes one at a time; acknowledged → received
 *  2. latency, debounce 0: the pipeline's own latency (outbox, routing, claim, send)
 *  3. throughput: BENCH_PUBLISHES publishes (default 300), 8 at a time, debounce 200 ms; changes per
 *     second from the first publish until the last change is at the receiver (checked in the log)
 *
 * PostgreSQL is measured when TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres)
 * answers. Results: a table, and bench-results/webhooks.json.
 */
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { compileStrapi } = require('@strapi/strapi');
const { Client } = require('pg');
const { randomSecrets } = require('./secrets');
const { benchEnv, percentile, sleep } = require('./bench-child');

const appDir = path.resolve(__dirname, '..');
const SLUG = 'us-warns-allies-of-chinas-growing-support-for-russia-amid-ukraine-conflict';
const PUBLISHES = Number(process.env.BENCH_PUBLISHES || 300);
const CONCURRENCY = 8;
const SECRETS = randomSecrets();
const SECRET = `whsec_${Buffer.from(randomSecrets().JWT_SECRET).toString('base64')}`;
const adminUrl = process.env.TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';


function startReceiver() {
  const arrivals = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      arrivals.push(Date.now());
      res.end('ok');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, arrivals, url: `http://127.0.0.1:${server.address().port}/hook` })));
}

function startApp(env) {
  const child = spawn(process.execPath, [path.join(__dirname, 'bench-app.js')], { cwd: appDir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += String(chunk);
      const ready = /READY (\S+)/.exec(out);
      if (ready) resolve({ child, token: ready[1] });
    });
    child.on('exit', (code) => reject(new Error(`bench-app exited with ${code}`)));
  });
}

async function stopApp({ child }) {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function publish(base, token, id, text) {
  const res = await fetch(`${base}/api/articles/${id}?locale=en`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ data: { standfirst: text } }),
  });
  if (res.status !== 200) throw new Error(`publish answered ${res.status}`);
  await res.arrayBuffer();
  return Date.now();
}

async function waitForArrival(arrivals, count, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  while (arrivals.length < count) {
    if (Date.now() > until) throw new Error(`no delivery within ${timeoutMs} ms`);
    await sleep(2);
  }
  return arrivals[count - 1];
}

async function withApp(database, debounceMs, receiver, work) {
  const port = 18000 + Math.floor(Math.random() * 1000);
  const app = await startApp({
    ...benchEnv(),
    BENCH_PORT: String(port),
    ...database.env,
    ...SECRETS,
    REBUILD_WEBHOOK_URLS: receiver.url,
    REBUILD_WEBHOOK_SECRET: SECRET,
    REBUILD_DEBOUNCE_MS: String(debounceMs),
    REBUILD_POLL_MS: '1000',
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    const list = await (await fetch(`${base}/api/articles?filters[slug][$eq]=${SLUG}&fields[0]=title`)).json();
    // Let the boot's own deliveries (the seed) go out first.
    await sleep(debounceMs + 1500);
    return await work({ base, token: app.token, id: list.data[0].documentId });
  } finally {
    await stopApp(app);
  }
}

async function latency(database, receiver, debounceMs, samples) {
  return withApp(database, debounceMs, receiver, async ({ base, token, id }) => {
    const values = [];
    for (let i = 0; i < samples; i += 1) {
      const before = receiver.arrivals.length;
      const acknowledged = await publish(base, token, id, `Latency ${debounceMs} ${i}`);
      values.push((await waitForArrival(receiver.arrivals, before + 1)) - acknowledged);
      await sleep(50);
    }
    return { samples, p50Ms: percentile(values, 50), p99Ms: percentile(values, 99), maxMs: Math.max(...values) };
  });
}

async function throughput(database, receiver) {
  const debounceMs = 200;
  return withApp(database, debounceMs, receiver, async ({ base, token, id }) => {
    const changesBefore = await database.deliveredChanges();
    const deliveriesBefore = await database.deliveries();
    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < PUBLISHES) {
          const i = next++;
          await publish(base, token, id, `Throughput ${i}`);
        }
      }),
    );
    const acknowledged = Date.now();
    let delivered = 0;
    for (const until = Date.now() + 60_000; Date.now() < until; await sleep(20)) {
      delivered = (await database.deliveredChanges()) - changesBefore;
      if (delivered >= PUBLISHES) break;
    }
    if (delivered < PUBLISHES) throw new Error(`only ${delivered} of ${PUBLISHES} changes delivered`);
    const done = receiver.arrivals[receiver.arrivals.length - 1];
    return {
      publishes: PUBLISHES,
      publishesPerSecond: Math.round(PUBLISHES / ((acknowledged - started) / 1000)),
      changesPerSecond: Math.round(PUBLISHES / ((done - started) / 1000)),
      deliveries: (await database.deliveries()) - deliveriesBefore,
    };
  });
}

async function sqliteDatabase(work) {
  const filename = path.join(work, 'bench.db');
  const Database = require('better-sqlite3');
  const query = (sql) => {
    const db = new Database(filename, { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).get();
    } finally {
      db.close();
    }
  };
  return {
    name: 'SQLite',
    env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: filename },
    deliveredChanges: async () => query("select coalesce(sum(change_count), 0) n from rebuild_deliveries where state = 'delivered' and trigger = 'change'").n,
    deliveries: async () => query("select count(*) n from rebuild_deliveries where trigger = 'change'").n,
    drop: async () => undefined,
  };
}

async function postgresDatabase() {
  const admin = new Client({ connectionString: adminUrl });
  try {
    await admin.connect();
  } catch {
    return null;
  }
  const name = `newsroom_bench_${process.pid}`;
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const query = async (sql) => {
    const c = new Client({ connectionString: url.toString() });
    await c.connect();
    try {
      return Number((await c.query(sql)).rows[0].n);
    } finally {
      await c.end();
    }
  };
  return {
    name: 'PostgreSQL',
    env: { DATABASE_CLIENT: 'postgres', DATABASE_URL: url.toString() },
    deliveredChanges: () => query("select coalesce(sum(change_count), 0) n from rebuild_deliveries where state = 'delivered' and trigger = 'change'"),
    deliveries: () => query("select count(*) n from rebuild_deliveries where trigger = 'change'"),
    drop: async () => {
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

async function main() {
  await compileStrapi({ appDir });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'newsroom-bench-webhooks-'));
  fs.mkdirSync(path.join(work, 'uploads'));
  process.env.PUBLIC_DIR = work;
  const receiver = await startReceiver();
  const results = [];
  try {
    for (const make of [() => sqliteDatabase(work), postgresDatabase]) {
      const database = await make();
      if (!database) {
        console.log('PostgreSQL not reachable: skipped');
        continue;
      }
      try {
        console.log(`${database.name}: measuring…`);
        results.push({
          database: database.name,
          latencyDefaultDebounce: await latency(database, receiver, 2000, 10),
          latencyNoDebounce: await latency(database, receiver, 0, 50),
          throughput: await throughput(database, receiver),
        });
      } finally {
        await database.drop();
      }
    }
  } finally {
    receiver.server.close();
    fs.rmSync(work, { recursive: true, force: true });
  }

  console.log(`\n${os.cpus().length} cores, Node ${process.version}`);
  console.log('| database | publish → site, debounce 2000 ms: p50 / p99 | debounce 0: p50 / p99 | publishes/s (8 at a time) | changes/s delivered | deliveries for the burst |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    const a = r.latencyDefaultDebounce;
    const b = r.latencyNoDebounce;
    const t = r.throughput;
    console.log(`| ${r.database} | ${a.p50Ms} / ${a.p99Ms} ms | ${b.p50Ms} / ${b.p99Ms} ms | ${t.publishesPerSecond} | ${t.changesPerSecond} | ${t.deliveries} |`);
  }
  fs.mkdirSync(path.join(appDir, 'bench-results'), { recursive: true });
  fs.writeFileSync(path.join(appDir, 'bench-results', 'webhooks.json'), JSON.stringify({ date: new Date().toISOString(), publishes: PUBLISHES, results }, null, 2));
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
