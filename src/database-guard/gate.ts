/**
 * A counting semaphore whose waiters give up after a time: `acquire(ms)` resolves true once one
 * of `capacity` places is free, false if none came free within `ms`. First come, first served.
 */
export class Gate {
  private used = 0;
  private readonly queue: Array<{ grant: () => void }> = [];

  constructor(readonly capacity: number) {}

  get inUse(): number {
    return this.used;
  }

  get waiting(): number {
    return this.queue.length;
  }

  acquire(ms: number): Promise<boolean> {
    if (this.used < this.capacity && this.queue.length === 0) {
      this.used += 1;
      return Promise.resolve(true);
    }
    if (ms <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter = {
        grant: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        const at = this.queue.indexOf(waiter);
        if (at >= 0) this.queue.splice(at, 1);
        resolve(false);
      }, ms);
      this.queue.push(waiter);
    });
  }

  release(): void {
    const next = this.queue.shift();
    // The place passes straight to the next waiter: `used` stays the same.
    if (next) next.grant();
    else this.used = Math.max(0, this.used - 1);
  }
}
