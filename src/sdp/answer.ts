/** createAnswer and applyAnswer (RFC 3264 §6, §7; RFC 4568 §5.1.2; RFC 6337). */
import { err, ok, type Result } from '../util/index.js';
import { hasAttribute, isAuxiliary, mediaConnection, isTelephoneEvent, mediaFormats, type MediaFormat } from './attributes.js';
import { audioMedia, rejectedMedia, sessionFor, type FormatLine } from './build.js';
import { defaultSrtpSuites, sameCodec, type LocalCapabilities, type NegotiatedMedia, type Negotiation, type StreamOutcome } from './capabilities.js';
import { isSrtpSuite, mediaCryptos, newCrypto, systemRandom, type SdesCrypto, type SrtpSuite } from './crypto.js';
import { notAcceptable, type SdpError } from './errors.js';
import { directionFlags, directionOf, negotiateStream } from './negotiate.js';
import { offerFormats } from './offer.js';
import type { SdpMedia, SessionDescription } from './types.js';

/** Profiles we can run; DTLS-SRTP (UDP/TLS/RTP/SAVP[F]) is not supported. */
const rtpProfiles = new Set(['RTP/AVP', 'RTP/SAVP', 'RTP/AVPF', 'RTP/SAVPF']);

/** RFC 4568 §5.1.2: accept the first offered line (offerer's preference) with a suite we allow. */
function chooseCrypto(offered: SdpMedia, local: LocalCapabilities, previous?: SdpMedia): SdesCrypto | undefined {
  const allowed: readonly SrtpSuite[] = local.srtpSuites ?? defaultSrtpSuites;
  const kept = previous === undefined ? [] : mediaCryptos(previous);
  for (const c of mediaCryptos(offered)) {
    if (!isSrtpSuite(c.suite) || !allowed.includes(c.suite)) continue;
    // RFC 4568 §6.3: session parameters must be honoured in both directions; we implement none, so a
    // line carrying one (other than an ignorable "-" parameter) is not accepted.
    if (c.sessionParams.some((p) => !p.startsWith('-'))) continue;
    // Keep our key when the re-offer accepts the same line again (RFC 4568 §7.1.4 allows either).
    const same = kept.find((p) => p.tag === c.tag && p.suite === c.suite);
    return same ?? newCrypto(c.tag, c.suite, local.random ?? systemRandom);
  }
  return undefined;
}

/** The answer's formats: offered ones we support, with the offerer's numbers (RFC 3264 §6.1). */
function answerFormats(offered: MediaFormat[], local: LocalCapabilities): FormatLine[] {
  const ours = offerFormats(local);
  const line = (o: MediaFormat, fmtp: string | undefined): FormatLine => {
    const f: FormatLine = { payloadType: o.payloadType, encoding: o.encoding, clockRate: o.clockRate, channels: o.channels };
    if (fmtp !== undefined) f.fmtp = fmtp;
    return f;
  };
  let chosen: FormatLine[] = [];
  for (const o of offered) {
    const mine = isTelephoneEvent(o) ? undefined : ours.find((c) => sameCodec(c, o));
    if (mine !== undefined) chosen.push(line(o, mine.fmtp));
  }
  if (local.answerInLocalOrder) chosen = ours.flatMap((c) => chosen.filter((f) => sameCodec(f, c)));
  const voice = chosen.find((f) => !isAuxiliary(f));
  if (voice === undefined) return [];
  // One telephone-event, at the clock rate of the codec that carries voice (RFC 4733 §2.1).
  const ourEvents = ours.find(isTelephoneEvent);
  const event = offered.find((f) => isTelephoneEvent(f) && f.clockRate === voice.clockRate);
  if (ourEvents !== undefined && event !== undefined) chosen.push(line(event, ourEvents.fmtp));
  return chosen;
}

type AudioAnswer = { media: SdpMedia } | { reason: string };

