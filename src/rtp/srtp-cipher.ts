/**
 * The per-packet transforms of SRTP/SRTCP for one direction's session keys:
 * AES-CM + HMAC-SHA1 (RFC 3711 §4.1.1, §4.2.1) and AES-GCM (RFC 7714 §8, §9).
 * Callers have checked lengths; `open*` return false when authentication fails.
 */
import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject } from 'node:crypto';
import { AesCounterMode } from './aes-counter-mode.js';
import { HmacSha1 } from './hmac-sha1.js';
import { SrtpKeystreamCache, writeAesCmIv } from './srtp-keystream-cache.js';

export interface PacketCipher {
  readonly tagLength: number;
  /** Returns header || (encrypted) payload || tag for the RTP packet src[0..len). */
  sealRtp(src: Buffer, len: number, hdrLen: number, ssrc: number, roc: number, seq: number, encrypt: boolean): Buffer;
  /** Verifies pkt[0..len) (tag included) and decrypts the payload in place. */
  openRtp(pkt: Buffer, len: number, hdrLen: number, ssrc: number, roc: number, seq: number, encrypt: boolean): boolean;
  /** Returns the SRTCP packet for the RTCP compound src[0..len) with the given index and E flag. */
  sealRtcp(src: Buffer, len: number, ssrc: number, index: number, encrypt: boolean): Buffer;
  /** Verifies the SRTCP packet pkt[0..len) and decrypts in place; the plain RTCP is pkt[0..len - tag - 4). */
  openRtcp(pkt: Buffer, len: number, ssrc: number, index: number, encrypted: boolean): boolean;
}

/** Compares `a[0..n)` with `b[bStart..bStart+n)` in time independent of where they differ. */
function tagsEqual(a: Buffer, b: Buffer, bStart: number, n: number): boolean {
  let diff = 0;
  for (let i = 0; i < n; i++) diff |= a[i]! ^ b[bStart + i]!;
  return diff === 0;
}

const srtcpTrailer = (index: number, encrypt: boolean): number => ((encrypt ? 0x80000000 : 0) | index) >>> 0;

/** AES_CM_128_HMAC_SHA1_80 / _32. */
export class AesCmHmacCipher implements PacketCipher {
  readonly tagLength: number;
  private readonly ctr: AesCounterMode;
  private readonly salt: Buffer;
  private readonly hmac: HmacSha1;
  private readonly keystreams: SrtpKeystreamCache;
  private readonly iv = Buffer.alloc(16);

  constructor(key: Buffer, salt: Buffer, authKey: Buffer, tagLength: number) {
    this.ctr = new AesCounterMode(key);
    this.salt = Buffer.from(salt);
    this.hmac = new HmacSha1(authKey);
    this.keystreams = new SrtpKeystreamCache(this.ctr, this.salt);
    this.tagLength = tagLength;
  }

  /** The AES-CM IV for SRTCP index `index` (31 bits: high 15 and low 16 bits of the 48-bit field). */
  private rtcpIv(ssrc: number, index: number): Buffer {
    writeAesCmIv(this.iv, 0, this.salt, ssrc, index >>> 16, index & 0xffff);
    return this.iv;
  }

  /** §4.2.1 HMAC-SHA1 over `buf[0..len)` then the ROC (SRTP) or nothing (SRTCP); 20 octets, reused. */
  private tag(buf: Buffer, len: number, roc: number | null): Buffer {
    return this.hmac.digest(buf, len, roc === null ? null : roc >>> 0);
  }

  sealRtp(src: Buffer, len: number, hdrLen: number, ssrc: number, roc: number, seq: number, encrypt: boolean): Buffer {
    const out = Buffer.allocUnsafe(len + this.tagLength);
    if (encrypt) {
      src.copy(out, 0, 0, hdrLen);
      this.keystreams.apply(ssrc, roc, seq, src, hdrLen, len, out, hdrLen);
    } else {
      src.copy(out, 0, 0, len);
    }
    // §4.2: the authenticated portion is header || encrypted payload, with the ROC appended.
    this.tag(out, len, roc).copy(out, len, 0, this.tagLength);
    return out;
  }

  openRtp(pkt: Buffer, len: number, hdrLen: number, ssrc: number, roc: number, seq: number, encrypt: boolean): boolean {
    const bodyLen = len - this.tagLength;
    const expected = this.tag(pkt, bodyLen, roc);
    if (!tagsEqual(expected, pkt, bodyLen, this.tagLength)) return false;
    if (encrypt) this.keystreams.apply(ssrc, roc, seq, pkt, hdrLen, bodyLen, pkt, hdrLen);
    return true;
  }

  sealRtcp(src: Buffer, len: number, ssrc: number, index: number, encrypt: boolean): Buffer {
    const out = Buffer.allocUnsafe(len + 4 + this.tagLength);
    if (encrypt) {
      src.copy(out, 0, 0, 8);
      // §3.4: everything after the first 8 octets is encrypted.
      this.ctr.apply(this.rtcpIv(ssrc, index), src, 8, len, out, 8);
    } else {
      src.copy(out, 0, 0, len);
    }
    out.writeUInt32BE(srtcpTrailer(index, encrypt), len);
    this.tag(out, len + 4, null).copy(out, len + 4, 0, this.tagLength);
    return out;
  }

