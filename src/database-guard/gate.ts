type Waiter = { timer: NodeJS.Timeout; resolve: (granted: boolean) => void };

/** Puts a waiter at the end of `line`; it leaves the line and resolves false after `ms`, unless granted first. */
function waitInLine(line: Waiter[], ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const waiter: Waiter = {
      resolve,
      timer: setTimeout(() => {
        const at = line.indexOf(waiter);
        if (at >= 0) line.splice(at, 1);
        resolve(false);
      }, Math.max(0, ms)),
    };
    line.push(waiter);
  });
}

/**
 * A counting semaphore whose waiters give up after a time: `acquire(ms)` resolves true once one
 * of `capacity` places is free, false if none came free within `ms`. First come, first served.
 */
export class Gate {
  private used = 0;
  private readonly queue: Waiter[] = [];

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
    return waitInLine(this.queue, ms);
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
  private readonly line: Waiter[] = [];

  constructor(readonly capacity: number) {}

  get inUse(): number {
    return this.running;
  }

  get waiting(): number {
    return this.line.length;
  }

  take(ms: number): Promise<boolean> {
    const granted = waitInLine(this.line, ms);
    this.pump();
    return granted;
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
