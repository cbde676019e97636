/**
 * The benchmarks' server child: a script of scripts/ in its own process, pinned to the server
 * core when `pinned` (taskset, every thread). Resolves, once it prints its READY line, with the
 * child, the `token` the line carries (bench-app.js: a full-access API token) and `ask(request)`, which sends one JSON line on stdin and resolves with the JSON line it
 * answers (scripts/bench-app.js's commands).
 */
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');

const { randomSecrets } = require('./secrets');

const appDir = path.resolve(__dirname, '..');

const { setTimeout: sleep } = require('node:timers/promises');

/** The middle value (the upper one of an even count). */
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The nearest-rank percentile `p` (0-100). */
function percentile(xs, p) {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * The environment every benchmark server starts with: production, the example site, no rate limit
 * (one client address makes all the load), the story seeded, no accounts (blank, so a developer's
 * .env cannot half-set one), fresh random secrets; `overrides` last.
 */
function benchEnv(overrides = {}) {
  return {
    NODE_ENV: 'production',
    CORS_ORIGINS: 'https://www.example.com',
    SITE_URL: 'https://www.example.com',
    SITE_NAME: 'The Example',
    RATE_LIMIT_ENABLED: 'false',
    LOG_LEVEL: 'error',
    SEED_STORY: 'true',
    REBUILD_POLL_MS: '600000',
    ...randomSecrets(),
    ...Object.fromEntries(['ADMIN', 'EDITOR', 'AUTHOR'].flatMap((who) => [[`${who}_EMAIL`, ''], [`${who}_PASSWORD`, '']])),
    ...overrides,
  };
}
/**
 * One autocannon run of `target` ({ name, request: autocannon's url, method, headers, body }):
 * resolves with autocannon's result; a run with any non-2xx answer, socket error or timeout is
 * invalid and rejects.
 */
function autocannonRun(target, { connections, seconds }) {
  const autocannon = require('autocannon');
  return new Promise((resolve, reject) => {
    autocannon({ connections, duration: seconds, ...target.request }, (error, result) => {
      if (error) return reject(error);
      if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
        return reject(new Error(`invalid run, ${target.name}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`));
      }
      resolve(result);
    });
  });
}

const SERVER_CORE = '0';
const LOAD_CORE = '1';

/** `--name value` pairs over `defaults` (numbers stay numbers); an unknown option throws. */
function parseOptions(defaults, argv) {
  const opts = { ...defaults };
  for (let i = 0; i < argv.length; i += 1) {
    const name = argv[i].replace(/^--/, '');
    if (!(name in opts)) throw new Error(`unknown option ${argv[i]}`);
    opts[name] = typeof opts[name] === 'number' ? Number(argv[(i += 1)]) : argv[(i += 1)];
  }
  return opts;
}

/**
 * Runs the benchmark `file` again pinned to the load core (taskset) and exits with its status,
 * unless it already is, taskset is missing or there is one core; then returns.
 */
function pinToLoadCore(file) {
  const { spawnSync } = require('node:child_process');
  if (process.env.BENCH_PINNED || require('node:os').cpus().length < 2 || spawnSync('taskset', ['-V']).status !== 0) return;
  const child = spawnSync('taskset', ['-c', LOAD_CORE, process.execPath, file, ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, BENCH_PINNED: '1' } });
  process.exit(child.status ?? 1);
}

function startChild(script, env, pinned) {
  return new Promise((resolve, reject) => {
    const file = path.join(__dirname, script);
    const [cmd, args] = pinned ? ['taskset', ['-a', '-c', SERVER_CORE, process.execPath, file]] : [process.execPath, [file]];
    const child = spawn(cmd, args, { cwd: appDir, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
    const waiting = [];
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      // READY, or READY <full-access API token> (bench-app.js).
      if (line.startsWith('READY')) return resolve(Object.assign(child, { ask, token: line.slice('READY'.length).trim() || null }));
      waiting.shift()?.(line);
    });
    function ask(request) {
      return new Promise((done) => {
        waiting.push((line) => done(JSON.parse(line)));
        child.stdin.write(`${JSON.stringify(request)}\n`);
      });
    }
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

/**
 * One wrk run (1 thread, on the load core when pinned): requests per second and latency
 * percentiles (ms). Any non-2xx answer or socket error makes the run invalid. For rates above
 * ~10k req/s, which autocannon cannot generate from one core.
 */
function wrk(url, { seconds, connections, pinned, headers = {} }) {
  const { spawnSync } = require('node:child_process');
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]), url];
  const run = pinned ? spawnSync('taskset', ['-c', LOAD_CORE, 'wrk', ...args], { encoding: 'utf8' }) : spawnSync('wrk', args, { encoding: 'utf8' });
  const out = run.stdout;
  if (run.status !== 0 || /Non-2xx|Socket errors/.test(out)) throw new Error(`invalid wrk run on ${url}:\n${out}${run.stderr}`);
  const ms = (line) => {
    const m = new RegExp(`^\\s*${line}\\s+([\\d.]+)(us|ms|s)`, 'm').exec(out);
    if (!m) return null;
    const v = Number(m[1]);
    return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
  };
  return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]), p50: ms('50%'), p99: ms('99%') };
}

/**
 * A new, empty PostgreSQL database `newsroom_<purpose>_<pid>` on the server of TEST_POSTGRES_URL
 * (the local one by default): its URL, and `drop()`, which removes it (sessions still on it too).
 */
async function throwawayDatabase(purpose) {
  const { Client } = require('pg');
  const adminUrl = process.env.TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `newsroom_${purpose}_${process.pid}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

module.exports = { autocannonRun, benchEnv, throwawayDatabase, median, parseOptions, percentile, pinToLoadCore, sleep, startChild, wrk, LOAD_CORE, SERVER_CORE };