function answerAudio(offer: SessionDescription, m: SdpMedia, local: LocalCapabilities, previous?: SdpMedia): AudioAnswer {
  const proto = m.proto.toUpperCase();
  if (!rtpProfiles.has(proto)) return { reason: `unsupported transport ${m.proto}` };
  // RFC 8866 §5.7: c= at session level or in every media section.
  if (mediaConnection(m, offer) === undefined) return { reason: 'no c= line for the stream' };
  const secureProfile = proto.includes('SAVP');
  const offersCrypto = hasAttribute(m.attributes, 'crypto');
  let crypto: SdesCrypto | undefined;
  if (secureProfile || (offersCrypto && local.srtp !== 'off')) {
    if (local.srtp === 'off') return { reason: 'SRTP is disabled' };
    crypto = chooseCrypto(m, local, previous);
    // RFC 4568 §5.1.2: SAVP without an acceptable crypto line is rejected; with AVP we fall back to RTP.
    if (crypto === undefined && (secureProfile || local.srtp === 'mandatory')) return { reason: 'no acceptable a=crypto' };
  } else if (local.srtp === 'mandatory') return { reason: 'SRTP required but not offered' };
  const formats = answerFormats(mediaFormats(m), local);
  if (formats.length === 0) return { reason: 'no common codec' };
  // RFC 3264 §6.1: sendonly ↔ recvonly, inactive stays inactive, limited by what we want.
  const theirs = directionFlags(m, offer);
  const wanted = local.direction ?? 'sendrecv';
  const send = theirs.recv && (wanted === 'sendrecv' || wanted === 'sendonly');
  const recv = theirs.send && (wanted === 'sendrecv' || wanted === 'recvonly');
  // RFC 5761 §5.1.1: the answer takes up rtcp-mux only if it was offered.
  const rtcpMux = (local.rtcpMux ?? true) && hasAttribute(m.attributes, 'rtcp-mux');
  const spec = {
    port: local.port,
    proto: m.proto,
    formats,
    rtcpMux,
    cryptos: crypto === undefined ? [] : [crypto],
    direction: directionOf(send, recv),
    ...(local.ptime !== undefined ? { ptime: local.ptime } : {}),
    ...(local.maxptime !== undefined ? { maxptime: local.maxptime } : {}),
    ...(local.rtcpPort !== undefined && !rtcpMux ? { rtcpPort: local.rtcpPort } : {}),
  };
  return { media: audioMedia(spec) };
}

export interface AnswerResult {
  answer: SessionDescription;
  negotiation: Negotiation;
}

/**
 * Answers `offer` (also a late offer from a 200 OK, or a re-offer: pass our last description as
 * `previous`). The first usable audio stream is accepted; every other m= line, unknown media types
 * included, stays in place with port 0. Nothing usable → `sdp-not-acceptable` (answer 488).
 */
export function createAnswer(offer: SessionDescription, local: LocalCapabilities, previous?: SessionDescription): Result<AnswerResult, SdpError> {
  const media: SdpMedia[] = [];
  const streams: StreamOutcome[] = [];
  let audioIndex = -1;
  let firstReason: { reason: string; line?: number } | undefined;
  offer.media.forEach((m, i) => {
    let reason: string;
    if (m.port === 0) reason = 'rejected in the offer';
    else if (m.type.toLowerCase() !== 'audio') reason = `unsupported media type ${m.type}`;
    else if (audioIndex >= 0) reason = 'only one audio stream is supported';
    else {
      const a = answerAudio(offer, m, local, previous?.media[i]);
      if ('media' in a) {
        audioIndex = i;
        media.push(a.media);
        streams.push({ mediaIndex: i, mediaType: m.type, accepted: true });
        return;
      }
      reason = a.reason;
      firstReason ??= m.line === undefined ? { reason } : { reason, line: m.line };
    }
    media.push(rejectedMedia(m));
    streams.push({ mediaIndex: i, mediaType: m.type, accepted: false, reason });
  });
  if (audioIndex < 0) return err(notAcceptable(firstReason?.reason ?? 'no audio stream offered', firstReason?.line));
  const answer = sessionFor(local, media, previous);
  const audio = negotiateStream(answer, offer, audioIndex, 'local');
  if (!audio.ok) return err(notAcceptable(audio.error, offer.media[audioIndex]!.line));
  return ok({ answer, negotiation: { audio: audio.value, streams } });
}

/** Our offer plus the remote answer → the agreed stream (RFC 3264 §7). */
export function applyAnswer(offer: SessionDescription, answer: SessionDescription): Result<Negotiation, SdpError> {
  // RFC 3264 §6: the answer has exactly as many m= lines as the offer, in the same order.
  if (answer.media.length !== offer.media.length) return err(notAcceptable(`answer has ${answer.media.length} m= lines, offer had ${offer.media.length}`));
  const streams: StreamOutcome[] = [];
  let audio: NegotiatedMedia | undefined;
  let failure: { reason: string; line?: number } | undefined;
  for (let i = 0; i < offer.media.length; i++) {
    const o = offer.media[i]!;
    const a = answer.media[i]!;
    const line = a.line;
    if (o.type.toLowerCase() !== a.type.toLowerCase()) return err(notAcceptable(`m= line ${i + 1}: answer media type ${a.type} differs from offered ${o.type}`, line));
    if (o.port === 0 || a.port === 0) {
      streams.push({ mediaIndex: i, mediaType: o.type, accepted: false, reason: o.port === 0 ? 'not offered' : 'rejected by the answerer' });
      continue;
    }
    const r = audio === undefined && o.type.toLowerCase() === 'audio' ? negotiateStream(offer, answer, i, 'remote') : err('only one audio stream is supported');
    if (r.ok) {
      audio = r.value;
      streams.push({ mediaIndex: i, mediaType: o.type, accepted: true });
    } else {
      failure ??= line === undefined ? { reason: r.error } : { reason: r.error, line };
      streams.push({ mediaIndex: i, mediaType: o.type, accepted: false, reason: r.error });
    }
  }
  if (audio === undefined) return err(notAcceptable(failure?.reason ?? 'no audio stream accepted', failure?.line));
  return ok({ audio, streams });
}
