/**
 * A bounded first-in first-out queue of 16-bit samples (a ring): the glue between audio that
 * arrives in chunks of any size (pipes, async iterators, mixers, ptimes other than 20 ms) and
 * consumers that take fixed frames. When full, the oldest samples give way: a live source that
 * nobody reads must not grow without bound.
 */
export class SampleFifo {
  private readonly ring: Int16Array;
  private head = 0;
  private count = 0;
  /** Samples discarded because the queue was full. */
  overflowed = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`fifo capacity ${capacity}`);
    this.ring = new Int16Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  get capacity(): number {
    return this.ring.length;
  }

  /** Appends samples; when they do not fit, the oldest queued samples are dropped first. */
  push(samples: ArrayLike<number>, start = 0, end = samples.length): void {
    const cap = this.ring.length;
    let n = end - start;
    if (n > cap) {
      this.overflowed += n - cap;
      start = end - cap;
      n = cap;
    }
    const excess = this.count + n - cap;
    if (excess > 0) {
      this.discard(excess);
      this.overflowed += excess;
    }
    let tail = (this.head + this.count) % cap;
    for (let i = start; i < end; i++) {
      this.ring[tail] = samples[i]!;
      tail = tail + 1 === cap ? 0 : tail + 1;
    }
    this.count += n;
  }

  /** Appends `n` zero samples. */
  pushSilence(n: number): void {
    this.push(new Int16Array(Math.min(n, this.ring.length)));
    if (n > this.ring.length) this.overflowed += n - this.ring.length;
  }

  /**
   * Moves up to `n` samples (default: out's length from `offset`) into `out`; the rest of that
   * span is zero-filled. Returns how many came from the queue.
   */
  shift(out: Int16Array, offset = 0, n = out.length - offset): number {
    const cap = this.ring.length;
    const take = Math.min(n, this.count);
    for (let i = 0; i < take; i++) {
      out[offset + i] = this.ring[this.head]!;
      this.head = this.head + 1 === cap ? 0 : this.head + 1;
    }
    this.count -= take;
    if (take < n) out.fill(0, offset + take, offset + n);
    return take;
  }

  /** Drops the oldest `n` samples. */
  discard(n: number): void {
    const k = Math.min(n, this.count);
    this.head = (this.head + k) % this.ring.length;
    this.count -= k;
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
  }
}
