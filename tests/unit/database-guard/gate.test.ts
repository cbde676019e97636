import { Gate } from '../../../src/database-guard/gate';

describe('the content requests\' share of the pool', () => {
  it('grants up to its capacity at once, then first come first served, and a waiter gives up after its time', async () => {
    const gate = new Gate(2);
    expect(await gate.acquire(0)).toBe(true);
    expect(await gate.acquire(0)).toBe(true);
    expect(await gate.acquire(0)).toBe(false);
    const first = gate.acquire(1_000);
    const second = gate.acquire(1_000);
    const late = gate.acquire(20);
    expect(gate.waiting).toBe(3);
    expect(await late).toBe(false);
    expect(gate.waiting).toBe(2);
    gate.release();
    expect(await first).toBe(true);
    expect(gate.inUse).toBe(2);
    gate.release();
    expect(await second).toBe(true);
    gate.release();
    gate.release();
    expect(gate.inUse).toBe(0);
    expect(gate.waiting).toBe(0);
  });
});
