/**
 * The order test files start in, the same on a fresh clone as on a second run: the files that take
 * longest start first, so that no long file starts near the end while the other workers sit idle.
 * They wait on child servers, drains, debounce windows and thousands of generated requests (each
 * 20-60 s on this 2-core machine, against 3-15 s for a file with one boot). Then jest's own order:
 * the durations it measured last time, or the largest file first.
 */
const Sequencer = require('@jest/test-sequencer').default;

const LONGEST_FIRST = [
  'integration/rolling-restart.test.ts',
  'integration/graceful-shutdown.test.ts',
  'integration/cached-reads.test.ts',
  'integration/rebuild-durability.test.ts',
  'integration/rebuild-webhooks.test.ts',
  'integration/startup-config.test.ts',
  'integration/story-reads.test.ts',
  'integration/rate-limit.test.ts',
  'integration/scale-out.test.ts',
  'integration/scheduling.test.ts',
  'integration/pgbouncer.test.ts',
];

const rank = (test) => {
  const i = LONGEST_FIRST.findIndex((name) => test.path.endsWith(`/tests/${name}`));
  return i === -1 ? LONGEST_FIRST.length : i;
};

class LongestFirst extends Sequencer {
  sort(tests) {
    const rest = super.sort(tests.filter((t) => rank(t) === LONGEST_FIRST.length));
    return [...tests.filter((t) => rank(t) < LONGEST_FIRST.length).sort((a, b) => rank(a) - rank(b)), ...rest];
  }
}

module.exports = LongestFirst;
