/**
 * A real Varnish (varnishd 7.1 with varnish-modules' xkey) running deploy/varnish/newsroom.vcl
 * unchanged, for the tests (tests/helpers/varnish.ts) and the edge benchmark: the caller's own
 * backends.vcl (its backends, the director, the purge ACL) is written into a folder earlier in
 * vcl_path. Plain JavaScript so scripts and tests share it.
 */
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs/promises');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const VCL = path.resolve(__dirname, '..', 'deploy/varnish/newsroom.vcl');

/** backends.vcl for `backends` ({host, port}), probed on /api/health when `probe`, purges from `purgers`. */
function backendsVcl({ backends, purgers = ['127.0.0.1'], probe = false }) {
  const probeBlock = probe ? 'probe newsroom_health { .url = "/api/health"; .interval = 1s; .timeout = 1s; .window = 3; .threshold = 2; .initial = 2; }\n' : '';
  return [
    'import directors;',
    probeBlock,
    ...backends.map((b, i) => `backend cms${i + 1} { .host = "${b.host}"; .port = "${b.port}";${probe ? ' .probe = newsroom_health;' : ''} }`),
    'sub vcl_init {',
    '  new newsroom = directors.round_robin();',
    ...backends.map((_b, i) => `  newsroom.add_backend(cms${i + 1});`),
    '}',
    `acl purgers { ${purgers.map((p) => `"${p}";`).join(' ')} }`,
    '',
  ].join('\n');
}

function purgeWithoutTags(port) {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'PURGE', path: '/', agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

/**
 * Starts varnishd on 127.0.0.1:`port` in the foreground, in a throwaway folder; resolves once it
 * answers (a PURGE without tags is the VCL's own 400). `core` pins it (taskset) for benchmarks.
 */
async function startVarnish({ port, backends, purgers, probe = false, core }) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'newsroom-varnish-'));
  await fs.writeFile(path.join(dir, 'backends.vcl'), backendsVcl({ backends, purgers, probe }));
  // -j none: no privilege drop (a throwaway folder, run as the caller); default_grace 0: what a purge removes is gone.
  const args = ['-F', '-j', 'none', '-n', path.join(dir, 'instance'), '-a', `127.0.0.1:${port}`, '-f', VCL, '-p', `vcl_path=${dir}:${path.dirname(VCL)}`, '-s', 'malloc,64m', '-p', 'default_grace=0s'];
  const child = core === undefined ? spawn('varnishd', args, { stdio: ['ignore', 'pipe', 'pipe'] }) : spawn('taskset', ['-a', '-c', String(core), 'varnishd', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c) => (output += String(c)));
  child.stderr.on('data', (c) => (output += String(c)));
  let started = false;
  for (const until = Date.now() + 20_000; Date.now() < until; ) {
    if (child.exitCode !== null) break;
    if ((await purgeWithoutTags(port)) === 400) {
      started = true;
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!started) {
    child.kill('SIGKILL');
    throw new Error(`varnishd did not start:\n${output}`);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

module.exports = { backendsVcl, startVarnish };
