/**
 * ITU-T G.711 (11/88) µ-law and A-law, as RFC 3551 §4.5.14 carries them (PCMU = PT 0,
 * PCMA = PT 8, 8000 Hz, one octet per sample).
 *
 * The scalar functions follow the Recommendation's segment tables on 16-bit input, with the
 * G.191 (STL) convention that negative inputs are taken in one's complement, i.e. truncated
 * toward the lower bound of their quantisation interval; this is what makes the ITU reference
 * sweep match bit for bit. The stream encoder/decoder use tables built from these functions on
 * first use (64 Ki entries to encode, 256 to decode and a 64 Ki pair table for two codes at
 * once), which measured faster than computing the segment per sample (see bench/g711.ts).
 */
import type { AudioCodec, AudioDecoder, AudioEncoder } from './audio-codec.js';

/** µ-law: 16-bit linear → code. G.711 Table 2a: 14-bit magnitude, bias 33, 8 segments. */
export function linearToUlaw(sample: number): number {
  const negative = sample < 0;
  const magnitude = negative ? ~sample : sample; // one's complement: -1 → 0, -32768 → 32767
  let biased = (magnitude >> 2) + 33;
  if (biased > 0x1fff) biased = 0x1fff;
  // biased lies in [32 << e, 64 << e) for segment e.
  const segment = 31 - Math.clz32(biased) - 5;
  const mantissa = (biased >> (segment + 1)) & 0x0f;
  // G.711 §A.3: character signal is the complement of the segment/step bits; sign 1 = positive.
  const code = ~((segment << 4) | mantissa) & 0x7f;
  return negative ? code : code | 0x80;
}

/** µ-law: code → 16-bit linear (14-bit decision value scaled by 4). */
export function ulawToLinear(code: number): number {
  const c = ~code & 0xff;
  const segment = (c >> 4) & 0x07;
  const mantissa = c & 0x0f;
  const magnitude = ((((mantissa << 1) + 33) << segment) - 33) << 2;
  return c & 0x80 ? 0 - magnitude : magnitude; // 0 - 0 is +0, unlike -0
}

/** A-law: 16-bit linear → code. G.711 Table 1a: 12-bit magnitude, 8 segments, even bits inverted. */
export function linearToAlaw(sample: number): number {
  const negative = sample < 0;
  const magnitude = (negative ? ~sample : sample) >> 4;
  let code: number;
  if (magnitude < 16) {
    code = magnitude; // segment 0: step of one unit
  } else {
    const segment = 31 - Math.clz32(magnitude) - 3; // magnitude in [16 << (s-1), 32 << (s-1))
    code = (segment << 4) | ((magnitude >> (segment - 1)) & 0x0f);
  }
  // G.711 Table 1a note: the sign bit is 1 for positive values; even bits are inverted (0x55).
  return (negative ? code : code | 0x80) ^ 0x55;
}

/** A-law: code → 16-bit linear (interval midpoint, 13-bit value scaled by 8). */
export function alawToLinear(code: number): number {
  const c = code ^ 0x55;
  const segment = (c >> 4) & 0x07;
  const mantissa = c & 0x0f;
  const magnitude =
    segment === 0 ? (mantissa << 4) + 8 : (((mantissa + 16) << 4) + 8) << (segment - 1);
  return c & 0x80 ? magnitude : 0 - magnitude;
}

type Law = 'ulaw' | 'alaw';
const encodeTables: Partial<Record<Law, Uint8Array>> = {};
const decodeTables: Partial<Record<Law, Int16Array>> = {};
const pairTables: Partial<Record<Law, Int32Array>> = {};
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The 64 Ki-entry encode table for a law, indexed by the sample's 16-bit two's-complement bits. */
export function g711EncodeTable(law: Law): Uint8Array {
  let table = encodeTables[law];
  if (!table) {
    const f = law === 'ulaw' ? linearToUlaw : linearToAlaw;
    table = new Uint8Array(65536);
    for (let i = 0; i < 65536; i++) table[i] = f((i << 16) >> 16);
    encodeTables[law] = table;
  }
  return table;
}

