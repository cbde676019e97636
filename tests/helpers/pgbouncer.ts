/**
 * A real PgBouncer (Debian's pgbouncer, installed by .ci/run) in front of the test PostgreSQL
 * server, in the pool mode asked for, on a free port, with its own throwaway configuration.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, sleep } from './receiver';

export interface PgBouncer {
  port: number;
  /** `url` with its host and port replaced by PgBouncer's */
  through(url: string): string;
  stop(): Promise<void>;
}

const canConnect = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });

export async function startPgBouncer(poolMode: 'session' | 'transaction'): Promise<PgBouncer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'newsroom-pgbouncer-'));
  await chmod(dir, 0o755);
  const port = await freePort();
  const upstream = new URL(process.env.TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres');
  const ini = path.join(dir, 'pgbouncer.ini');
  await writeFile(path.join(dir, 'users.txt'), `"${decodeURIComponent(upstream.username || 'postgres')}" ""\n`, { mode: 0o644 });
  await writeFile(
    ini,
    [
      '[databases]',
      `* = host=${upstream.hostname} port=${upstream.port || 5432}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'auth_type = trust',
      `auth_file = ${path.join(dir, 'users.txt')}`,
      `pool_mode = ${poolMode}`,
      'unix_socket_dir =',
      'max_client_conn = 500',
      'default_pool_size = 40',
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  // PgBouncer will not run as root: it drops to the postgres user when started as root.
  const args = process.getuid?.() === 0 ? ['-u', 'postgres', ini] : [ini];
  const child = spawn('pgbouncer', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c) => (output += String(c)));
  child.stderr.on('data', (c) => (output += String(c)));
  for (const until = Date.now() + 10_000; !(await canConnect(port)); await sleep(50)) {
    if (child.exitCode !== null || Date.now() > until) throw new Error(`pgbouncer did not start:\n${output}`);
  }
  return {
    port,
    through(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
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
