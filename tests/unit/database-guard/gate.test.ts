import { Gate, Turns } from '../../../src/database-guard/gate';

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

describe('turns for work that does not give the event loop back', () => {
  it('start one per turn of the event loop, at most capacity at once; what arrives between two starts runs first; a waiter gives up after its time', async () => {
    const turns = new Turns(1);
    const order: string[] = [];
    const work = (name: string) =>
      turns.take(1_000).then((granted) => {
        order.push(granted ? name : `${name} gave up`);
        if (!granted) return;
        // Work that holds the loop until it is done, as a request on SQLite does.
        const until = Date.now() + 20;
        while (Date.now() < until);
        turns.done();
      });
    const a = work('a');
    const b = work('b');
    expect(turns.waiting).toBe(2);
    // Something that does not take turns, arriving while a runs, comes before b.
    const view = new Promise<void>((resolve) => setTimeout(() => { order.push('view'); resolve(); }, 5));
    await Promise.all([a, b, view]);
    expect(order).toEqual(['a', 'view', 'b']);
    expect(turns.inUse).toBe(0);
    const held = await turns.take(100);
    expect(held).toBe(true);
    expect(await turns.take(30)).toBe(false);
    turns.done();
  });
});