/** The 256-entry decode table for a law. */
export function g711DecodeTable(law: Law): Int16Array {
  let table = decodeTables[law];
  if (!table) {
    const f = law === 'ulaw' ? ulawToLinear : alawToLinear;
    table = new Int16Array(256);
    for (let i = 0; i < 256; i++) table[i] = f(i);
    decodeTables[law] = table;
  }
  return table;
}

/**
 * Decoding two codes at once: indexed by `first | second << 8`, each entry holds both decoded
 * samples packed as they lie in a little-endian Int16Array (256 KiB per law). With one Int32
 * store per pair this measured about twice as fast as byte by byte.
 */
function g711PairTable(law: Law): Int32Array {
  let table = pairTables[law];
  if (!table) {
    const single = g711DecodeTable(law);
    table = new Int32Array(65536);
    for (let i = 0; i < 65536; i++) table[i] = (single[i & 0xff]! & 0xffff) | (single[i >> 8]! << 16);
    pairTables[law] = table;
  }
  return table;
}

class G711Encoder implements AudioEncoder {
  private readonly table: Uint8Array;
  constructor(law: Law) {
    this.table = g711EncodeTable(law);
  }
  encode(pcm: Int16Array, out: Buffer): number {
    const n = pcm.length;
    if (out.length < n) throw new RangeError(`G.711 output ${out.length} B < ${n} samples`);
    const t = this.table;
    for (let i = 0; i < n; i++) out[i] = t[pcm[i]! & 0xffff]!;
    return n;
  }
  reset(): void {}
}

class G711Decoder implements AudioDecoder {
  private readonly table: Int16Array;
  private readonly pairs: Int32Array | null;
  /** An Int32 view of the last output array: callers reuse one, so it is made once. */
  private lastOut: Int16Array | null = null;
  private outPairs: Int32Array | null = null;

  constructor(law: Law) {
    this.table = g711DecodeTable(law);
    this.pairs = littleEndian ? g711PairTable(law) : null;
  }

  decode(payload: Buffer, out: Int16Array): number {
    const n = Math.min(payload.length, out.length);
    const t = this.table;
    let i = 0;
    if (this.pairs && (out.byteOffset & 3) === 0) {
      if (out !== this.lastOut) {
        this.lastOut = out;
        this.outPairs = new Int32Array(out.buffer, out.byteOffset, out.length >> 1);
      }
      const dst = this.outPairs!;
      const pairs = this.pairs;
      const half = n >> 1;
      for (let k = 0; k < half; k++, i += 2) dst[k] = pairs[payload[i]! | (payload[i + 1]! << 8)]!;
    }
    for (; i < n; i++) out[i] = t[payload[i]!]!;
    return n;
  }
  reset(): void {}
}

function g711Codec(name: string, payloadType: number, law: Law): AudioCodec {
  return Object.freeze({
    name,
    payloadType,
    clockRate: 8000,
    sampleRate: 8000,
    channels: 1,
    rtpmapChannels: 1,
    // RFC 3551 §4.5 (sample-based encodings): any multiple of the sample period; these are
    // the durations phones use, 20 ms by default.
    frameDurationsMs: Object.freeze([10, 20, 30, 40, 60]),
    defaultPtimeMs: 20,
    maxPtimeMs: 60,
    createEncoder: () => new G711Encoder(law),
    createDecoder: () => new G711Decoder(law),
  });
}

/** G.711 µ-law, RFC 3551 §4.5.14 / Table 4: PCMU, static PT 0, 8000 Hz. */
export const pcmuCodec: AudioCodec = g711Codec('PCMU', 0, 'ulaw');
/** G.711 A-law, RFC 3551 §4.5.14 / Table 4: PCMA, static PT 8, 8000 Hz. */
export const pcmaCodec: AudioCodec = g711Codec('PCMA', 8, 'alaw');
