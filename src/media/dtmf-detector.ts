/**
 * In-band DTMF receiver after ITU-T Q.24: Goertzel filters on the eight Q.23 frequencies,
 * evaluated every few ms over a sliding window, with the checks a Q.24 receiver makes:
 * - frequency tolerance: accept ±1.5 %, reject ±3.5 %. Each filter's window is sized so 3.5 %
 *   is 0.6 of its DFT bin; probe filters at f·(1±3.5 %) must not beat the nominal one;
 * - level: each tone above a minimum; twist (high − low group) within normal/reverse limits;
 * - signal-to-total: the two tones carry most of the energy (rejects noise and speech);
 * - one clear tone per group, and no strong second harmonics (speech has them, DTMF not);
 * - steadiness: the whole window lies inside the tone (no half-filled windows);
 * - duration: tones of `minDurationMs` (40) are accepted, markedly shorter ones are not;
 *   short drop-outs inside a digit do not split it.
 * Events carry media time (samples fed so far), not wall-clock time.
 */
import { goertzelPower, meanSquare } from './goertzel.js';
import { DTMF_COLUMN_HZ, DTMF_KEYS, DTMF_ROW_HZ } from './dtmf-generator.js';

export type DtmfEvent =
  | { readonly type: 'start'; readonly digit: string; readonly timeMs: number }
  | { readonly type: 'end'; readonly digit: string; readonly timeMs: number; readonly durationMs: number };

export interface DtmfDetectorOptions {
  readonly sampleRate?: number;
  /** Tones at least this long are reported. Default 40 (Q.24). */
  readonly minDurationMs?: number;
  /** Evaluation step, ms. Default 5. */
  readonly hopMs?: number;
  /** Minimum level of each tone, dBov. Default -36. */
  readonly minToneDbov?: number;
  /** High group may exceed the low group by this much (normal twist), dB. Default 8. */
  readonly normalTwistDb?: number;
  /** Low group may exceed the high group by this much (reverse twist), dB. Default 4. */
  readonly reverseTwistDb?: number;
  /** Share of the window's energy the two tones must hold. Default 0.7. */
  readonly minSignalShare?: number;
  /** Every other tone of a group must be this far below the group's strongest, dB. Default 8. */
  readonly groupMarginDb?: number;
  /** Second harmonics must be this far below their fundamentals, dB. Default 6. */
  readonly harmonicRejectDb?: number;
  /** A digit ends after this long without a hit, ms. Default 15. */
  readonly endGapMs?: number;
}

/** Relative frequency offset that must be rejected (Q.24), and where it sits in a filter's bin. */
const REJECT_OFFSET = 0.035;
const REJECT_OFFSET_IN_BINS = 0.6;

const db = (x: number): number => 10 ** (x / 10);

interface Filter {
  readonly freq: number;
  readonly n: number;
}

export class DtmfDetector {
  private readonly sampleRate: number;
  private readonly rows: Filter[];
  private readonly cols: Filter[];
  private readonly hop: number;
  private readonly longest: number;
  private readonly requiredHits: number;
  private readonly endMisses: number;
  private readonly minTone: number;
  private readonly normalTwist: number;
  private readonly reverseTwist: number;
  private readonly minShare: number;
  private readonly groupMargin: number;
  private readonly harmonicReject: number;
  private readonly history: Float64Array;
  private filled = 0;
  private samples = 0;
  private sinceHop = 0;
  private candidate: string | null = null;
  private candidateHits = 0;
  private candidateFirstHit = 0;
  private current: string | null = null;
  private currentStart = 0;
  private lastHit = 0;
  private misses = 0;

  constructor(options: DtmfDetectorOptions = {}) {
    const sr = (this.sampleRate = options.sampleRate ?? 8000);
    const filter = (freq: number): Filter => ({ freq, n: Math.round((REJECT_OFFSET_IN_BINS * sr) / (REJECT_OFFSET * freq)) });
    this.rows = DTMF_ROW_HZ.map(filter);
    this.cols = DTMF_COLUMN_HZ.map(filter);
    this.longest = this.rows[0]!.n;
    this.hop = Math.max(1, Math.round(((options.hopMs ?? 5) * sr) / 1000));
    const longestMs = (this.longest * 1000) / sr;
    const hopMs = (this.hop * 1000) / sr;
    this.requiredHits = Math.max(2, Math.floor(((options.minDurationMs ?? 40) - longestMs) / hopMs));
    this.endMisses = Math.max(1, Math.round((options.endGapMs ?? 15) / hopMs));
    this.minTone = 32767 * 32767 * db(options.minToneDbov ?? -36);
    this.normalTwist = db(options.normalTwistDb ?? 8);
    this.reverseTwist = db(options.reverseTwistDb ?? 4);
    this.minShare = options.minSignalShare ?? 0.7;
    this.groupMargin = db(options.groupMarginDb ?? 8);
    this.harmonicReject = db(-(options.harmonicRejectDb ?? 6));
    this.history = new Float64Array(this.longest * 4);
  }

