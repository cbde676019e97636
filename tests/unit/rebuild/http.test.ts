/** The outbound request: SSRF filtering, no redirects, timeouts. Against a real local server. */
import { send } from '../../../src/rebuild/http';
import { rebuildSettings } from '../../../src/rebuild/settings';
import { parseEnv } from '../../../src/env';
import { startReceiver, type Receiver } from '../../helpers/receiver';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());

const request = (url: string) => ({ url, headers: { 'content-type': 'application/json' }, body: '{}' });

describe('sending to a target', () => {
  it('refuses loopback and private addresses when private targets are not allowed, sending nothing', async () => {
    const before = receiver.requests.length;
    for (const url of [`${receiver.url}/hook`, `http://localhost:${receiver.port}/hook`, 'http://169.254.169.254/latest/meta-data', 'http://10.0.0.1/hook']) {
      const result = await send(request(url), { timeoutMs: 2_000, allowPrivateTargets: false });
      expect(result.statusCode).toBeUndefined();
      expect(result.error).toMatch(/not allowed/);
    }
    expect(receiver.requests.length).toBe(before);
  });

  it('sends to them when allowed', async () => {
    receiver.script('/ok', [204]);
    expect(await send(request(`${receiver.url}/ok`), { timeoutMs: 2_000, allowPrivateTargets: true })).toMatchObject({ statusCode: 204 });
  });

  it('does not follow a redirect', async () => {
    receiver.script('/moved', [302], { location: `${receiver.url}/elsewhere` });
    const result = await send(request(`${receiver.url}/moved`), { timeoutMs: 2_000, allowPrivateTargets: true });
    expect(result.statusCode).toBe(302);
    expect(receiver.requests.some((r) => r.path === '/elsewhere')).toBe(false);
  });

  it('gives up on a receiver that does not answer in time', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const { port } = silent.address() as AddressInfo;
      const result = await send(request(`http://127.0.0.1:${port}/`), { timeoutMs: 300, allowPrivateTargets: true });
      expect(result.error).toMatch(/timed out after 300 ms/);
      expect(result.durationMs).toBeGreaterThanOrEqual(290);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('production refuses private targets unless WEBHOOK_ALLOW_PRIVATE_TARGETS=true', () => {
    const secrets = { APP_KEYS: 'a'.repeat(20) + ',' + 'b'.repeat(20), API_TOKEN_SALT: 'c'.repeat(20), ADMIN_JWT_SECRET: 'd'.repeat(20), TRANSFER_TOKEN_SALT: 'e'.repeat(20), JWT_SECRET: 'f'.repeat(20), ENCRYPTION_KEY: 'g'.repeat(20) };
    expect(rebuildSettings(parseEnv({ ...secrets, NODE_ENV: 'production', CORS_ORIGINS: 'https://www.example.com', SITE_URL: 'https://www.example.com', SITE_NAME: 'The Example' })).allowPrivateTargets).toBe(false);
    expect(rebuildSettings(parseEnv({ ...secrets, NODE_ENV: 'production', CORS_ORIGINS: 'https://www.example.com', SITE_URL: 'https://www.example.com', SITE_NAME: 'The Example', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' })).allowPrivateTargets).toBe(true);
    expect(rebuildSettings(parseEnv({ ...secrets, NODE_ENV: 'development' })).allowPrivateTargets).toBe(true);
  });
});
