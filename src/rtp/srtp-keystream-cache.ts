/**
 * AES-CM keystreams for SRTP packets made ahead, several packets per AES call. The IV of a
 * packet depends only on the session salt, SSRC and index (RFC 3711 §4.1.1), and a stream's next
 * indices are known (index + 1, + 2, ...), so one call serves the next BATCH packets of an SSRC.
 * Packets out of the batch (reordered far, lost runs, larger than the cached size) refill it.
 * Only packets that authenticated (receive) or that we send reach this, so junk cannot make work.
 */
import type { AesCounterMode } from './aes-counter-mode.js';

const BATCH = 16;

/**
 * §4.1.1: IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16), written at `out[offset..+16)`, for the
 * 48-bit index i given as its high 32 bits and low 16 bits (SRTP: ROC and SEQ; SRTCP: index).
 */
export function writeAesCmIv(out: Buffer, offset: number, salt: Buffer, ssrc: number, indexHigh: number, indexLow: number): void {
  salt.copy(out, offset, 0, 14);
  out[offset + 14] = 0;
  out[offset + 15] = 0;
  out.writeUInt32BE((out.readUInt32BE(offset + 4) ^ ssrc) >>> 0, offset + 4);
  out.writeUInt32BE((out.readUInt32BE(offset + 8) ^ indexHigh) >>> 0, offset + 8);
  out.writeUInt16BE(out.readUInt16BE(offset + 12) ^ (indexLow & 0xffff), offset + 12);
}
const MAX_SOURCES = 8;

interface Entry {
  base: number;
  blocksEach: number;
  /** Largest block count asked of this batch: sizes the next one, so one big packet does not inflate all later batches. */
  maxUsed: number;
  data: Buffer;
}

export class SrtpKeystreamCache {
  private readonly ctr: AesCounterMode;
  private readonly salt: Buffer;
  private readonly ivs = Buffer.alloc(BATCH * 16);
  private readonly entries = new Map<number, Entry>();

  constructor(ctr: AesCounterMode, salt: Buffer) {
    this.ctr = ctr;
    this.salt = salt;
  }

  /** dst[dstStart..] = src[start..end) XOR the keystream of packet (ssrc, index = roc * 2^16 + seq). */
  apply(ssrc: number, roc: number, seq: number, src: Buffer, start: number, end: number, dst: Buffer, dstStart: number): void {
    const n = end - start;
    if (n <= 0) return;
    const index = roc * 0x10000 + seq;
    const blocks = (n + 15) >> 4;
    let e = this.entries.get(ssrc);
    if (!e || index < e.base || index >= e.base + BATCH || blocks > e.blocksEach) e = this.refill(ssrc, index, Math.max(blocks, e?.maxUsed ?? 0));
    if (blocks > e.maxUsed) e.maxUsed = blocks;
    const ks = e.data;
    const at = (index - e.base) * e.blocksEach * 16;
    for (let i = 0; i < n; i++) dst[dstStart + i] = src[start + i]! ^ ks[at + i]!;
  }

  private refill(ssrc: number, base: number, blocksEach: number): Entry {
    const ivs = this.ivs;
    for (let k = 0; k < BATCH; k++) {
      const index = base + k;
      writeAesCmIv(ivs, k * 16, this.salt, ssrc, Math.floor(index / 0x10000), index & 0xffff);
    }
    const entry = { base, blocksEach, maxUsed: 0, data: this.ctr.keystreams(ivs, BATCH, blocksEach) };
    this.entries.delete(ssrc);
    if (this.entries.size >= MAX_SOURCES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(ssrc, entry);
    return entry;
  }
}
