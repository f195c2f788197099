/**
 * Estimates how much delay a jitter buffer needs (in the spirit of WebRTC NetEq): each packet's
 * relative delay is its arrival time minus its media time, measured against the smallest such value
 * in a sliding window; the target is a high quantile of those relative delays over the window.
 * Kept in typed-array rings and recomputed every few packets: this runs for every packet of every call.
 */
export class DelayEstimator {
  private readonly windowMs: number;
  private readonly quantile: number;
  private arrivals = new Float64Array(256);
  private delays = new Float64Array(256);
  private scratch = new Float64Array(256);
  private head = 0;
  private count = 0;
  private cached = 0;
  private base = 0;
  private peak = 0;
  private dirty = 0;

  constructor(windowMs = 4000, quantile = 0.99) {
    this.windowMs = windowMs;
    this.quantile = quantile;
  }

  /** Forgets every packet (the sender's clock restarted). */
  reset(): void {
    this.head = 0;
    this.count = 0;
    this.cached = 0;
    this.base = 0;
    this.peak = 0;
    this.dirty = 0;
  }

  /** Records a packet that arrived at `arrivalMs` carrying media time `mediaMs`. */
  add(arrivalMs: number, mediaMs: number): void {
    const cap = this.arrivals.length;
    // Drop entries that left the window, oldest first.
    while (this.count > 0 && this.arrivals[this.head]! < arrivalMs - this.windowMs) {
      this.head = (this.head + 1) % cap;
      this.count--;
    }
    if (this.count === cap) this.grow();
    const at = (this.head + this.count) % this.arrivals.length;
    this.arrivals[at] = arrivalMs;
    this.delays[at] = arrivalMs - mediaMs;
    this.count++;
    this.dirty++;
  }

  private grow(): void {
    const cap = this.arrivals.length;
    const arrivals = new Float64Array(cap * 2);
    const delays = new Float64Array(cap * 2);
    for (let i = 0; i < this.count; i++) {
      arrivals[i] = this.arrivals[(this.head + i) % cap]!;
      delays[i] = this.delays[(this.head + i) % cap]!;
    }
    this.arrivals = arrivals;
    this.delays = delays;
    this.scratch = new Float64Array(cap * 2);
    this.head = 0;
  }

  /** Smallest (arrival - media time) in the window: the delay of the fastest recent packet (ms). */
  baseMs(): number {
    this.refresh();
    return this.base;
  }

  /** Relative delay (ms) that `quantile` of recent packets stayed within. */
  targetMs(): number {
    this.refresh();
    return this.cached;
  }

  /** The largest relative delay in the window (ms): what even the slowest recent packet needed. */
  peakMs(): number {
    this.refresh();
    return this.peak;
  }

  /** Recomputes after every 16 packets (the first few at once): the window changes slowly. */
  private refresh(): void {
    if (this.dirty === 0 || (this.dirty < 16 && this.count > 16)) return;
    this.dirty = 0;
    const n = this.count;
    const cap = this.delays.length;
    const w = this.scratch.subarray(0, n);
    for (let i = 0; i < n; i++) w[i] = this.delays[(this.head + i) % cap]!;
    w.sort();
    this.base = w[0]!;
    const idx = Math.min(n - 1, Math.max(0, Math.ceil(this.quantile * n) - 1));
    this.cached = n < 2 ? 0 : w[idx]! - this.base;
    this.peak = w[n - 1]! - this.base;
  }
}
