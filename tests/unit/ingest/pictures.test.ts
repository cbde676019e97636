/**
 * Fetching a picture goes through the outbound guard: private addresses are refused unless
 * INGEST_ALLOW_PRIVATE_SOURCES, and a credit line is split into agency and photographer.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchPicture, splitCredit } from '../../../src/ingest/pictures';

describe('the outbound guard', () => {
  const server = http.createServer((_req, res) => res.end('x'));
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/p.jpg`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('refuses a loopback address', async () => {
    await expect(fetchPicture(url, { allowPrivate: false, maxBytes: 1_000_000, timeoutMs: 2_000 })).rejects.toThrow(/private address|not allowed/);
  });

  it.each([
    ['file:///etc/passwd', /is file: \(only http and https are fetched\)/],
    ['not a url', /is not a URL/],
  ])('refuses %s', async (target, message) => {
    await expect(fetchPicture(target, { allowPrivate: true, maxBytes: 1_000_000, timeoutMs: 2_000 })).rejects.toThrow(message);
  });
});

describe('credit lines', () => {
  it.each([
    ['REUTERS/Kevin Lamarque', null, { agency: 'REUTERS', credit: 'Kevin Lamarque' }],
    ['Kevin Lamarque/REUTERS', null, { agency: 'REUTERS', credit: 'Kevin Lamarque' }],
    ['AFP/John Photo', 'AFP', { agency: 'AFP', credit: 'John Photo' }],
    ['Kevin Lamarque', 'Reuters', { agency: 'Reuters', credit: 'Kevin Lamarque' }],
    [null, 'Reuters', { agency: 'Reuters', credit: null }],
  ])('%s (holder %s)', (credit, holder, expected) => expect(splitCredit(credit, holder)).toEqual(expected));
});
