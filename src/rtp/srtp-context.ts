/**
 * SRTP/SRTCP crypto context for one master key (RFC 3711 §3.2), keeping per-SSRC rollover
 * counters, SRTCP indices and replay windows. Peer input never throws: `unprotect*` return
 * results with a typed `SrtpError`. Our own packets that cannot be protected are programmer errors.
 */
import { err, ok, type Result } from '../util/index.js';
import { SrtpErrors, type SrtpError } from './errors.js';
import { ReplayWindow } from './replay-window.js';
import { rtpHeaderLength } from './rtp-packet.js';
import { AesCmHmacCipher, AesGcmCipher, type PacketCipher } from './srtp-cipher.js';
import { deriveSrtpSessionKeys, type SrtpSessionKeys } from './srtp-kdf.js';
import { SRTP_PROFILES, type SrtpProfile } from './srtp-profile.js';

export interface SrtpContextOptions {
  /** Replay window width in packets (default 128; at least 64). */
  replayWindow?: number;
  /** RFC 4568 UNENCRYPTED_SRTP / UNENCRYPTED_SRTCP: authenticate only. */
  encryptRtp?: boolean;
  encryptRtcp?: boolean;
  /** Cap on remembered remote SSRCs (state is only created for authenticated packets). */
  maxSources?: number;
}

interface RtpReceiveState {
  roc: number;
  /** s_l of §3.3.1: highest sequence number authenticated so far, -1 before the first. */
  highestSeq: number;
  replay: ReplayWindow;
}

interface RtpSendState {
  roc: number;
  highestSeq: number;
}

/**
 * RFC 3711 §3.3.1 / Appendix A: the ROC guess v for `seq` given s_l and ROC.
 * (May return ROC - 1, i.e. -1 at the very start: a packet from before the session.)
 */
export function estimateRoc(roc: number, highestSeq: number, seq: number): number {
  if (highestSeq < 0) return roc;
  if (highestSeq < 0x8000) return seq - highestSeq > 0x8000 ? roc - 1 : roc;
  return highestSeq - 0x8000 > seq ? roc + 1 : roc;
}

const MAX_ROC = 0xffffffff;
const MAX_SRTCP_INDEX = 0x7fffffff;

export class SrtpContext {
  readonly profile: SrtpProfile;
  private readonly aead: boolean;
  private rtp!: PacketCipher;
  private rtcp!: PacketCipher;
  private readonly rtcpTagLength: number;
  private readonly replaySize: number;
  private readonly encryptRtp: boolean;
  private readonly encryptRtcp: boolean;
  private readonly maxSources: number;
  private readonly rtpSend = new Map<number, RtpSendState>();
  private readonly rtpReceive = new Map<number, RtpReceiveState>();
  private readonly rtcpSend = new Map<number, number>();
  private readonly rtcpReceive = new Map<number, ReplayWindow>();

  constructor(profile: SrtpProfile, masterKey: Buffer, masterSalt: Buffer, options: SrtpContextOptions = {}) {
    this.profile = profile;
    const p = SRTP_PROFILES[profile];
    this.aead = p.aead;
    this.rtcpTagLength = p.rtcpTagLength;
    this.replaySize = options.replayWindow ?? 128;
    new ReplayWindow(this.replaySize); // validates the size now rather than at the first packet
    this.encryptRtp = options.encryptRtp ?? true;
    this.encryptRtcp = options.encryptRtcp ?? true;
    this.maxSources = options.maxSources ?? 1024;
    this.useKeys(deriveSrtpSessionKeys(profile, masterKey, masterSalt));
  }

  /** A context from session keys directly (no KDF), as the RFC 7714 vectors give them. */
  static fromSessionKeys(profile: SrtpProfile, keys: SrtpSessionKeys, options: SrtpContextOptions = {}): SrtpContext {
    const p = SRTP_PROFILES[profile];
    const ctx = new SrtpContext(profile, Buffer.alloc(p.keyLength), Buffer.alloc(p.saltLength), options);
    ctx.useKeys(keys);
    return ctx;
  }