  /** Feeds samples; returns the digit start/end events they complete. */
  process(pcm: Int16Array): DtmfEvent[] {
    const events: DtmfEvent[] = [];
    for (let i = 0; i < pcm.length; i++) {
      if (this.filled === this.history.length) {
        this.history.copyWithin(0, this.filled - this.longest, this.filled);
        this.filled = this.longest;
      }
      this.history[this.filled++] = pcm[i]!;
      this.samples++;
      if (++this.sinceHop === this.hop) {
        this.sinceHop = 0;
        if (this.filled >= this.longest) this.step(this.classify(), events);
      }
    }
    return events;
  }

  /** Ends a digit still sounding (end of stream). */
  flush(): DtmfEvent[] {
    const events: DtmfEvent[] = [];
    if (this.current !== null) this.endCurrent(events);
    return events;
  }

  private ms(sample: number): number {
    return (sample * 1000) / this.sampleRate;
  }

  private step(hit: string | null, events: DtmfEvent[]): void {
    if (hit !== null && hit === this.current) {
      this.lastHit = this.samples;
      this.misses = 0;
      return;
    }
    if (this.current !== null && ++this.misses >= this.endMisses) this.endCurrent(events);
    if (hit === null) {
      this.candidate = null;
      this.candidateHits = 0;
      return;
    }
    if (hit !== this.candidate) {
      this.candidate = hit;
      this.candidateHits = 0;
      this.candidateFirstHit = this.samples;
    }
    if (++this.candidateHits >= this.requiredHits) {
      if (this.current !== null) this.endCurrent(events);
      this.current = hit;
      // The first hit came once a whole window was inside the tone, so the tone began a window earlier.
      this.currentStart = Math.max(0, this.candidateFirstHit - this.longest);
      this.lastHit = this.samples;
      this.misses = 0;
      this.candidate = null;
      this.candidateHits = 0;
      events.push({ type: 'start', digit: hit, timeMs: this.ms(this.currentStart) });
    }
  }

  private endCurrent(events: DtmfEvent[]): void {
    const digit = this.current!;
    this.current = null;
    this.misses = 0;
    events.push({ type: 'end', digit, timeMs: this.ms(this.lastHit), durationMs: this.ms(this.lastHit - this.currentStart) });
  }

  private power(f: Filter, freq = f.freq): number {
    return goertzelPower(this.history, this.filled - f.n, f.n, freq, this.sampleRate);
  }

  /** The best tone of a group if it stands clear of the others: [index, power]. */
  private strongest(group: Filter[]): [number, number] | null {
    let best = -1;
    let bestPower = 0;
    let second = 0;
    for (let i = 0; i < group.length; i++) {
      const p = this.power(group[i]!);
      if (p > bestPower) {
        second = bestPower;
        bestPower = p;
        best = i;
      } else if (p > second) second = p;
    }
    if (best < 0 || bestPower < this.minTone || second * this.groupMargin > bestPower) return null;
    return [best, bestPower];
  }

  /** Q.24 frequency tolerance: the nominal filter beats both probes 3.5 % away. */
  private onFrequency(f: Filter, power: number): boolean {
    const limit = power * 1.6; // probes may not exceed the nominal by more than this (see tests)
    return this.power(f, f.freq * (1 + REJECT_OFFSET)) < limit && this.power(f, f.freq * (1 - REJECT_OFFSET)) < limit;
  }

  /**
   * Cheap gates before any filter runs: the window holds at least two tones' minimum energy
   * (silence, the common case, stops here), and the whole longest window lies inside the tone,
   * its first and last quarters carrying their share of the energy. Without the second,
   * silence (which adds no energy) lets half-filled windows hit and blurs start, end and
   * duration of a digit.
   */
  private worthClassifying(): boolean {
    const q = this.longest >> 2;
    const start = this.filled - this.longest;
    const whole = meanSquare(this.history, start, this.longest);
    if (whole < 2 * this.minTone) return false;
    return meanSquare(this.history, start, q) > 0.5 * whole && meanSquare(this.history, this.filled - q, q) > 0.5 * whole;
  }

  private classify(): string | null {
    if (!this.worthClassifying()) return null;
    const row = this.strongest(this.rows);
    if (!row) return null;
    const col = this.strongest(this.cols);
    if (!col) return null;
    const [ri, rp] = row;
    const [ci, cp] = col;
    if (cp > rp * this.normalTwist || rp > cp * this.reverseTwist) return null;
    const rf = this.rows[ri]!;
    const cf = this.cols[ci]!;
    const share = rp / meanSquare(this.history, this.filled - rf.n, rf.n) + cp / meanSquare(this.history, this.filled - cf.n, cf.n);
    if (share < this.minShare) return null;
    if (!this.onFrequency(rf, rp) || !this.onFrequency(cf, cp)) return null;
    const harmonics = this.power(rf, 2 * rf.freq) + (2 * cf.freq < this.sampleRate / 2 ? this.power(cf, 2 * cf.freq) : 0);
    if (harmonics > (rp + cp) * this.harmonicReject) return null;
    return DTMF_KEYS[ri * 4 + ci]!;
  }
}
