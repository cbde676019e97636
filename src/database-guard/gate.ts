/**
 * A counting semaphore whose waiters give up after a time: `acquire(ms)` resolves true once one
 * of `capacity` places is free, false if none came free within `ms`. First come, first served.
 */
export class Gate {
  private used = 0;
  private readonly queue: Array<{ timer: NodeJS.Timeout; resolve: (granted: boolean) => void }> = [];

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
        resolve,
        timer: setTimeout(() => {
          const at = this.queue.indexOf(waiter);
          if (at >= 0) this.queue.splice(at, 1);
          resolve(false);
        }, ms),
      };
      this.queue.push(waiter);
    });
  }

  release(): void {
    const next = this.queue.shift();
    if (!next) {
      this.used = Math.max(0, this.used - 1);
      return;
    }
    // The place passes straight to the next waiter (`used` stays the same).
    clearTimeout(next.timer);
    next.resolve(true);
  }
}

/**
 * Turns for work that may run without giving the event loop back: every `take(ms)` waits in line,
 * and at most one turn starts per turn of the event loop (from `setImmediate`), with at most
 * `capacity` running at once. Between two starts the loop reads what arrived meanwhile, so work
 * that does not take turns (the article view) is never stuck behind a line of it. A waiter gives
 * up after `ms` (false).
 */
export class Turns {
  private running = 0;
  private scheduled = false;
  private readonly line: Array<{ timer: NodeJS.Timeout; resolve: (granted: boolean) => void }> = [];

  constructor(readonly capacity: number) {}

  get inUse(): number {
    return this.running;
  }

  get waiting(): number {
    return this.line.length;
  }

  take(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const waiter = {
        resolve,
        timer: setTimeout(() => {
          const at = this.line.indexOf(waiter);
          if (at >= 0) this.line.splice(at, 1);
          resolve(false);
        }, Math.max(0, ms)),
      };
      this.line.push(waiter);
      this.pump();
    });
  }

  done(): void {
    this.running = Math.max(0, this.running - 1);
    this.pump();
  }

  private pump(): void {
    if (this.scheduled || this.running >= this.capacity || this.line.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const next = this.line.shift();
      if (next) {
        clearTimeout(next.timer);
        this.running += 1;
        next.resolve(true);
      }
      this.pump();
    });
  }
}
