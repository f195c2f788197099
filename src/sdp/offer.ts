/** createOffer (RFC 3264 §5, §8): initial offers and re-offers, hold included. */
import { mediaFormats } from './attributes.js';
import { audioMedia, rejectedMedia, sessionFor, type FormatLine } from './build.js';
import { defaultSrtpSuites, sameCodec, type LocalCapabilities } from './capabilities.js';
import { mediaCryptos, newCrypto, systemRandom, type SdesCrypto } from './crypto.js';
import { staticNumberOf } from './static-payload-types.js';
import type { Direction, SdpMedia, SessionDescription } from './types.js';

/**
 * RFC 6337 §5: the direction to offer. We hold → sendonly (inactive if the remote holds us too);
 * only the remote holds → recvonly; neither → sendrecv.
 */
export function holdDirection(localHold: boolean, remoteHold: boolean): Direction {
  if (localHold) return remoteHold ? 'inactive' : 'sendonly';
  return remoteHold ? 'recvonly' : 'sendrecv';
}

/** The formats we offer, with numbers kept from `previous` (RFC 3264 §8.3.2: a number keeps its codec). */
export function offerFormats(local: LocalCapabilities, previous?: SdpMedia): FormatLine[] {
  const wanted: FormatLine[] = local.codecs.map((c) => {
    const f: FormatLine = { payloadType: -1, encoding: c.encoding, clockRate: c.clockRate, channels: c.channels ?? 1 };
    if (c.fmtp !== undefined) f.fmtp = c.fmtp;
    return f;
  });
  const preferred = local.codecs.map((c) => c.payloadType);
  if (local.telephoneEvent !== false) {
    const te = local.telephoneEvent ?? {};
    wanted.push({ payloadType: -1, encoding: 'telephone-event', clockRate: 8000, channels: 1, fmtp: te.events ?? '0-16' });
    preferred.push(te.payloadType ?? 101);
  }
  const before = previous === undefined ? [] : mediaFormats(previous);
  const used = new Set<number>(before.map((f) => f.payloadType));
  for (const f of wanted) {
    const kept = before.find((b) => sameCodec(b, f))?.payloadType;
    const fixed = kept ?? staticNumberOf(f.encoding, f.clockRate, f.channels);
    if (fixed !== undefined) {
      f.payloadType = fixed;
      used.add(fixed);
    }
  }
  wanted.forEach((f, i) => {
    if (f.payloadType >= 0) return;
    const p = preferred[i];
    let pt = p !== undefined && p >= 96 && p <= 127 && !used.has(p) ? p : 96;
    while (used.has(pt)) pt++;
    if (pt > 127) throw new Error('more dynamic codecs than RTP dynamic payload types');
    f.payloadType = pt;
    used.add(pt);
  });
  return wanted;
}

/** Crypto lines to offer: keys kept from `previous` per suite so an unchanged re-offer stays unchanged. */
function offerCryptos(local: LocalCapabilities, previous?: SdpMedia): SdesCrypto[] {
  if (local.srtp === 'off') return [];
  const before = previous === undefined ? [] : mediaCryptos(previous);
  const usedTags = new Set(before.map((c) => c.tag));
  const out: SdesCrypto[] = [];
  let nextTag = 1;
  for (const suite of local.srtpSuites ?? defaultSrtpSuites) {
    const kept = before.find((c) => c.suite === suite);
    if (kept !== undefined) {
      out.push(kept);
      continue;
    }
    while (usedTags.has(nextTag)) nextTag++;
    usedTags.add(nextTag);
    out.push(newCrypto(nextTag, suite, local.random ?? systemRandom));
  }
  return out;
}

/**
 * An offer for one audio stream. With `previous` (our last offer or answer in this dialog) it is a
 * re-offer: same session id, every earlier m= line kept in place (unused ones with port 0), payload
 * numbers and keys kept, o= version raised only if something changed (RFC 3264 §8).
 */
export function createOffer(local: LocalCapabilities, previous?: SessionDescription): SessionDescription {
  const prevMedia = previous?.media ?? [];
  let audioIndex = prevMedia.findIndex((m) => m.type === 'audio' && m.port !== 0);
  if (audioIndex < 0) audioIndex = prevMedia.findIndex((m) => m.type === 'audio');
  const prevAudio = audioIndex >= 0 ? prevMedia[audioIndex] : undefined;
  const spec = {
    port: local.port,
    // RFC 4568 / common practice: "optional" offers RTP/AVP with a=crypto (best-effort SDES).
    proto: local.srtp === 'mandatory' ? 'RTP/SAVP' : 'RTP/AVP',
    formats: offerFormats(local, prevAudio),
    rtcpMux: local.rtcpMux ?? true,
    cryptos: offerCryptos(local, prevAudio),
    direction: local.direction ?? 'sendrecv',
    ...(local.ptime !== undefined ? { ptime: local.ptime } : {}),
    ...(local.maxptime !== undefined ? { maxptime: local.maxptime } : {}),
    ...(local.rtcpPort !== undefined ? { rtcpPort: local.rtcpPort } : {}),
  };
  const audio = audioMedia(spec);
  const media = prevMedia.map((m, i) => (i === audioIndex ? audio : rejectedMedia(m)));
  if (audioIndex < 0) media.push(audio);
  return sessionFor(local, media, previous);
}
