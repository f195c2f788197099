/**
 * Time and timers as a port, so protocol state machines run on a manual clock in tests
 * and on the real one in the app.
 */
export interface TimerHandle {
  readonly id: number;
}

export interface Clock {
  /** Milliseconds on a monotonic scale (origin is arbitrary). */
  now(): number;
  setTimer(delayMs: number, fire: () => void): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

let nextTimerId = 1;

/** The real clock: `performance.now()` and Node timers (unref'd so they never hold the process). */
export class SystemClock implements Clock {
  private readonly timers = new Map<number, NodeJS.Timeout>();
  now(): number {
    return performance.now();
  }
  setTimer(delayMs: number, fire: () => void): TimerHandle {
    const id = nextTimerId++;
    const t = setTimeout(() => {
      this.timers.delete(id);
      fire();
    }, Math.max(0, delayMs));
    t.unref();
    this.timers.set(id, t);
    return { id };
  }
  clearTimer(handle: TimerHandle): void {
    const t = this.timers.get(handle.id);
    if (t) clearTimeout(t);
    this.timers.delete(handle.id);
  }
}

interface PendingTimer {
  id: number;
  at: number;
  seq: number;
  fire: () => void;
}

/** A clock that only moves when told: timers fire in due order during `advance`. */
export class ManualClock implements Clock {
  private time: number;
  private seq = 0;
  private readonly pending = new Map<number, PendingTimer>();

  constructor(start = 0) {
    this.time = start;
  }
  now(): number {
    return this.time;
  }
  setTimer(delayMs: number, fire: () => void): TimerHandle {
    const id = nextTimerId++;
    this.pending.set(id, { id, at: this.time + Math.max(0, delayMs), seq: this.seq++, fire });
    return { id };
  }
  clearTimer(handle: TimerHandle): void {
    this.pending.delete(handle.id);
  }
  /** Number of timers not yet fired. */
  get timerCount(): number {
    return this.pending.size;
  }
  /** Moves time forward by `ms`, firing every timer due on the way (including ones set by fired timers). */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let next: PendingTimer | undefined;
      for (const t of this.pending.values()) {
        if (t.at <= end && (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq))) next = t;
      }
      if (!next) break;
      this.pending.delete(next.id);
      this.time = next.at;
      next.fire();
    }
    this.time = end;
  }
  /** Moves to the next due timer and fires it; returns false when none is pending. */
  step(): boolean {
    let next: PendingTimer | undefined;
    for (const t of this.pending.values()) if (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq)) next = t;
    if (!next) return false;
    this.advance(next.at - this.time);
    return true;
  }
}
