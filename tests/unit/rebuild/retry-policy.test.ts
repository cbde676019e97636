import { backoffMs, outcomeOf, parseRetryAfter } from '../../../src/rebuild/retry-policy';

const policy = { maxAttempts: 10, retryBaseMs: 30_000, retryMaxMs: 7_200_000 };
const noJitter = () => 0.5;

describe('what an attempt means for its delivery', () => {
  it.each([
    [{ statusCode: 200 }, 1, { status: 'delivered' }],
    [{ statusCode: 204 }, 3, { status: 'delivered' }],
    [{ statusCode: 410 }, 1, { status: 'failed', disableTarget: true }],
    [{ statusCode: 400 }, 1, { status: 'failed', disableTarget: false }],
    [{ statusCode: 401 }, 1, { status: 'failed', disableTarget: false }],
    [{ statusCode: 404 }, 1, { status: 'failed', disableTarget: false }],
    [{ statusCode: 302 }, 1, { status: 'failed', disableTarget: false }],
    [{ statusCode: 408 }, 1, { status: 'retrying', delayMs: 30_000 }],
    [{ statusCode: 429 }, 2, { status: 'retrying', delayMs: 60_000 }],
    [{ statusCode: 500 }, 3, { status: 'retrying', delayMs: 120_000 }],
    [{ statusCode: 503, retryAfterMs: 5_000 }, 1, { status: 'retrying', delayMs: 5_000 }],
    [{ error: 'ECONNREFUSED' }, 1, { status: 'retrying', delayMs: 30_000 }],
    [{ error: 'timed out after 10000 ms' }, 9, { status: 'retrying', delayMs: 7_200_000 }],
    [{ statusCode: 503 }, 10, { status: 'dead' }],
    [{ error: 'ECONNRESET' }, 10, { status: 'dead' }],
  ])('%j on attempt %i → %j', (result, attempt, expected) => {
    expect(outcomeOf(result, attempt, policy, noJitter)).toEqual(expected);
  });

  it('retries at least 8 times over about 4 hours by default', () => {
    const waits = Array.from({ length: policy.maxAttempts - 1 }, (_, i) => backoffMs(i + 1, policy, noJitter));
    const totalHours = waits.reduce((a, b) => a + b, 0) / 3_600_000;
    expect(waits.length).toBeGreaterThanOrEqual(8);
    expect(totalHours).toBeGreaterThan(3.5);
    expect(totalHours).toBeLessThan(6);
  });

  it('spreads retries by ±25% jitter', () => {
    expect(backoffMs(1, policy, () => 0)).toBe(22_500);
    expect(backoffMs(1, policy, () => 1)).toBe(37_500);
  });

  it('caps a Retry-After at the longest wait', () => {
    expect(outcomeOf({ statusCode: 429, retryAfterMs: 86_400_000 }, 1, policy)).toEqual({ status: 'retrying', delayMs: 7_200_000 });
  });
});

describe('Retry-After', () => {
  it.each([
    ['120', 120_000],
    [' 3 ', 3_000],
    ['Sun, 29 Nov 2026 22:00:10 GMT', 10_000],
    ['Sun, 29 Nov 2026 21:00:00 GMT', 0],
    ['soon', undefined],
    [undefined, undefined],
  ])('%j → %j ms', (value, expected) => {
    expect(parseRetryAfter(value, Date.parse('2026-11-29T22:00:00Z'))).toBe(expected);
  });
});
