import { findPitch } from './pitch.js';

/**
 * Packet-loss concealment by pitch waveform substitution, in the class of ITU-T G.711 Appendix I:
 * a lost frame is filled by repeating the last pitch period (two after 10 ms, three after 20 ms, to
 * avoid a buzzy sound), fading out by 20 % per 10 ms after the first 10 ms and silent after 60 ms.
 * Output runs a quarter of the longest pitch period behind input so the start of an erasure can be
 * overlap-added; the first good frame after an erasure is overlap-added with the continued
 * synthetic signal (4 ms, plus 4 ms per further 10 ms lost, at most 10 ms).
 * Constants are those of Appendix I at 8 kHz, scaled for other rates.
 */
export class WaveformSubstitutionPlc {
  readonly delaySamples: number;
  private readonly rate: number;
  private readonly pitchMin: number;
  private readonly pitchMax: number;
  private readonly corrWindow: number;
  private readonly history: Float32Array;
  /** Consecutive samples concealed so far in the current erasure (0 = not concealing). */
  private erased = 0;
  private pitch = 0;
  private overlap = 0;
  /** The history before the erasure started, so buffers of 1, 2 or 3 periods can be cut from it. */
  private saved = new Float32Array(0);
  private periods = 0;
  private buffer = new Float32Array(0);
  private pos = 0;
  private fadeFrom: Float32Array | null = null;
  private fadePos = 0;
  private fadeIndex = 0;
  /** Reused frame buffer (hot path: one call per packet of every call). */
  private frame = new Float32Array(0);

  constructor(sampleRate = 8000) {
    this.rate = sampleRate;
    const scale = sampleRate / 8000;
    this.pitchMin = Math.round(40 * scale); // 200 Hz
    this.pitchMax = Math.round(120 * scale); // 66.7 Hz
    this.delaySamples = this.pitchMax >> 2; // 3.75 ms
    this.corrWindow = Math.round(160 * scale); // 20 ms
    this.history = new Float32Array(3 * this.pitchMax + this.delaySamples);
  }

  /** True while the last call was a concealment. */
  get concealing(): boolean {
    return this.erased > 0;
  }

  /** Feeds a received frame; writes the output (delayed by `delaySamples`) into `out` (same length). */
  good(input: ArrayLike<number>, out: Float32Array): void {
    const n = input.length;
    const frame = this.frameOf(n);
    for (let i = 0; i < n; i++) frame[i] = input[i]!;
    if (this.erased > 0) {
      // G.711 App. I: overlap-add the new signal with the continued synthetic one.
      const ms = this.erased / (this.rate / 1000);
      const olaMs = ms <= 10 ? 4 : ms <= 20 ? 8 : 10;
      const len = Math.min(n, Math.round((olaMs * this.rate) / 1000));
      for (let i = 0; i < len; i++) {
        const w = (i + 1) / (len + 1);
        frame[i] = (1 - w) * this.synthesize() + w * frame[i]!;
      }
      this.erased = 0;
    }
    this.emit(frame, out);
  }

  /** Conceals `out.length` missing samples and writes the (delayed) output into `out`. */
  conceal(out: Float32Array): void {
    const n = out.length;
    if (this.erased === 0) this.startErasure();
    const frame = this.frameOf(n);
    for (let i = 0; i < n; i++) frame[i] = this.synthesize();
    this.emit(frame, out);
  }

  private startErasure(): void {
    const h = this.history;
    const end = h.length;
    this.pitch = findPitch(h, end, this.corrWindow, this.pitchMin, this.pitchMax).lag;
    this.overlap = this.pitch >> 2;
    this.saved = h.slice();
    this.periods = 0;
    this.fadeFrom = null;
    this.usePeriods(1);
    // Smooth the signal not yet output into the loop point (samples before the last period).
    const p = this.pitch;
    const q = this.overlap;
    for (let i = 0; i < q; i++) {
      const w = (i + 1) / (q + 1);
      h[end - q + i] = (1 - w) * this.saved[end - q + i]! + w * this.saved[end - p - q + i]!;
    }
  }

  /** Switches the synthetic source to the last `k` pitch periods, cross-fading over a quarter period. */
  private usePeriods(k: number): void {
    const end = this.saved.length;
    const len = k * this.pitch;
    const q = this.overlap;
    const next = this.saved.slice(end - len, end);
    // Blend the buffer's tail toward what preceded its start so the loop is seamless.
    for (let i = 0; i < q; i++) {
      const w = (i + 1) / (q + 1);
      next[len - q + i] = (1 - w) * this.saved[end - q + i]! + w * this.saved[end - len - q + i]!;
    }
    if (this.periods > 0) {
      this.fadeFrom = this.buffer;
      this.fadePos = this.pos;
      this.fadeIndex = 0;
    }
    this.pos = this.periods > 0 ? this.pos % this.pitch : 0;
    this.buffer = next;
    this.periods = k;
  }

  /** Next synthetic sample (with attenuation), advancing the erasure position. */
  private synthesize(): number {
    const ms = this.erased / (this.rate / 1000);
    const wanted = ms < 10 ? 1 : ms < 20 ? 2 : 3;
    if (wanted !== this.periods) this.usePeriods(wanted);
    let v = this.buffer[this.pos]!;
    this.pos = (this.pos + 1) % this.buffer.length;
    if (this.fadeFrom) {
      const w = (this.fadeIndex + 1) / (this.overlap + 1);
      v = (1 - w) * this.fadeFrom[this.fadePos]! + w * v;
      this.fadePos = (this.fadePos + 1) % this.fadeFrom.length;
      if (++this.fadeIndex >= this.overlap) this.fadeFrom = null;
    }
    // 20 % attenuation per 10 ms after the first 10 ms: silent at 60 ms.
    const gain = ms <= 10 ? 1 : Math.max(0, 1 - (ms - 10) * 0.02);
    this.erased++;
    return v * gain;
  }

  private frameOf(n: number): Float32Array {
    if (this.frame.length < n) this.frame = new Float32Array(n);
    return this.frame.subarray(0, n);
  }

  /** Appends `frame` to the timeline and outputs the samples `delaySamples` behind it. */
  private emit(frame: Float32Array, out: Float32Array): void {
    const h = this.history;
    const hl = h.length;
    const n = frame.length;
    const d = this.delaySamples;
    for (let i = 0; i < n; i++) {
      const idx = hl - d + i;
      out[i] = idx < hl ? h[idx]! : frame[idx - hl]!;
    }
    if (n >= hl) h.set(frame.subarray(n - hl));
    else {
      h.copyWithin(0, n);
      h.set(frame, hl - n);
    }
  }
}
