/**
 * Settings and bookkeeping shared by the generated (property-based) tests.
 *
 * In `npm test` (and so in CI) every property runs with a fixed seed, so a commit passes or fails
 * the same way every time. `npm run fuzz` sets FUZZ_EXPLORE=1: fresh seeds and FUZZ_RUNS times the
 * runs; fast-check prints the seed and path of any counterexample, which FUZZ_SEED replays (and
 * which then becomes a fixed case in the tests).
 *
 * A generated test must show that its cases reached the code they claim to cover: a Tally counts,
 * per class of input, what was sent and what reached its route, prints the table, and fails when a
 * class reached its route fewer than MIN_REACHED times.
 */
import fc from 'fast-check';

export const EXPLORE = process.env.FUZZ_EXPLORE === '1';
const MULTIPLIER = Number(process.env.FUZZ_RUNS || (EXPLORE ? 10 : 1));
const REPLAY = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

/** How many times a property's usual runs it makes now (and so how much longer it may take). */
export const RUN_SCALE = MULTIPLIER;

/** Every class the README lists must reach its route at least this often in one run. */
export const MIN_REACHED = 50;

/** fast-check parameters for property `index` of a file: a fixed seed unless exploring or replaying. */
export function runParameters<T>(baseSeed: number, index: number, numRuns: number): fc.Parameters<T> {
  const seed = REPLAY ?? (EXPLORE ? Math.floor(Math.random() * 2 ** 31) : baseSeed + index);
  if (EXPLORE && REPLAY === undefined) process.stdout.write(`property ${index}: seed ${seed}\n`);
  return { numRuns: Math.ceil(numRuns * MULTIPLIER), seed, endOnFailure: true };
}

export class Tally {
  private readonly rows = new Map<string, { sent: number; reached: number; outcomes: Map<string, number> }>();

  constructor(private readonly title: string) {}

  /** One request of class `name`: whether it reached its route, and what came back (a status, an error code). */
  count(name: string, reached: boolean, outcome: string): void {
    let row = this.rows.get(name);
    if (!row) this.rows.set(name, (row = { sent: 0, reached: 0, outcomes: new Map() }));
    row.sent += 1;
    if (reached) row.reached += 1;
    row.outcomes.set(outcome, (row.outcomes.get(outcome) ?? 0) + 1);
  }

  reached(name: string): number {
    return this.rows.get(name)?.reached ?? 0;
  }

  /** The table, one line per class: sent, reached, and the outcomes most seen. */
  report(): string {
    const lines = [...this.rows.entries()].map(([name, row]) => {
      const outcomes = [...row.outcomes.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([o, n]) => `${o.slice(0, 48)} ${n}`).join(', ');
      return `  ${name.padEnd(38)} sent ${String(row.sent).padStart(5)}  reached ${String(row.reached).padStart(5)}  (${outcomes})`;
    });
    return `${this.title}\n${lines.join('\n')}`;
  }

  /** Classes that reached their route fewer than `min` times (a class never sent counts as 0). */
  starved(classes: string[], min = MIN_REACHED): string[] {
    return classes.filter((name) => this.reached(name) < min).map((name) => `${name}: reached ${this.reached(name)} < ${min}`);
  }
}
