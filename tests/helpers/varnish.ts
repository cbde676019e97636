/**
 * A real Varnish (Debian's varnishd 7.1 with varnish-modules' xkey, installed by .ci/run) in front
 * of test servers, running deploy/varnish/newsroom.vcl unchanged: the test writes its own
 * backends.vcl (its backends, the director, the purge ACL) into a folder earlier in vcl_path.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { appDir } from './strapi';

export interface Varnish {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface VarnishOptions {
  port: number;
  backends: Array<{ host: string; port: number }>;
  /** addresses allowed to purge; 127.0.0.1 by default */
  purgers?: string[];
  /** probe the backends on /api/health (as the example does); off, every backend is always healthy */
  probe?: boolean;
}

export function backendsVcl({ backends, purgers = ['127.0.0.1'], probe = false }: Omit<VarnishOptions, 'port'>): string {
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

/** Answers once Varnish serves its synthetic answers (a PURGE without tags is a 400 from the VCL). */
async function ready(port: number, child: ChildProcess, output: () => string): Promise<void> {
  for (const until = Date.now() + 20_000; Date.now() < until; ) {
    if (child.exitCode !== null) throw new Error(`varnishd exited with ${child.exitCode}:\n${output()}`);
    const status = await new Promise<number>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'PURGE', path: '/', agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => resolve(0));
      req.end();
    });
    if (status === 400) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`varnishd did not start:\n${output()}`);
}

export async function startVarnish(options: VarnishOptions): Promise<Varnish> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'newsroom-varnish-'));
  await writeFile(path.join(dir, 'backends.vcl'), backendsVcl(options));
  const vcl = path.join(appDir, 'deploy/varnish/newsroom.vcl');
  // -j none: no privilege drop (tests run as root in a throwaway folder); -F: stay in the foreground.
  const child = spawn(
    'varnishd',
    ['-F', '-j', 'none', '-n', path.join(dir, 'instance'), '-a', `127.0.0.1:${options.port}`, '-f', vcl, '-p', `vcl_path=${dir}:${path.dirname(vcl)}`, '-s', 'malloc,64m', '-p', 'default_grace=0s'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (c) => (output += String(c)));
  child.stderr.on('data', (c) => (output += String(c)));
  await ready(options.port, child, () => output);
  return {
    url: `http://127.0.0.1:${options.port}`,
    port: options.port,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
