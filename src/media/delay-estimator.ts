/**
 * Estimates how much delay a jitter buffer needs (in the spirit of WebRTC NetEq): each packet's
 * relative delay is its arrival time minus its media time, measured against the smallest such value
 * in a sliding window; the target is a high quantile of those relative delays over the window.
 */
export class DelayEstimator {
  private readonly windowMs: number;
  private readonly quantile: number;
  private arrivals: number[] = [];
  private delays: number[] = [];
  private head = 0;
  private cached = 0;
  private base = 0;
  private dirty = 0;

  constructor(windowMs = 4000, quantile = 0.99) {
    this.windowMs = windowMs;
    this.quantile = quantile;
  }

  /** Forgets every packet (the sender's clock restarted). */
  reset(): void {
    this.arrivals = [];
    this.delays = [];
    this.head = 0;
    this.cached = 0;
    this.base = 0;
    this.dirty = 0;
  }

  /** Records a packet that arrived at `arrivalMs` carrying media time `mediaMs`. */
  add(arrivalMs: number, mediaMs: number): void {
    this.arrivals.push(arrivalMs);
    this.delays.push(arrivalMs - mediaMs);
    while (this.head < this.arrivals.length && this.arrivals[this.head]! < arrivalMs - this.windowMs) this.head++;
    if (this.head > 256) {
      this.arrivals = this.arrivals.slice(this.head);
      this.delays = this.delays.slice(this.head);
      this.head = 0;
    }
    this.dirty++;
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

  /** Recomputes every few packets: the window changes slowly. */
  private refresh(): void {
    if (this.dirty === 0 || (this.dirty < 4 && this.cached !== 0)) return;
    this.dirty = 0;
    const window = this.delays.slice(this.head);
    let min = Infinity;
    for (const d of window) if (d < min) min = d;
    this.base = min;
    if (window.length < 2) {
      this.cached = 0;
      return;
    }
    for (let i = 0; i < window.length; i++) window[i] = window[i]! - min;
    window.sort((a, b) => a - b);
    const idx = Math.min(window.length - 1, Math.ceil(this.quantile * window.length) - 1);
    this.cached = window[Math.max(0, idx)]!;
  }
}
