import { findPitch, meanEnergy } from './pitch.js';

/** Below this mean energy per sample (about -50 dBov) a block counts as silence and any lag will do. */
const silenceEnergy = 32768 * 32768 * 1e-5;
/** Periodicity needed before a pitch period is removed or repeated in voiced signal. */
const minCorrelation = 0.8;

/**
 * Time-scale modification in the time domain (pitch-synchronous overlap-add, as jitter buffers use to
 * follow a changing target delay without dropping or inserting whole frames).
 * `accelerate` removes one pitch period from x, `expand` repeats one; both cross-fade so the
 * waveform stays continuous. They return null when x has no usable period (the caller tries again
 * on later audio). On silence any lag will do, so the caller may say how much it wants.
 */
export class TimeStretcher {
  /** The shortest period (samples) either operation removes or repeats. */
  readonly minLag: number;
  private readonly maxLag: number;

  constructor(sampleRate: number) {
    this.minLag = Math.round(sampleRate * 0.0025); // 2.5 ms: 400 Hz
    this.maxLag = Math.round(sampleRate * 0.015); // 15 ms: 66 Hz
  }

  /** The period to remove or repeat: at most `limit` samples; `silentLag` on silence. */
  private period(x: Float32Array, limit: number, silentLag: number): number {
    const maxLag = Math.min(this.maxLag, x.length >> 1, limit);
    if (maxLag < this.minLag) return 0;
    const end = 2 * maxLag;
    if (meanEnergy(x, 0, end) < silenceEnergy) return Math.max(this.minLag, Math.min(maxLag, silentLag));
    const est = findPitch(x, end, maxLag, this.minLag, maxLag);
    return est.correlation >= minCorrelation ? est.lag : 0;
  }

  /** x with one pitch period of at most `maxLag` samples removed (length x.length - P), or null. */
  accelerate(x: Float32Array, maxLag = Infinity): Float32Array | null {
    const p = this.period(x, maxLag, maxLag);
    if (p === 0) return null;
    const out = new Float32Array(x.length - p);
    // Cross-fade the first period (A) into the second (B), then continue after B.
    for (let i = 0; i < p; i++) {
      const w = (i + 1) / (p + 1);
      out[i] = (1 - w) * x[i]! + w * x[i + p]!;
    }
    out.set(x.subarray(2 * p), p);
    return out;
  }

  /** x with one pitch period repeated (length x.length + P), or null; `silentLag` samples on silence. */
  expand(x: Float32Array, silentLag = Infinity): Float32Array | null {
    const p = this.period(x, Infinity, silentLag);
    if (p === 0) return null;
    const out = new Float32Array(x.length + p);
    out.set(x.subarray(0, p), 0);
    // After A comes a cross-fade from B back into A, then A and B again: one period longer.
    for (let i = 0; i < p; i++) {
      const w = (i + 1) / (p + 1);
      out[p + i] = (1 - w) * x[p + i]! + w * x[i]!;
    }
    out.set(x.subarray(p), 2 * p);
    return out;
  }
}
