/** What the phone can do (input to offer/answer) and what was agreed (output). */
import type { RandomSource, SdesKey, SrtpSuite } from './crypto.js';
import type { Direction } from './types.js';

/** One codec we can send and receive, in our order of preference. */
export interface CodecCapability {
  encoding: string;
  clockRate: number;
  /** Default 1. */
  channels?: number;
  /** Wanted number for a dynamic codec; static codecs (RFC 3551) always use their own number. */
  payloadType?: number;
  /** Our a=fmtp parameters for this codec, if any. */
  fmtp?: string;
}

/** off: RTP/AVP only, refuse SAVP. optional: RTP/AVP plus a=crypto (best-effort SDES). mandatory: RTP/SAVP. */
export type SrtpPolicy = 'off' | 'optional' | 'mandatory';

export interface LocalCapabilities {
  /** Where we receive RTP: an IPv4 or IPv6 literal (also used in o=). */
  address: string;
  /** Our RTP port. */
  port: number;
  /** Our RTCP port when it is not port + 1 (sent as a=rtcp, RFC 3605). */
  rtcpPort?: number;
  /** Audio codecs in preference order (telephone-event is configured separately). */
  codecs: CodecCapability[];
  /** RFC 4733 events; default payload type 101 and events "0-16". `false` disables. */
  telephoneEvent?: { payloadType?: number; events?: string } | false;
  /** Packetization we want to receive (a=ptime) and the most we accept (a=maxptime). */
  ptime?: number;
  maxptime?: number;
  /** Offer / accept RTP and RTCP on one port (RFC 5761). Default true. */
  rtcpMux?: boolean;
  srtp: SrtpPolicy;
  /** Suites we offer / accept, in preference order. Default: all four, GCM first. */
  srtpSuites?: SrtpSuite[];
  /** Default sendrecv; see holdDirection() for hold. */
  direction?: Direction;
  /** Answer formats in our preference order instead of the offer's (RFC 3264 §6.1 recommends the offer's). */
  answerInLocalOrder?: boolean;
  /** o= username (default "-") and s= (default "Handset"). */
  username?: string;
  sessionName?: string;
  /** Randomness for SDES keys and the session id; default node:crypto randomBytes. */
  random?: RandomSource;
}

export const defaultSrtpSuites: readonly SrtpSuite[] = ['AEAD_AES_256_GCM', 'AEAD_AES_128_GCM', 'AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32'];

/** A payload format agreed for this stream. */
export interface NegotiatedCodec {
  payloadType: number;
  encoding: string;
  clockRate: number;
  channels: number;
  fmtp?: string;
}

/** RFC 4733 telephone-event in one direction. */
export interface NegotiatedTelephoneEvent {
  payloadType: number;
  clockRate: number;
  /** Event codes the receiving side declared (e.g. 0..16). */
  events: number[];
}

/** SRTP master key material for one direction (RFC 3711 §8.2). */
export interface SrtpKeyMaterial {
  masterKey: Buffer;
  masterSalt: Buffer;
  mki?: { value: number; length: number };
  lifetime?: string;
}

export interface NegotiatedSrtp {
  suite: SrtpSuite;
  /** Tag of the accepted a=crypto line. */
  tag: number;
  /** Our key: protects what we send (RFC 4568 §6.1: each side declares the key it sends with). */
  send: SrtpKeyMaterial;
  /** The remote's key: unprotects what we receive. */
  receive: SrtpKeyMaterial;
}

/** Everything the media engine needs to run one audio stream. */
export interface NegotiatedMedia {
  /** Index of the m= line in both descriptions. */
  mediaIndex: number;
  /** Transport protocol of the m= line (RTP/AVP, RTP/SAVP, RTP/AVPF, RTP/SAVPF). */
  protocol: string;
  localPort: number;
  localRtcpPort: number;
  remoteAddress: string;
  remotePort: number;
  remoteRtcpAddress: string;
  remoteRtcpPort: number;
  rtcpMux: boolean;
  /** Codec and payload type we send with: the number the remote declared (RFC 3264 §5.1). */
  send: NegotiatedCodec;
  /** Payload types we accept, with our numbers. */
  receive: NegotiatedCodec[];
  telephoneEventSend?: NegotiatedTelephoneEvent;
  telephoneEventReceive?: NegotiatedTelephoneEvent;
  /** RFC 3389 comfort noise at the send codec's clock rate, when both sides list it. */
  comfortNoiseSend?: number;
  /** Packetization we send with (remote's a=ptime, capped by its a=maxptime; else ours; else 20). */
  ptime: number;
  /** Our direction: may we send, may we receive. */
  direction: Direction;
  /**
   * The remote chose not to receive (sendonly, inactive, or the old c=0.0.0.0 form). Undefined when this
   * exchange cannot tell: a remote answer to our offer that did not send (the answer must then refuse
   * receiving anyway); the phone keeps its earlier state.
   */
  remoteHold: boolean | undefined;
  srtp?: NegotiatedSrtp;
}

export type StreamOutcome =
  | { mediaIndex: number; mediaType: string; accepted: true }
  | { mediaIndex: number; mediaType: string; accepted: false; reason: string };

export interface Negotiation {
  audio: NegotiatedMedia;
  /** One entry per m= line, in order. */
  streams: StreamOutcome[];
}

/** Same codec: name case-insensitive, same clock rate and channel count (RFC 3264 §6.1). */
export function sameCodec(a: { encoding: string; clockRate: number; channels?: number }, b: { encoding: string; clockRate: number; channels?: number }): boolean {
  return a.encoding.toLowerCase() === b.encoding.toLowerCase() && a.clockRate === b.clockRate && (a.channels ?? 1) === (b.channels ?? 1);
}

/** Key material split into master key and salt for the media engine. */
export function keyMaterial(suiteKeyLength: number, k: SdesKey): SrtpKeyMaterial {
  const m: SrtpKeyMaterial = { masterKey: k.keySalt.subarray(0, suiteKeyLength), masterSalt: k.keySalt.subarray(suiteKeyLength) };
  if (k.mki !== undefined) m.mki = k.mki;
  if (k.lifetime !== undefined) m.lifetime = k.lifetime;
  return m;
}