  private useKeys(keys: SrtpSessionKeys): void {
    const p = SRTP_PROFILES[this.profile];
    this.rtp = p.aead ? new AesGcmCipher(keys.rtpKey, keys.rtpSalt) : new AesCmHmacCipher(keys.rtpKey, keys.rtpSalt, keys.rtpAuthKey, p.rtpTagLength);
    this.rtcp = p.aead ? new AesGcmCipher(keys.rtcpKey, keys.rtcpSalt) : new AesCmHmacCipher(keys.rtcpKey, keys.rtcpSalt, keys.rtcpAuthKey, p.rtcpTagLength);
  }

  /** Sets the rollover counter for `ssrc` in both directions (e.g. signalled to a late joiner). */
  setRolloverCounter(ssrc: number, roc: number): void {
    this.rtpSend.set(ssrc >>> 0, { roc: roc >>> 0, highestSeq: -1 });
    this.rtpReceive.set(ssrc >>> 0, { roc: roc >>> 0, highestSeq: -1, replay: new ReplayWindow(this.replaySize) });
  }

  /** The ROC for `ssrc`: the send side's if we sent with it, else the receive side's (0 when unknown). */
  rolloverCounter(ssrc: number): number {
    return this.rtpSend.get(ssrc >>> 0)?.roc ?? this.rtpReceive.get(ssrc >>> 0)?.roc ?? 0;
  }

  /** Remote SSRCs with SRTP receive state (bounded by `maxSources`). */
  get remoteSourceCount(): number {
    return this.rtpReceive.size;
  }

  /** Sets the SRTCP index the next `protectRtcp` for `ssrc` uses. */
  setNextSrtcpIndex(ssrc: number, index: number): void {
    this.rtcpSend.set(ssrc >>> 0, (index - 1) >>> 0);
  }

  /** Protects one of our RTP packets (§3.3): returns a new buffer with the tag appended. */
  protectRtp(pkt: Buffer): Buffer {
    const hdrLen = rtpHeaderLength(pkt);
    if (hdrLen < 0) throw new RangeError('protectRtp: not a complete RTP header');
    const ssrc = pkt.readUInt32BE(8);
    const seq = pkt.readUInt16BE(2);
    let state = this.rtpSend.get(ssrc);
    if (!state) {
      state = { roc: 0, highestSeq: -1 };
      this.rtpSend.set(ssrc, state);
    }
    // The sender keeps its own ROC the same way a receiver estimates one (§3.3.1).
    let v = estimateRoc(state.roc, state.highestSeq, seq);
    if (v < 0) v = 0;
    if (v > MAX_ROC) throw new RangeError('SRTP index space exhausted: re-key');
    if (v > state.roc || state.highestSeq < 0) { state.roc = v; state.highestSeq = seq; }
    else if (v === state.roc && seq > state.highestSeq) state.highestSeq = seq;
    return this.rtp.sealRtp(pkt, pkt.length, hdrLen, ssrc, v, seq, this.encryptRtp);
  }

