/**
 * RFC 3389 comfort noise payload (SID frame): one level byte, then M reflection coefficient
 * indices (§3.3). The payload is the whole RTP payload, so it runs to the end of the buffer.
 */
import { err, ok, type Result } from '../util/index.js';

export interface ComfortNoisePayload {
  /** Noise level magnitude in -dBov, 0..127 (§3.1): 40 means -40 dBov. */
  readonly level: number;
  /** Quantised reflection coefficient indices N_1..N_M, each 0..254 (§3.2); empty = white. */
  readonly reflectionIndices: readonly number[];
}

/** Parses a CN payload from `offset` to the end of `buf`. */
export function parseComfortNoise(buf: Buffer, offset = 0): Result<ComfortNoisePayload> {
  if (offset >= buf.length) return err('CN payload is empty: the level byte is required (RFC 3389 §3.3)');
  // §3.1: the MSB is unused and always 0; a sender that sets it still means the low 7 bits.
  const level = buf[offset]! & 0x7f;
  const reflectionIndices: number[] = [];
  for (let i = offset + 1; i < buf.length; i++) {
    const n = buf[i]!;
    if (n === 255) return err(`CN reflection coefficient ${i - offset} uses reserved index 255 (RFC 3389 §3.2)`);
    reflectionIndices.push(n);
  }
  return ok({ level, reflectionIndices });
}

export function sizeOfComfortNoise(p: ComfortNoisePayload): number {
  return 1 + p.reflectionIndices.length;
}

/** Writes `p` at `offset`, returning bytes written. Out-of-range fields are programmer errors. */
export function writeComfortNoise(p: ComfortNoisePayload, buf: Buffer, offset = 0): number {
  const size = sizeOfComfortNoise(p);
  if (offset + size > buf.length) throw new RangeError(`CN payload needs ${size} B at ${offset}, buffer has ${buf.length}`);
  if (!(p.level >= 0 && p.level <= 127)) throw new RangeError(`CN level ${p.level} outside 0..127`);
  buf[offset] = p.level;
  p.reflectionIndices.forEach((n, i) => {
    if (!(n >= 0 && n <= 254)) throw new RangeError(`CN reflection index ${n} outside 0..254`);
    buf[offset + 1 + i] = n;
  });
  return size;
}

/** §3.2: k_i(N_i) = 258 (N_i - 127) / 32768. */
export function reflectionFromIndex(n: number): number {
  return (258 * (n - 127)) / 32768;
}

/** The index whose quantised value is nearest to k (inverse of §3.2), clamped to 0..254. */
export function indexFromReflection(k: number): number {
  const n = Math.round((k * 32768) / 258) + 127;
  return n < 0 ? 0 : n > 254 ? 254 : n;
}

/** 0 dBov: a full-scale square wave (§3.1), i.e. RMS 32767 in 16-bit linear PCM. */
const FULL_SCALE = 32767;

/** RMS level of 16-bit PCM in -dBov, rounded and clamped to the payload's 0..127. */
export function levelFromRms(rms: number): number {
  if (!(rms > 0)) return 127;
  const level = Math.round(-20 * Math.log10(rms / FULL_SCALE));
  return level <= 0 ? 0 : level > 127 ? 127 : level; // <= turns -0 into 0
}

/** The RMS (16-bit linear) that a level in -dBov stands for. */
export function rmsFromLevel(level: number): number {
  return FULL_SCALE * 10 ** (-level / 20);
}
