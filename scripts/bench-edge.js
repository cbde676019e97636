#!/usr/bin/env node
/**
 * The edge, part of `npm run bench` (alone: `npm run bench -- --only-edge`): a real Varnish running
 * deploy/varnish/newsroom.vcl in front of the app (SQLite, production settings), measured with
 * wrk (autocannon tops out near 12k req/s on one core and would hide Varnish's ceiling):
 *   cached story   the story's view served from Varnish vs a bare Node server answering the same
 *                  bytes, each on the server core, wrk on the other; interleaved rounds, medians;
 *   publish→edge   20 publishes of the story (REST, the content API publishes at once), each timed
 *                  from the acknowledged write until Varnish serves the new text (the varnish purge
 *                  target through the outbox, PURGE_DEBOUNCE_MS = 200): p50 and p99.
 * Needs varnishd with xkey (Debian: varnish, varnish-modules) and wrk (Debian: wrk).
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { benchEnv, median, percentile, sleep, startChild, wrk, SERVER_CORE } = require('./bench-child');
const { startVarnish } = require('./varnish');

const STORY = 'us-warns-allies-of-chinas-growing-support-for-russia-amid-ukraine-conflict';
const VIEW = `/api/articles/slug/${STORY}`;

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });


/** Missing tools, named; empty when the edge can be measured here. */
function missing() {
  const lacks = [];
  if (spawnSync('varnishd', ['-V']).status !== 0) lacks.push('varnishd (apt-get install varnish varnish-modules)');
  if (spawnSync('wrk', ['-v']).error) lacks.push('wrk (apt-get install wrk)');
  return lacks;
}

async function runEdge({ rounds = 3, seconds = 5, connections = 50, publishes = 20, pinned = false } = {}) {
  const lacks = missing();
  if (lacks.length) return { skipped: `not measured: this machine lacks ${lacks.join(' and ')}` };
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'newsroom-edge-'));
  fs.mkdirSync(path.join(work, 'uploads'));
  const [appPort, varnishPort, barePort] = [await freePort(), await freePort(), await freePort()];
  const children = [];
  let varnish;
  try {
    const app = await startChild(
      'bench-app.js',
      benchEnv({ LOG_LEVEL: 'warn', BENCH_PORT: String(appPort), DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: path.join(work, 'edge.db'), PUBLIC_DIR: work, PURGE_VARNISH_URLS: `http://127.0.0.1:${varnishPort}/` }),
      pinned,
    );
    children.push(app);
    varnish = await startVarnish({ port: varnishPort, backends: [{ host: '127.0.0.1', port: appPort }], core: pinned ? SERVER_CORE : undefined });
    const edgeUrl = `http://127.0.0.1:${varnishPort}${VIEW}`;
    const first = await fetch(edgeUrl);
    const body = Buffer.from(await first.arrayBuffer());
    if (first.status !== 200) throw new Error(`the story through Varnish: ${first.status}`);
    const bodyFile = path.join(work, 'story.json');
    fs.writeFileSync(bodyFile, body);
    const bare = await startChild('bench-bare.js', { BENCH_PORT: String(barePort), BENCH_BODY_FILE: bodyFile }, pinned);
    children.push(bare);

    // Cached story: Varnish vs bare Node, interleaved, medians.
    const runs = { varnish: [], bare: [] };
    for (let r = 0; r < rounds; r += 1) {
      const order = r % 2 === 0 ? ['varnish', 'bare'] : ['bare', 'varnish'];
      for (const name of order) runs[name].push(wrk(name === 'varnish' ? edgeUrl : `http://127.0.0.1:${barePort}/`, { seconds, connections, pinned }));
    }
    const summary = (xs) => ({ rps: Math.round(median(xs.map((x) => x.rps))), p50: median(xs.map((x) => x.p50)), p99: median(xs.map((x) => x.p99)) });
    const cached = { varnish: summary(runs.varnish), bare: summary(runs.bare), bytes: body.length, connections, rounds, seconds };
    cached.ratio = +(cached.varnish.rps / cached.bare.rps).toFixed(2);

    // Publish → the edge serves the new text.
    const list = await (await fetch(`http://127.0.0.1:${appPort}/api/articles?filters[slug][$eq]=${STORY}&fields[0]=title`)).json();
    const id = list.data[0].documentId;
    const delays = [];
    for (let n = 0; n < publishes; n += 1) {
      await fetch(edgeUrl); // cached before the write
      const standfirst = `Measured at the edge, publish ${n} (${Date.now()}).`;
      const res = await fetch(`http://127.0.0.1:${appPort}/api/articles/${id}?locale=en`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${app.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ data: { standfirst } }),
      });
      if (res.status !== 200) throw new Error(`publish ${n}: ${res.status}`);
      const at = Date.now();
      for (;;) {
        const seen = await (await fetch(edgeUrl)).json();
        if (seen.data.standfirst === standfirst) break;
        if (Date.now() - at > 10_000) throw new Error(`publish ${n}: the edge did not serve it within 10 s`);
        await sleep(5);
      }
      delays.push(Date.now() - at);
      await sleep(300);
    }
    return { cached, publishToEdge: { publishes, p50: percentile(delays, 50), p99: percentile(delays, 99), max: Math.max(...delays), debounceMs: 200 } };
  } finally {
    await varnish?.stop();
    for (const c of children) {
      c.kill('SIGTERM');
      await new Promise((r) => (c.exitCode === null ? c.once('exit', r) : r()));
    }
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The edge's Markdown lines for the benchmark report. */
function edgeReport(edge) {
  if (!edge) return [];
  if (edge.skipped) return ['', `Edge: ${edge.skipped}`];
  const { cached, publishToEdge: p } = edge;
  return [
    '',
    `Edge (Varnish 7.1 running deploy/varnish/newsroom.vcl; wrk, 1 thread, ${cached.connections} connections, ${cached.rounds} interleaved rounds × ${cached.seconds} s, medians):`,
    '',
    '| target | req/s | p50 ms | p99 ms |',
    '| --- | ---: | ---: | ---: |',
    `| the story's view, cached in Varnish | ${cached.varnish.rps} | ${cached.varnish.p50} | ${cached.varnish.p99} |`,
    `| bare Node http, same ${cached.bytes} bytes | ${cached.bare.rps} | ${cached.bare.p50} | ${cached.bare.p99} |`,
    '',
    `Varnish / bare Node: ${cached.ratio}. Publish → the edge serves the new text (varnish purge target, ${p.debounceMs} ms window), over ${p.publishes} publishes: p50 ${p.p50} ms, p99 ${p.p99} ms, max ${p.max} ms.`,
  ];
}

module.exports = { runEdge, edgeReport };
