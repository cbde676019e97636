import { rightsExpired, rightsState } from '../../../src/image-rights';

const now = Date.parse('2024-04-10T12:00:00.000Z');
const at = (ms: number) => new Date(now + ms).toISOString();
const DAY = 86_400_000;

describe('image rights', () => {
  test.each([
    [null, 'none', false],
    [undefined, 'none', false],
    ['', 'none', false],
    [at(-1), 'expired', true],
    [at(0), 'expired', true],
    [at(1), 'expiring', false],
    [at(7 * DAY), 'expiring', false],
    [at(7 * DAY + 1), 'ok', false],
    [String(now - 1), 'expired', true],
    [now + 30 * DAY, 'ok', false],
  ])('rightsExpireAt %j is %s', (value, state, expired) => {
    expect(rightsState({ rightsExpireAt: value }, now)).toBe(state);
    expect(rightsExpired({ rightsExpireAt: value }, now)).toBe(expired);
  });
});
