import fc from 'fast-check';
import { documentKey, keyFloor } from '../../../src/search/store';

describe('a search document’s id', () => {
  it('follows first publication: a later second is always a higher id, whatever the article', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8_000_000_000_000 }), fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 1_000, max: 10_000_000_000 }), fc.integer({ min: 1, max: 10_000_000 }), (ms, a, later, b) => {
        expect(documentKey(ms + later, b)).toBeGreaterThan(documentKey(ms, a));
      }),
      { seed: 31, numRuns: 500 },
    );
  });

  it('stays a safe integer for dates up to the year 2200', () => {
    expect(Number.isSafeInteger(documentKey(Date.UTC(2200, 0, 1), 2 ** 20 - 1))).toBe(true);
  });

  it('is bounded by keyFloor: every id first published at or after a time is at least its floor, every earlier one below', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8_000_000_000_000 }), fc.integer({ min: -5_000, max: 5_000 }), fc.integer({ min: 1, max: 10_000_000 }), (bound, delta, article) => {
        const ms = bound + delta;
        if (ms >= bound) expect(documentKey(ms, article)).toBeGreaterThanOrEqual(keyFloor(bound));
        // The upper bound search.ts uses for `to` (exclusive): keyFloor(to + 999).
        if (ms < bound) expect(documentKey(ms, article)).toBeLessThan(keyFloor(bound + 999));
      }),
      { seed: 31, numRuns: 1_000 },
    );
  });
});
