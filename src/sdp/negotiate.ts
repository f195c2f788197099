/** From an offer/answer pair to the settings of one audio stream (RFC 3264 §6.1, §7). */
import { err, ok, type Result } from '../util/index.js';
import {
  attributeValues, hasAttribute, isNullConnection, mediaConnection, mediaDirection, mediaFormats,
  isAuxiliary, isComfortNoise, isTelephoneEvent, mediaMilliseconds, parseRtcpAttribute, parseTelephoneEvents, type MediaFormat,
} from './attributes.js';
import { keyMaterial, sameCodec, type NegotiatedCodec, type NegotiatedMedia, type NegotiatedSrtp, type NegotiatedTelephoneEvent } from './capabilities.js';
import { isSrtpSuite, mediaCryptos, srtpSuites } from './crypto.js';
import type { Direction, SdpMedia, SessionDescription } from './types.js';

function codecOf(f: MediaFormat): NegotiatedCodec {
  const c: NegotiatedCodec = { payloadType: f.payloadType, encoding: f.encoding, clockRate: f.clockRate, channels: f.channels };
  if (f.fmtp !== undefined) c.fmtp = f.fmtp;
  return c;
}

/** Direction as two flags; a null c= address means the side does not want to receive (RFC 3264 §8.4). */
export function directionFlags(m: SdpMedia, sd: SessionDescription): { send: boolean; recv: boolean } {
  const d = mediaDirection(m, sd);
  return { send: d === 'sendrecv' || d === 'sendonly', recv: (d === 'sendrecv' || d === 'recvonly') && !isNullConnection(mediaConnection(m, sd)) };
}

export function directionOf(send: boolean, recv: boolean): Direction {
  return send ? (recv ? 'sendrecv' : 'sendonly') : recv ? 'recvonly' : 'inactive';
}

/** RFC 3605 §2.1 / RFC 3550 §11: a=rtcp if present, else RTP port + 1; one port when muxed (RFC 5761). */
function rtcpTarget(m: SdpMedia, address: string, mux: boolean): { address: string; port: number } {
  if (mux) return { address, port: m.port };
  const v = attributeValues(m.attributes, 'rtcp')[0];
  const r = v === undefined ? undefined : parseRtcpAttribute(v);
  if (r?.ok) return { address: r.value.connection?.address ?? address, port: r.value.port };
  return { address, port: m.port + 1 };
}

function telephoneEvent(formats: MediaFormat[], clockRate: number): NegotiatedTelephoneEvent | undefined {
  const te = formats.filter(isTelephoneEvent);
  const f = te.find((x) => x.clockRate === clockRate) ?? te[0];
  if (f === undefined) return undefined;
  // RFC 4733 §2.4.1: no fmtp means events 0-15.
  const events = f.fmtp === undefined ? undefined : parseTelephoneEvents(f.fmtp);
  return { payloadType: f.payloadType, clockRate: f.clockRate, events: events?.ok ? events.value : [...Array(16).keys()] };
}

/** RFC 4568 §6.1: the accepted line is the one whose tag and suite appear on both sides. */
function negotiateSrtp(lm: SdpMedia, rm: SdpMedia): Result<NegotiatedSrtp | undefined, string> {
  const secureProfile = lm.proto.toUpperCase().includes('SAVP');
  const ours = mediaCryptos(lm);
  const theirs = mediaCryptos(rm);
  for (const t of theirs) {
    const o = ours.find((c) => c.tag === t.tag && c.suite === t.suite);
    if (o === undefined || !isSrtpSuite(o.suite) || o.keys.length === 0 || t.keys.length === 0) continue;
    const { keyLength } = srtpSuites[o.suite];
    return ok({ suite: o.suite, tag: o.tag, send: keyMaterial(keyLength, o.keys[0]!), receive: keyMaterial(keyLength, t.keys[0]!) });
  }
  if (secureProfile) return err('no acceptable a=crypto for RTP/SAVP');
  if (theirs.length > 0 && ours.length > 0) return err('a=crypto in the answer matches no offered tag and suite');
  return ok(undefined);
}

/**
 * Settings for stream `index`, given our description and the remote's. `answerer` says which of the
 * two is the answer: the send codec is the first one of the answer that both sides list (RFC 3264 §7).
 */
export function negotiateStream(local: SessionDescription, remote: SessionDescription, index: number, answerer: 'local' | 'remote'): Result<NegotiatedMedia, string> {
  const lm = local.media[index];
  const rm = remote.media[index];
  if (lm === undefined || rm === undefined) return err('no such m= line');
  if (lm.proto.toUpperCase() !== rm.proto.toUpperCase()) return err(`transport protocol differs (${lm.proto} / ${rm.proto})`);
  const conn = mediaConnection(rm, remote);
  if (conn === undefined) return err('no c= line for the stream');
  const lf = mediaFormats(lm);
  const rf = mediaFormats(rm);
  const [answerFormats, offerFormats] = answerer === 'local' ? [lf, rf] : [rf, lf];
  const primary = answerFormats.find((a) => !isAuxiliary(a) && offerFormats.some((o) => sameCodec(a, o)));
  if (primary === undefined) return err('no common codec');
  const send = rf.find((r) => sameCodec(r, primary))!;
  const receive = lf.filter((l) => rf.some((r) => sameCodec(l, r))).map(codecOf);
  const srtp = negotiateSrtp(lm, rm);
  if (!srtp.ok) return srtp;

  const mux = hasAttribute(lm.attributes, 'rtcp-mux') && hasAttribute(rm.attributes, 'rtcp-mux');
  const remoteRtcp = rtcpTarget(rm, conn.address, mux);
  const localConn = mediaConnection(lm, local);
  const localRtcp = rtcpTarget(lm, localConn?.address ?? '', mux);
  const our = directionFlags(lm, local);
  const their = directionFlags(rm, remote);
  // RFC 3264 §5.1: ptime is what the receiver wants; maxptime caps it.
  const wanted = mediaMilliseconds(rm, 'ptime') ?? mediaMilliseconds(lm, 'ptime') ?? 20;
  const cap = mediaMilliseconds(rm, 'maxptime');

  const media: NegotiatedMedia = {
    mediaIndex: index,
    protocol: rm.proto,
    localPort: lm.port,
    localRtcpPort: localRtcp.port,
    remoteAddress: conn.address,
    remotePort: rm.port,
    remoteRtcpAddress: remoteRtcp.address,
    remoteRtcpPort: remoteRtcp.port,
    rtcpMux: mux,
    send: codecOf(send),
    receive,
    ptime: cap !== undefined && cap < wanted ? cap : wanted,
    direction: directionOf(our.send && their.recv, our.recv && their.send),
    // A remote answer can only show hold when our offer let them receive.
    remoteHold: answerer === 'local' || our.send ? !their.recv : undefined,
  };
  const teLocal = telephoneEvent(lf, send.clockRate);
  const teRemote = telephoneEvent(rf, send.clockRate);
  if (teLocal !== undefined && teRemote !== undefined) {
    media.telephoneEventSend = teRemote;
    media.telephoneEventReceive = teLocal;
  }
  const cn = rf.find((f) => isComfortNoise(f) && f.clockRate === send.clockRate);
  if (cn !== undefined && lf.some((f) => isComfortNoise(f) && f.clockRate === send.clockRate)) media.comfortNoiseSend = cn.payloadType;
  if (srtp.value !== undefined) media.srtp = srtp.value;
  return ok(media);
}