  /**
   * Verifies and decrypts an SRTP packet (§3.3): checks replay, estimates the index, checks the
   * tag, then decrypts IN PLACE and returns the RTP packet as a view of `pkt` (tag removed).
   */
  unprotectRtp(pkt: Buffer): Result<Buffer, SrtpError> {
    const tagLen = this.rtp.tagLength;
    const hdrLen = rtpHeaderLength(pkt);
    if (hdrLen < 0) return err(SrtpErrors.notRtp);
    if (pkt.length < hdrLen + tagLen) return err(SrtpErrors.shortRtp);
    const ssrc = pkt.readUInt32BE(8);
    const seq = pkt.readUInt16BE(2);
    const state = this.rtpReceive.get(ssrc);
    const roc = state?.roc ?? 0;
    const v = estimateRoc(roc, state?.highestSeq ?? -1, seq);
    if (v < 0) return err(SrtpErrors.beforeStart);
    if (v > MAX_ROC) return err(SrtpErrors.beyondIndexSpace);
    const index = v * 0x10000 + seq;
    // §3.3.2: replay check before authentication, window update only after it.
    if (state) {
      const verdict = state.replay.check(index);
      if (verdict !== 'new') return err(verdict === 'replayed' ? SrtpErrors.replayed : SrtpErrors.tooOld);
    }
    if (!this.rtp.openRtp(pkt, pkt.length, hdrLen, ssrc, v, seq, this.encryptRtp)) return err(SrtpErrors.authFailed);
    if (!state) {
      if (this.rtpReceive.size >= this.maxSources) this.rtpReceive.delete(this.rtpReceive.keys().next().value!);
      const fresh = { roc: v, highestSeq: seq, replay: new ReplayWindow(this.replaySize) };
      fresh.replay.accept(index);
      this.rtpReceive.set(ssrc, fresh);
    } else {
      // Appendix A: adopt v as the new ROC only once the packet authenticated.
      if (state.highestSeq < 0 || v > state.roc) { state.roc = v; state.highestSeq = seq; }
      else if (v === state.roc && seq > state.highestSeq) state.highestSeq = seq;
      state.replay.accept(index);
    }
    return ok(pkt.subarray(0, pkt.length - tagLen));
  }

  /** Protects one of our RTCP compound packets (§3.4): next SRTCP index for its SSRC, E flag per options. */
  protectRtcp(pkt: Buffer): Buffer {
    if (pkt.length < 8 || pkt[0]! >> 6 !== 2) throw new RangeError('protectRtcp: not an RTCP packet');
    const ssrc = pkt.readUInt32BE(4);
    const index = (((this.rtcpSend.get(ssrc) ?? 0) + 1) & MAX_SRTCP_INDEX) >>> 0;
    // §3.4: the 31-bit index must not wrap under one key.
    if (index === 0) throw new RangeError('SRTCP index space exhausted: re-key');
    this.rtcpSend.set(ssrc, index);
    return this.rtcp.sealRtcp(pkt, pkt.length, ssrc, index, this.encryptRtcp);
  }

  /** Verifies and decrypts an SRTCP packet in place; returns the RTCP compound as a view of `pkt`. */
  unprotectRtcp(pkt: Buffer): Result<Buffer, SrtpError> {
    const tagLen = this.rtcpTagLength;
    if (pkt.length < 8 + 4 + tagLen) return err(SrtpErrors.shortRtcp);
    if (pkt[0]! >> 6 !== 2) return err(SrtpErrors.rtcpVersion);
    const ssrc = pkt.readUInt32BE(4);
    // AES-CM: index precedes the tag; GCM (RFC 7714 §9): the index is the last word.
    const trailerAt = this.aead ? pkt.length - 4 : pkt.length - tagLen - 4;
    const trailer = pkt.readUInt32BE(trailerAt);
    const encrypted = trailer >>> 31 === 1;
    const index = trailer & MAX_SRTCP_INDEX;
    const replay = this.rtcpReceive.get(ssrc);
    if (replay) {
      const verdict = replay.check(index);
      if (verdict !== 'new') return err(verdict === 'replayed' ? SrtpErrors.replayed : SrtpErrors.tooOld);
    }
    if (!this.rtcp.openRtcp(pkt, pkt.length, ssrc, index, encrypted)) return err(SrtpErrors.authFailed);
    if (replay) replay.accept(index);
    else {
      if (this.rtcpReceive.size >= this.maxSources) this.rtcpReceive.delete(this.rtcpReceive.keys().next().value!);
      const w = new ReplayWindow(this.replaySize);
      w.accept(index);
      this.rtcpReceive.set(ssrc, w);
    }
    return ok(pkt.subarray(0, pkt.length - tagLen - 4));
  }
}
