/**
 * Plays a ToneSpec (cadence of sounds and silences) as 16-bit PCM at any sample rate. Phase runs
 * on a sample counter, so output is continuous across frames of any size; each sounding segment
 * gets a short linear ramp at its edges to keep cadence switching free of clicks.
 */
import type { ToneSpec } from './tone-plan.js';

export interface ToneGeneratorOptions {
  readonly sampleRate: number;
  /** RMS level of each frequency component in dBov (0 = full-scale square wave). Default -16. */
  readonly levelDbov?: number;
  /** Per-component levels by index, overriding `levelDbov` (DTMF twist). */
  readonly componentLevelsDbov?: readonly number[];
  /** Edge ramp of each sounding segment in ms. Default 2. */
  readonly rampMs?: number;
}

/** Peak amplitude of a sine whose RMS is `dbov` relative to a full-scale square wave. */
export function sineAmplitude(dbov: number): number {
  return 32767 * Math.SQRT2 * 10 ** (dbov / 20);
}

export class ToneGenerator {
  private readonly sampleRate: number;
  private readonly amplitudes: (i: number) => number;
  private readonly rampSamples: number;
  private readonly segmentSamples: number[];
  private segment = 0;
  private positionInSegment = 0;
  private sampleCount = 0;
  private done: boolean;

  constructor(
    private readonly spec: ToneSpec,
    options: ToneGeneratorOptions,
  ) {
    if (!(options.sampleRate > 0)) throw new RangeError(`sample rate ${options.sampleRate}`);
    this.sampleRate = options.sampleRate;
    const base = sineAmplitude(options.levelDbov ?? -16);
    const levels = options.componentLevelsDbov?.map(sineAmplitude) ?? [];
    this.amplitudes = (i) => levels[i] ?? base;
    this.rampSamples = Math.max(1, Math.round(((options.rampMs ?? 2) * this.sampleRate) / 1000));
    this.segmentSamples = spec.segments.map((s) => (s.ms === Infinity ? Infinity : Math.round((s.ms * this.sampleRate) / 1000)));
    this.done = this.segmentSamples.length === 0 || this.segmentSamples.every((n) => n === 0);
  }

  /** True once a non-repeating spec has played out. */
  get finished(): boolean {
    return this.done;
  }

  /** Milliseconds of output produced so far. */
  get elapsedMs(): number {
    return (this.sampleCount * 1000) / this.sampleRate;
  }

  /**
   * Writes `count` samples into `out` from `offset`; after a non-repeating spec ends the rest
   * is silence. Returns how many samples belonged to the spec (count while it lasts).
   */
  generate(out: Int16Array, count = out.length, offset = 0): number {
    let produced = 0;
    for (let i = 0; i < count; i++) {
      if (this.done) {
        out.fill(0, offset + i, offset + count);
        break;
      }
      out[offset + i] = this.sample();
      produced++;
      this.sampleCount++;
      this.advance();
    }
    return produced;
  }

  private sample(): number {
    const seg = this.spec.segments[this.segment]!;
    const s = seg.sound;
    if (!s) return 0;
    const t = this.sampleCount / this.sampleRate;
    let v = 0;
    for (let k = 0; k < s.frequencies.length; k++) {
      const cycles = (s.frequencies[k]! * t) % 1; // reduce before sin() to keep precision
      v += this.amplitudes(k) * Math.sin(2 * Math.PI * cycles);
    }
    if (s.modulationHz) v *= 0.5 - 0.5 * Math.cos(2 * Math.PI * ((s.modulationHz * t) % 1));
    const len = this.segmentSamples[this.segment]!;
    const p = this.positionInSegment;
    const edge = Math.min(p + 1, len - p);
    if (edge < this.rampSamples) v *= edge / this.rampSamples;
    const r = Math.round(v);
    return r > 32767 ? 32767 : r < -32768 ? -32768 : r;
  }

  private advance(): void {
    this.positionInSegment++;
    while (this.positionInSegment >= this.segmentSamples[this.segment]!) {
      this.positionInSegment = 0;
      this.segment++;
      if (this.segment >= this.segmentSamples.length) {
        if (!this.spec.repeat) {
          this.done = true;
          return;
        }
        this.segment = 0;
      }
    }
  }
}
