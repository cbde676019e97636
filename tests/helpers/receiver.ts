/**
 * A real HTTP receiver in the test process, standing in for a site's webhook endpoint, a deploy
 * hook or GitHub: it records every request and answers what the test scripts (200 by default).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface Receiver {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /** Answers for the next requests to a path, in order (then 200). */
  script(path: string, statuses: number[], headers?: Record<string, string>): void;
  /** Waits until `count` requests matched; fails after `timeoutMs`. */
  waitFor(match: (r: ReceivedRequest) => boolean, count?: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

export async function startReceiver(port = 0): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const scripted = new Map<string, { statuses: number[]; headers: Record<string, string> }>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += String(chunk)));
    req.on('end', () => {
      const path = req.url ?? '/';
      requests.push({ method: req.method ?? '', path, headers: req.headers, body, at: Date.now() });
      const plan = scripted.get(new URL(path, 'http://x').pathname);
      const status = plan?.statuses.shift() ?? 200;
      res.writeHead(status, status === 200 ? {} : (plan?.headers ?? {}));
      res.end(status === 204 ? undefined : 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    requests,
    script(path, statuses, headers = {}) {
      scripted.set(path, { statuses: [...statuses], headers });
    },
    async waitFor(match, count = 1, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const found = requests.filter(match);
        if (found.length >= count) return found;
        if (Date.now() > until) throw new Error(`expected ${count} matching request(s) within ${timeoutMs} ms, got ${found.length}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port nothing listens on (yet). */
export async function freePort(): Promise<number> {
  const r = await startReceiver();
  await r.close();
  return r.port;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
