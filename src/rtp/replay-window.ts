/** Sliding replay window over packet indices (RFC 3711 §3.3.2), any multiple of 32 wide. */

export type ReplayVerdict = 'new' | 'replayed' | 'too-old';

export class ReplayWindow {
  private readonly size: number;
  private readonly bits: Uint32Array;
  private highest = -1;

  /** `size` packets wide; RFC 3711 asks for at least 64. */
  constructor(size = 128) {
    if (size < 64 || size % 32 !== 0) throw new RangeError('replay window must be a multiple of 32, at least 64');
    this.size = size;
    this.bits = new Uint32Array(size / 32);
  }

  /** Whether `index` may be accepted (call before authenticating; commit with `accept` after). */
  check(index: number): ReplayVerdict {
    if (index > this.highest) return 'new';
    const delta = this.highest - index;
    if (delta >= this.size) return 'too-old';
    return (this.bits[delta >> 5]! >>> (delta & 31)) & 1 ? 'replayed' : 'new';
  }

  /** Marks `index` as received (only after the packet authenticated). Bit k stands for highest - k. */
  accept(index: number): void {
    if (index > this.highest) {
      const shift = this.highest < 0 ? this.size : index - this.highest;
      this.shiftUp(shift);
      this.highest = index;
      this.bits[0] = this.bits[0]! | 1;
      return;
    }
    const delta = this.highest - index;
    if (delta < this.size) this.bits[delta >> 5] = this.bits[delta >> 5]! | (1 << (delta & 31));
  }

  private shiftUp(delta: number): void {
    const words = this.bits.length;
    if (delta >= this.size) {
      this.bits.fill(0);
      return;
    }
    const ws = delta >> 5;
    const bs = delta & 31;
    for (let w = words - 1; w >= 0; w--) {
      const src = w - ws;
      let v = 0;
      if (src >= 0) {
        v = this.bits[src]! << bs;
        if (bs !== 0 && src > 0) v |= this.bits[src - 1]! >>> (32 - bs);
      }
      this.bits[w] = v >>> 0;
    }
  }
}
