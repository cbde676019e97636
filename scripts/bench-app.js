/**
 * Child process of the benchmarks: boots the compiled app on the database its environment names,
 * listens on BENCH_PORT and reports "READY <full-access API token>" on stdout. It answers two
 * commands on stdin, a JSON line each, {"command", "path", "method"?, "body"?}, with one JSON line
 * each on stdout:
 *   sql      makes the request once, anonymously and past the read cache, and reports the SQL
 *            statements it ran: {"sql": n, "statements": [...]}
 *   explain  the same, and reports each SELECT's query plan: {"plans": [...]}
 *   slowest  the same, and reports its longest statement, from knex's query event to its
 *            response: {"slowestMs": n, "sql": "..."} (on SQLite the statement runs in between)
 * Strapi itself stops cleanly on SIGTERM.
 */
'use strict';
const path = require('node:path');
const readline = require('node:readline');
const { createStrapi } = require('@strapi/strapi');

const appDir = path.resolve(__dirname, '..');
const port = Number(process.env.BENCH_PORT);

/** Waits until no statement has run for 300 ms (requests a load generator left in flight finish first). */
async function quiet(app) {
  let last = Date.now();
  const onQuery = () => (last = Date.now());
  app.db.connection.on('query', onQuery);
  try {
    while (Date.now() - last < 300) await new Promise((r) => setTimeout(r, 50));
  } finally {
    app.db.connection.off('query', onQuery);
  }
}

/** The statements `path` runs: knex's query event, once background work (the dispatcher's poll) is excluded. */
async function statementsOf(app, { path: urlPath, method = 'GET', body }) {
  await quiet(app);
  const seen = [];
  const started = new Map();
  const onQuery = (q) => {
    if (!/rebuild_|t0\W+publish_at/.test(q.sql)) {
      const entry = { sql: q.sql, bindings: q.bindings ?? [], ms: null };
      seen.push(entry);
      started.set(q.__knexQueryUid, { entry, at: process.hrtime.bigint() });
    }
  };
  const onResponse = (_response, q) => {
    const s = started.get(q.__knexQueryUid);
    if (s) s.entry.ms = Number(process.hrtime.bigint() - s.at) / 1e6;
  };
  app.db.connection.on('query', onQuery);
  app.db.connection.on('query-response', onResponse);
  try {
    const headers = { 'cache-control': 'no-cache', ...(body ? { 'content-type': 'application/json' } : {}) };
    const res = await fetch(`http://127.0.0.1:${port}${urlPath}`, { method, headers, body });
    await res.arrayBuffer();
    if (res.status >= 400) throw new Error(`${urlPath}: ${res.status}`);
  } finally {
    app.db.connection.off('query', onQuery);
    app.db.connection.off('query-response', onResponse);
  }
  return seen;
}

async function explain(app, statements) {
  const knex = app.db.connection;
  const pg = app.db.dialect.client === 'postgres';
  const plans = [];
  for (const { sql, bindings } of statements) {
    if (!/^\s*select/i.test(sql)) continue;
    let rows;
    if (pg) {
      // knex reports PostgreSQL statements with $n placeholders: run them on a pool connection as they are.
      const connection = await knex.client.acquireConnection();
      try {
        rows = (await connection.query(`explain (analyze, buffers off) ${sql}`, bindings)).rows.map((r) => r['QUERY PLAN']);
      } finally {
        await knex.client.releaseConnection(connection);
      }
    } else {
      rows = (await knex.raw(`explain query plan ${sql}`, bindings)).map((r) => r.detail);
    }
    plans.push({ sql: sql.length > 300 ? `${sql.slice(0, 300)}…` : sql, plan: rows });
  }
  return plans;
}

createStrapi({ appDir, distDir: path.join(appDir, 'dist') })
  .load()
  .then(async (app) => {
    app.server.mount();
    await new Promise((resolve) => app.server.httpServer.listen(port, '127.0.0.1', resolve));
    const token = await app.service('admin::api-token').create({ name: `bench-${process.pid}`, type: 'full-access', lifespan: null });
    readline.createInterface({ input: process.stdin }).on('line', async (line) => {
      try {
        const request = JSON.parse(line);
        const statements = await statementsOf(app, request);
        const slowest = () => {
          const top = statements.reduce((a, b) => ((b.ms ?? 0) > (a?.ms ?? -1) ? b : a), null);
          return { slowestMs: top?.ms ?? 0, sql: top ? top.sql.slice(0, 300) : '' };
        };
        const answer =
          request.command === 'explain' ? { plans: await explain(app, statements) } : request.command === 'slowest' ? slowest() : { sql: statements.length, statements: statements.map((s) => s.sql) };
        process.stdout.write(`${JSON.stringify(answer)}\n`);
      } catch (error) {
        process.stdout.write(`${JSON.stringify({ error: error.message })}\n`);
      }
    });
    process.stdout.write(`READY ${token.accessKey}\n`);
  })
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