  openRtcp(pkt: Buffer, len: number, ssrc: number, index: number, encrypted: boolean): boolean {
    const authLen = len - this.tagLength;
    const expected = this.tag(pkt, authLen, null);
    if (!tagsEqual(expected, pkt, authLen, this.tagLength)) return false;
    if (encrypted) this.ctr.apply(this.rtcpIv(ssrc, index), pkt, 8, authLen - 4, pkt, 8);
    return true;
  }
}

/** AEAD_AES_128_GCM / AEAD_AES_256_GCM (RFC 7714). */
export class AesGcmCipher implements PacketCipher {
  readonly tagLength = 16;
  private readonly key: KeyObject;
  private readonly algorithm: 'aes-128-gcm' | 'aes-256-gcm';
  private readonly salt: Buffer;
  private readonly iv = Buffer.alloc(12);
  private readonly trailer = Buffer.alloc(4);

  constructor(key: Buffer, salt: Buffer) {
    this.key = createSecretKey(key);
    this.algorithm = key.length === 32 ? 'aes-256-gcm' : 'aes-128-gcm';
    this.salt = Buffer.from(salt);
  }

  /**
   * §8.1: IV = (00 00 || SSRC || ROC || SEQ) XOR salt. §9.1's SRTCP IV (00 00 || SSRC || 00 00 || 0 ||
   * index) is the same layout with ROC = index >>> 16 and SEQ = index & 0xFFFF.
   */
  private setIv(ssrc: number, high: number, low16: number): Buffer {
    const iv = this.iv;
    iv[0] = 0;
    iv[1] = 0;
    iv.writeUInt32BE(ssrc >>> 0, 2);
    iv.writeUInt32BE(high >>> 0, 6);
    iv.writeUInt16BE(low16 & 0xffff, 10);
    for (let i = 0; i < 12; i++) iv[i] = iv[i]! ^ this.salt[i]!;
    return iv;
  }

  sealRtp(src: Buffer, len: number, hdrLen: number, ssrc: number, roc: number, seq: number, encrypt: boolean): Buffer {
    const c = createCipheriv(this.algorithm, this.key, this.setIv(ssrc, roc, seq), { authTagLength: 16 });
    const out = Buffer.allocUnsafe(len + 16);
    // §8.2: AAD is the header; without encryption (§8.3 style "tag only") AAD is the whole packet.
    const aadLen = encrypt ? hdrLen : len;
    c.setAAD(src.subarray(0, aadLen));
    src.copy(out, 0, 0, aadLen);
    if (aadLen < len) c.update(src.subarray(aadLen, len)).copy(out, aadLen);
    c.final();
    c.getAuthTag().copy(out, len);
    return out;
  }

  openRtp(pkt: Buffer, len: number, hdrLen: number, ssrc: number, roc: number, seq: number, encrypt: boolean): boolean {
    const bodyLen = len - 16;
    const aadLen = encrypt ? hdrLen : bodyLen;
    return this.open(pkt, this.setIv(ssrc, roc, seq), pkt.subarray(0, aadLen), aadLen, bodyLen);
  }

  sealRtcp(src: Buffer, len: number, ssrc: number, index: number, encrypt: boolean): Buffer {
    const c = createCipheriv(this.algorithm, this.key, this.setIv(ssrc, index >>> 16, index), { authTagLength: 16 });
    const out = Buffer.allocUnsafe(len + 16 + 4);
    this.trailer.writeUInt32BE(srtcpTrailer(index, encrypt), 0);
    // §9.2/§9.3: AAD = header (8 octets, or the whole packet unencrypted) || E flag and index.
    const aadLen = encrypt ? 8 : len;
    c.setAAD(Buffer.concat([src.subarray(0, aadLen), this.trailer]));
    src.copy(out, 0, 0, aadLen);
    if (aadLen < len) c.update(src.subarray(aadLen, len)).copy(out, aadLen);
    c.final();
    c.getAuthTag().copy(out, len);
    this.trailer.copy(out, len + 16);
    return out;
  }

  openRtcp(pkt: Buffer, len: number, ssrc: number, index: number, encrypted: boolean): boolean {
    const bodyLen = len - 4 - 16;
    const aadLen = encrypted ? 8 : bodyLen;
    const aad = Buffer.concat([pkt.subarray(0, aadLen), pkt.subarray(len - 4, len)]);
    return this.open(pkt, this.setIv(ssrc, index >>> 16, index), aad, aadLen, bodyLen);
  }

  /** Decrypts pkt[start..end) in place with the tag at pkt[end..end+16); false on a bad tag. */
  private open(pkt: Buffer, iv: Buffer, aad: Buffer, start: number, end: number): boolean {
    const d = createDecipheriv(this.algorithm, this.key, iv, { authTagLength: 16 });
    d.setAAD(aad);
    d.setAuthTag(pkt.subarray(end, end + 16));
    const plain = start < end ? d.update(pkt.subarray(start, end)) : null;
    try {
      d.final();
    } catch {
      return false;
    }
    if (plain) plain.copy(pkt, start);
    return true;
  }
}
