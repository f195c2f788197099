/**
 * Voice activity detection and discontinuous transmission for RFC 3389 §5: the VAD says
 * whether a frame is speech; the DTX decides, for silent frames, whether a SID (CN) packet is
 * due. Both are left implementation-specific by the RFC; this is a plain energy detector with
 * an adaptive noise floor and hangover.
 */
import { analyzeComfortNoise, rmsOf } from './comfort-noise.js';
import type { ComfortNoisePayload } from './comfort-noise-payload.js';

export interface EnergyVadOptions {
  /** Frame length in ms the caller feeds (for hangover and window timing). Default 20. */
  readonly frameMs?: number;
  /** A frame is speech when it is this many dB above the noise floor. Default 9. */
  readonly marginDb?: number;
  /** Frames quieter than this (dBov) are never speech. Default -55. */
  readonly minSpeechDbov?: number;
  /** Speech state is held this long after the last loud frame, to keep word ends. Default 200. */
  readonly hangoverMs?: number;
  /**
   * The noise floor is the quietest frame in this window (minimum statistics): speech has
   * pauses, so the minimum over a second or two is the background. Default 1500.
   */
  readonly floorWindowMs?: number;
}

/** Frame energy in dBov (0 = full-scale square wave); -120 for digital silence. */
export function frameDbov(pcm: Int16Array): number {
  const rms = rmsOf(pcm);
  return rms > 0 ? 20 * Math.log10(rms / 32767) : -120;
}

export class EnergyVad {
  private readonly margin: number;
  private readonly minSpeech: number;
  private readonly hangoverFrames: number;
  private readonly window: Float64Array;
  private next = 0;
  private hangover = 0;

  constructor(options: EnergyVadOptions = {}) {
    const frameMs = options.frameMs ?? 20;
    this.margin = options.marginDb ?? 9;
    this.minSpeech = options.minSpeechDbov ?? -55;
    this.hangoverFrames = Math.ceil((options.hangoverMs ?? 200) / frameMs);
    this.window = new Float64Array(Math.max(1, Math.round((options.floorWindowMs ?? 1500) / frameMs)));
    this.reset();
  }

  /** The current noise floor estimate in dBov. */
  get noiseFloorDbov(): number {
    let min = Infinity;
    for (let i = 0; i < this.window.length; i++) if (this.window[i]! < min) min = this.window[i]!;
    return min;
  }

  /** Classifies one frame; true while speech (including hangover). */
  process(pcm: Int16Array): boolean {
    const level = frameDbov(pcm);
    this.window[this.next] = level;
    this.next = (this.next + 1) % this.window.length;
    const loud = level >= this.minSpeech && level > this.noiseFloorDbov + this.margin;
    if (loud) {
      this.hangover = this.hangoverFrames;
      return true;
    }
    if (this.hangover > 0) {
      this.hangover--;
      return true;
    }
    return false;
  }

  reset(): void {
    // Until a window has been seen, assume a quiet room, so a call opening with speech is
    // detected; steady louder noise is learnt once it has filled the window.
    this.window.fill(this.minSpeech - this.margin);
    this.next = 0;
    this.hangover = 0;
  }
}

export type DtxDecision =
  | { readonly kind: 'speech' }
  | { readonly kind: 'sid'; readonly payload: ComfortNoisePayload }
  | { readonly kind: 'silent' };

export interface DtxOptions extends EnergyVadOptions {
  /** Spectral model order of the SID frames. Default 4. */
  readonly order?: number;
  /** A new SID is sent when the noise level moves by this many dB. Default 3. */
  readonly levelChangeDb?: number;
  /** ... and at least this often during silence, so late joiners and lossy paths recover. Default 1000. */
  readonly refreshMs?: number;
}

/**
 * Sender side of RFC 3389 §5: speech frames go out in the voice codec; the first silent frame
 * becomes a SID, later silent frames are suppressed unless the noise changed or a refresh is due.
 */
export class DiscontinuousTransmission {
  private readonly vad: EnergyVad;
  private readonly order: number;
  private readonly levelChange: number;
  private readonly refreshFrames: number;
  private lastSidLevel = -1;
  private framesSinceSid = 0;
  private silent = false;

  constructor(options: DtxOptions = {}) {
    this.vad = new EnergyVad(options);
    this.order = options.order ?? 4;
    this.levelChange = options.levelChangeDb ?? 3;
    this.refreshFrames = Math.max(1, Math.round((options.refreshMs ?? 1000) / (options.frameMs ?? 20)));
  }

  next(pcm: Int16Array): DtxDecision {
    if (this.vad.process(pcm)) {
      this.silent = false;
      return { kind: 'speech' };
    }
    this.framesSinceSid++;
    const payload = analyzeComfortNoise(pcm, this.order);
    const due =
      !this.silent ||
      this.framesSinceSid >= this.refreshFrames ||
      Math.abs(payload.level - this.lastSidLevel) >= this.levelChange;
    this.silent = true;
    if (!due) return { kind: 'silent' };
    this.lastSidLevel = payload.level;
    this.framesSinceSid = 0;
    return { kind: 'sid', payload };
  }

  reset(): void {
    this.vad.reset();
    this.silent = false;
    this.lastSidLevel = -1;
    this.framesSinceSid = 0;
  }
}
