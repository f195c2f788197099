/**
 * A periodic audio clock on an injected `Clock`: frame n is due at start + n × period, so timer
 * lateness never accumulates into drift (a chain of relative delays would run slow by the sum of
 * every timer's lateness). After a stall the missed frames run in a burst, at most `maxCatchUp`
 * of them; older ones are skipped and counted.
 */
import type { Clock, TimerHandle } from '../util/index.js';

export class FrameTicker {
  private timer: TimerHandle | null = null;
  private active = false;
  private startAt = 0;
  /** Frames run since start. */
  ticks = 0;
  /** Frames skipped after stalls. */
  skipped = 0;

  constructor(
    private readonly clock: Clock,
    readonly periodMs: number,
    private readonly onFrame: () => void,
    private readonly maxCatchUp = 10,
  ) {
    if (!(periodMs > 0) || !(maxCatchUp >= 1)) throw new RangeError(`ticker period ${periodMs} ms, catch-up ${maxCatchUp}`);
  }

  get running(): boolean {
    return this.active;
  }

  /** The first frame runs at once. */
  start(): void {
    if (this.active) return;
    this.active = true;
    this.startAt = this.clock.now();
    this.ticks = 0;
    this.tick();
  }

  stop(): void {
    this.active = false;
    if (this.timer) this.clock.clearTimer(this.timer);
    this.timer = null;
  }

  private tick(): void {
    this.timer = null;
    const now = this.clock.now();
    let due = Math.floor((now - this.startAt) / this.periodMs) + 1 - this.ticks;
    if (due > this.maxCatchUp) {
      this.ticks += due - this.maxCatchUp;
      this.skipped += due - this.maxCatchUp;
      due = this.maxCatchUp;
    }
    for (; due > 0 && this.active; due--) {
      this.ticks++;
      this.onFrame();
    }
    if (!this.active) return; // onFrame stopped us
    this.timer = this.clock.setTimer(this.startAt + this.ticks * this.periodMs - now, () => this.tick());
  }
}
