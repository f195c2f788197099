/**
 * RFC 3389 comfort noise: analysis of a silent frame into a SID payload (sender) and noise
 * generation from a SID payload (receiver), plus the CN codec descriptor (static PT 13 at
 * 8000 Hz, §4; other rates use a dynamic payload type).
 */
import type { AudioCodec, AudioDecoder, AudioEncoder } from './audio-codec.js';
import {
  indexFromReflection,
  levelFromRms,
  parseComfortNoise,
  reflectionFromIndex,
  rmsFromLevel,
  writeComfortNoise,
  type ComfortNoisePayload,
} from './comfort-noise-payload.js';
import { autocorrelation, LatticeSynthesisFilter, reflectionCoefficients } from './lpc.js';

/** Model orders beyond this add nothing audible to background noise; also caps peer input work. */
export const MAX_COMFORT_NOISE_ORDER = 16;

/** Per-sample step of the generator's gain towards a new SID level. */
const GAIN_GLIDE = 0.0125;

/** RMS of 16-bit PCM. */
export function rmsOf(pcm: Int16Array): number {
  if (pcm.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < pcm.length; i++) sum += pcm[i]! * pcm[i]!;
  return Math.sqrt(sum / pcm.length);
}

/**
 * Describes a (silent) frame as a SID payload: its level (§3.1) and, for order > 0, the
 * reflection coefficients of its spectral envelope (§3.2) by Levinson–Durbin.
 */
export function analyzeComfortNoise(pcm: Int16Array, order = 0): ComfortNoisePayload {
  const m = Math.min(order, MAX_COMFORT_NOISE_ORDER, Math.max(0, pcm.length - 1));
  const level = levelFromRms(rmsOf(pcm));
  if (m === 0) return { level, reflectionIndices: [] };
  const k = new Float64Array(m);
  reflectionCoefficients(autocorrelation(pcm, m), m, k);
  return { level, reflectionIndices: Array.from(k, indexFromReflection) };
}

/**
 * Generates comfort noise at the level (and with the spectral shape) of the last SID received:
 * white noise through the lattice synthesis filter, scaled so the output RMS matches the level.
 * Deterministic for a given seed, so tests can assert exact output.
 */
export class ComfortNoiseGenerator {
  private readonly filter = new LatticeSynthesisFilter(MAX_COMFORT_NOISE_ORDER);
  /** Gain in use; glides towards `targetGain` so a new SID does not step the level audibly. */
  private gain = 0;
  private targetGain = 0;
  private started = false;
  private seed: number;

  constructor(seed = 0x2545f491) {
    this.seed = seed >>> 0 || 1;
  }

  /** Takes the parameters of a new SID frame. */
  update(p: ComfortNoisePayload): void {
    const k = p.reflectionIndices.slice(0, MAX_COMFORT_NOISE_ORDER).map(reflectionFromIndex);
    this.filter.setCoefficients(k);
    // An AR process driven by unit-variance noise has variance 1 / Π(1 - k_i²).
    let predictionGain = 1;
    for (const ki of k) predictionGain *= 1 - ki * ki;
    // Uniform noise in [-1, 1) has variance 1/3, hence √3.
    this.targetGain = p.level >= 127 ? 0 : rmsFromLevel(p.level) * Math.sqrt(3 * predictionGain);
    if (!this.started) this.gain = this.targetGain; // first SID: start at its level
    this.started = true;
  }

  /** Fills `out[0..count)` with noise; returns `count`. */
  generate(out: Int16Array, count = out.length): number {
    let s = this.seed;
    let g = this.gain;
    const target = this.targetGain;
    for (let i = 0; i < count; i++) {
      g += (target - g) * GAIN_GLIDE; // about 10 ms time constant at 8 kHz
      // xorshift32: cheap, adequate for noise
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      const white = ((s >>> 0) / 2147483648 - 1) * g;
      const y = Math.round(this.filter.step(white));
      out[i] = y > 32767 ? 32767 : y < -32768 ? -32768 : y;
    }
    this.seed = s;
    this.gain = g;
    return count;
  }

  reset(): void {
    this.filter.reset();
    this.gain = 0;
    this.targetGain = 0;
    this.started = false;
  }
}

class ComfortNoiseEncoder implements AudioEncoder {
  constructor(private readonly order: number) {}
  encode(pcm: Int16Array, out: Buffer): number {
    return writeComfortNoise(analyzeComfortNoise(pcm, this.order), out, 0);
  }
  reset(): void {}
}

/**
 * Receiving side. `decode` takes a SID frame and fills all of `out` with noise; a CN packet
 * carries no duration (§4: its timestamp marks the start of the noise period), so the caller
 * keeps calling `conceal` for each further frame until the next packet arrives.
 */
class ComfortNoiseDecoder implements AudioDecoder {
  private readonly generator = new ComfortNoiseGenerator();
  private active = false;
  decode(payload: Buffer, out: Int16Array): number {
    const p = parseComfortNoise(payload);
    if (!p.ok) return 0;
    this.generator.update(p.value);
    this.active = true;
    return this.generator.generate(out);
  }
  conceal(out: Int16Array): number {
    if (!this.active) return 0;
    return this.generator.generate(out);
  }
  reset(): void {
    this.generator.reset();
    this.active = false;
  }
}

export interface ComfortNoiseCodecOptions {
  /** RTP clock = sample rate; 8000 gets static PT 13 (RFC 3389 §4), others are dynamic. */
  readonly clockRate?: number;
  /** Spectral model order M the encoder sends (0 = level only). */
  readonly order?: number;
}

export function createComfortNoiseCodec(options: ComfortNoiseCodecOptions = {}): AudioCodec {
  const clockRate = options.clockRate ?? 8000;
  const order = Math.min(options.order ?? 4, MAX_COMFORT_NOISE_ORDER);
  return Object.freeze({
    name: 'CN',
    payloadType: clockRate === 8000 ? 13 : null,
    clockRate,
    sampleRate: clockRate,
    channels: 1,
    rtpmapChannels: 1,
    frameDurationsMs: Object.freeze([10, 20, 30, 40, 60]),
    defaultPtimeMs: 20,
    maxPtimeMs: 60,
    createEncoder: () => new ComfortNoiseEncoder(order),
    createDecoder: () => new ComfortNoiseDecoder(),
  });
}

/** CN at 8000 Hz, static payload type 13, order-4 spectral model. */
export const comfortNoiseCodec: AudioCodec = createComfortNoiseCodec();
