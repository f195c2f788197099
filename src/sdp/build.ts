/** Building blocks shared by createOffer and createAnswer. */
import { formatCrypto, systemRandom, type RandomSource, type SdesCrypto } from './crypto.js';
import type { LocalCapabilities } from './capabilities.js';
import { serializeSdp } from './serialize.js';
import type { Direction, SdpAttribute, SdpConnection, SdpMedia, SessionDescription } from './types.js';

export const addrTypeOf = (address: string): string => (address.includes(':') ? 'IP6' : 'IP4');

export const connectionOf = (address: string): SdpConnection => ({ netType: 'IN', addrType: addrTypeOf(address), address });

/** A payload format we write into an m= line. */
export interface FormatLine {
  payloadType: number;
  encoding: string;
  clockRate: number;
  channels: number;
  fmtp?: string;
}

export interface AudioMediaSpec {
  port: number;
  proto: string;
  formats: FormatLine[];
  ptime?: number;
  maxptime?: number;
  rtcpPort?: number;
  rtcpMux: boolean;
  cryptos: SdesCrypto[];
  direction: Direction;
}

/** The audio m= section: rtpmap (+fmtp) per format, then ptime, rtcp, rtcp-mux, crypto, direction. */
export function audioMedia(spec: AudioMediaSpec): SdpMedia {
  const attributes: SdpAttribute[] = [];
  for (const f of spec.formats) {
    // RFC 3264 §5.1/§6.1: rtpmap for dynamic types, and (SHOULD) for static ones too.
    const channels = f.channels === 1 ? '' : `/${f.channels}`;
    attributes.push({ name: 'rtpmap', value: `${f.payloadType} ${f.encoding}/${f.clockRate}${channels}` });
    if (f.fmtp !== undefined) attributes.push({ name: 'fmtp', value: `${f.payloadType} ${f.fmtp}` });
  }
  if (spec.ptime !== undefined) attributes.push({ name: 'ptime', value: `${spec.ptime}` });
  if (spec.maxptime !== undefined) attributes.push({ name: 'maxptime', value: `${spec.maxptime}` });
  // RFC 3605 §2.1: only needed when RTCP is not on port + 1; kept beside rtcp-mux for a peer that
  // declines multiplexing (RFC 5761 §5.1.1).
  if (spec.rtcpPort !== undefined && spec.rtcpPort !== spec.port + 1) attributes.push({ name: 'rtcp', value: `${spec.rtcpPort}` });
  if (spec.rtcpMux) attributes.push({ name: 'rtcp-mux' });
  for (const c of spec.cryptos) attributes.push({ name: 'crypto', value: formatCrypto(c) });
  attributes.push({ name: spec.direction });
  return { type: 'audio', port: spec.port, proto: spec.proto, formats: spec.formats.map((f) => `${f.payloadType}`), connections: [], bandwidths: [], attributes };
}

/** RFC 3264 §6/§8: a refused or unused stream keeps its place with port 0. */
export function rejectedMedia(m: SdpMedia): SdpMedia {
  return { type: m.type, port: 0, proto: m.proto, formats: [...m.formats], connections: [], bandwidths: [], attributes: [] };
}

function newSessionId(random: RandomSource): string {
  // 62 bits keep it positive and well inside what every peer's parser accepts.
  const b = random(8);
  return (b.readBigUInt64BE(0) >> 2n).toString();
}

/**
 * The session skeleton. With `previous` (our last description in this session) the session id is kept
 * and the version goes up by one only if the body changed (RFC 3264 §8, RFC 8866 §5.2).
 */
export function sessionFor(local: LocalCapabilities, media: SdpMedia[], previous?: SessionDescription): SessionDescription {
  const sd: SessionDescription = {
    origin: {
      username: previous?.origin.username ?? local.username ?? '-',
      sessionId: previous?.origin.sessionId ?? newSessionId(local.random ?? systemRandom),
      sessionVersion: previous?.origin.sessionVersion ?? '1',
      netType: 'IN',
      addrType: addrTypeOf(local.address),
      address: local.address,
    },
    sessionName: local.sessionName ?? 'Handset',
    emails: [], phones: [], bandwidths: [],
    connection: connectionOf(local.address),
    timings: [{ start: '0', stop: '0', repeats: [] }],
    attributes: [],
    media,
  };
  if (previous !== undefined && serializeSdp(sd) !== serializeSdp({ ...previous, origin: { ...previous.origin, sessionVersion: sd.origin.sessionVersion } })) {
    sd.origin.sessionVersion = (BigInt(previous.origin.sessionVersion) + 1n).toString();
  }
  return sd;
}
