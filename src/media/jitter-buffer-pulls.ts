/** Pulls remembered when finding the earliest phase the caller pulls at (1 s of 20 ms frames). */
const windowPulls = 50;
/** A pause longer than this many frames (hold, a stalled device) starts the schedule afresh. */
const restartFrames = 5;

/**
 * The caller's pull schedule as the jitter buffer sees it. Pulls should come every frame, but timers
 * and audio callbacks bunch them: a packet must be in by the earliest phase the caller pulls at, not
 * by whenever this pull happened to come. `lateness` says how far a pull sits behind that phase
 * (the smallest of `now - frames * frameMs` over the last second), at most one frame.
 */
export class PullSchedule {
  private readonly frameMs: number;
  private readonly offsets = new Float64Array(windowPulls);
  private pulls = 0;
  /** The smallest offset in the window and the pull that gave it (rescanned once it leaves). */
  private earliest = 0;
  private earliestPull = 0;
  private originMs = 0;
  private lastMs = Number.NaN;

  constructor(frameMs: number) {
    this.frameMs = frameMs;
  }

  /** Records a pull at `nowMs`; returns how late it came against the earliest recent phase (ms). */
  lateness(nowMs: number): number {
    // NaN on the first pull fails the comparison too.
    if (!(nowMs - this.lastMs <= restartFrames * this.frameMs)) {
      this.pulls = 0;
      this.originMs = nowMs;
    }
    this.lastMs = nowMs;
    const offset = nowMs - this.originMs - this.pulls * this.frameMs;
    this.offsets[this.pulls % windowPulls] = offset;
    if (this.pulls === 0 || offset <= this.earliest) {
      this.earliest = offset;
      this.earliestPull = this.pulls;
    } else if (this.pulls - this.earliestPull >= windowPulls) {
      this.earliest = offset;
      this.earliestPull = this.pulls;
      for (let i = 1; i < windowPulls; i++) {
        const o = this.offsets[(this.pulls - i) % windowPulls]!;
        if (o < this.earliest) {
          this.earliest = o;
          this.earliestPull = this.pulls - i;
        }
      }
    }
    this.pulls++;
    return Math.min(this.frameMs, offset - this.earliest);
  }
}
