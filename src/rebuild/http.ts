/**
 * One outbound request (a POST, or a Varnish PURGE): a timeout, no redirects followed, and, unless private targets are allowed,
 * an agent that refuses loopback, private, link-local and metadata addresses at connect time
 * (after DNS resolution, so a public name pointing inward is refused too).
 */
import http from 'node:http';
import https from 'node:https';
import { useAgent } from 'request-filtering-agent';
import { parseRetryAfter, type AttemptResult } from './retry-policy';

export interface OutboundRequest {
  /** POST unless said (a Varnish purge is PURGE) */
  method?: 'POST' | 'PURGE';
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface SendOptions {
  timeoutMs: number;
  allowPrivateTargets: boolean;
}

export interface SendResult extends AttemptResult {
  durationMs: number;
}

const MAX_RESPONSE_BYTES = 64 * 1024;

export function send(request: OutboundRequest, options: SendOptions): Promise<SendResult> {
  const started = Date.now();
  const url = new URL(request.url);
  const client = url.protocol === 'https:' ? https : http;
  const agent = options.allowPrivateTargets ? undefined : useAgent(request.url);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: AttemptResult) => {
      if (settled) return;
      settled = true;
      resolve({ ...result, durationMs: Date.now() - started });
    };
    try {
      const req = client.request(
        url,
        {
          method: request.method ?? 'POST',
          agent,
          headers: { 'user-agent': 'newsroom-cms-rebuild/1', ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
          timeout: options.timeoutMs,
        },
        (res) => {
          let received = 0;
          // Read (and drop) the answer so the socket is released; a huge answer is cut off.
          res.on('data', (chunk: Buffer) => {
            received += chunk.length;
            if (received > MAX_RESPONSE_BYTES) res.destroy();
          });
          const done = () =>
            finish({ statusCode: res.statusCode, retryAfterMs: parseRetryAfter(res.headers['retry-after'] as string | undefined) });
          res.on('end', done);
          res.on('close', done);
          res.on('error', done);
        },
      );
      req.on('timeout', () => {
        req.destroy(new Error(`timed out after ${options.timeoutMs} ms`));
      });
      req.on('error', (error: NodeJS.ErrnoException) => finish({ error: error.code ? `${error.code}: ${error.message}` : error.message }));
      req.end(request.body);
    } catch (error) {
      // The filtering agent refuses an address literal before any socket exists.
      finish({ error: error instanceof Error ? error.message : String(error) });
    }
  });
}
