/** Typed readers for the media attributes the phone needs (values come from parseSdp, so never throw). */
import { err, ok, type Result } from '../util/index.js';
import { staticPayloadType } from './static-payload-types.js';
import { decimal, fields, isToken, splitFirst } from './tokens.js';
import type { Direction, SdpAttribute, SdpConnection, SdpMedia, SessionDescription } from './types.js';

/** a=rtpmap:<payload type> <encoding name>/<clock rate>[/<channels>] (RFC 8866 §6.6). */
export interface Rtpmap {
  payloadType: number;
  encoding: string;
  clockRate: number;
  channels: number;
}

export function parseRtpmap(value: string): Result<Rtpmap> {
  const f = fields(value);
  if (f.length !== 2) return err('rtpmap: expected "<pt> <encoding>/<rate>[/<channels>]"');
  const payloadType = decimal(f[0]!, 127);
  if (payloadType === undefined) return err('rtpmap: payload type is not a number 0-127');
  const parts = f[1]!.split('/');
  if (parts.length < 2 || parts.length > 3 || parts[0]!.length === 0) return err('rtpmap: expected "<encoding>/<rate>[/<channels>]"');
  const clockRate = decimal(parts[1]!, 0xffffffff);
  if (clockRate === undefined || clockRate === 0) return err('rtpmap: clock rate is not a positive number');
  const channels = parts.length === 3 ? decimal(parts[2]!, 255) : 1;
  if (channels === undefined || channels === 0) return err('rtpmap: channel count is not a positive number');
  return ok({ payloadType, encoding: parts[0]!, clockRate, channels });
}

/** a=fmtp:<format> <format specific parameters> (RFC 8866 §6.15). */
export interface Fmtp {
  format: string;
  params: string;
}

export function parseFmtp(value: string): Result<Fmtp> {
  const [format, rest] = splitFirst(value, ' ');
  if (format.length === 0) return err('fmtp: missing format');
  return ok({ format, params: (rest ?? '').trim() });
}

/** "a=1;b=2" → [['a','1'],['b','2']] (keys lower-cased; bare flags get ''). */
export function fmtpParameters(params: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const part of params.split(';')) {
    const p = part.trim();
    if (p.length === 0) continue;
    const [k, v] = splitFirst(p, '=');
    out.push([k.trim().toLowerCase(), (v ?? '').trim()]);
  }
  return out;
}

/** RFC 4733 §2.4.1 event list "0-15,66": sorted, de-duplicated event codes 0-255. */
export function parseTelephoneEvents(params: string): Result<number[]> {
  const set = new Set<number>();
  for (const raw of params.split(',')) {
    const item = raw.trim();
    if (item.length === 0) continue;
    const [a, b] = splitFirst(item, '-');
    const lo = decimal(a.trim(), 255);
    const hi = b === undefined ? lo : decimal(b.trim(), 255);
    if (lo === undefined || hi === undefined || hi < lo) return err(`telephone-event: bad event range "${item}"`);
    for (let e = lo; e <= hi; e++) set.add(e);
  }
  return ok([...set].sort((x, y) => x - y));
}

/** Events back to the compact list form: [0..16] → "0-16". */
export function formatTelephoneEvents(events: readonly number[]): string {
  const sorted = [...new Set(events)].sort((x, y) => x - y);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** a=rtcp:<port> [<nettype> <addrtype> <address>] (RFC 3605 §2.1). */
export interface RtcpAttribute {
  port: number;
  connection?: SdpConnection;
}

export function parseRtcpAttribute(value: string): Result<RtcpAttribute> {
  const f = fields(value);
  const port = decimal(f[0] ?? '', 65535);
  if (port === undefined) return err('rtcp: port is not a number 0-65535');
  if (f.length === 1) return ok({ port });
  if (f.length !== 4) return err('rtcp: expected "<port> IN <IP4|IP6> <address>"');
  return ok({ port, connection: { netType: f[1]!, addrType: f[2]!, address: f[3]! } });
}

/** a=ptime / a=maxptime (RFC 8866 §6.4, §6.5): milliseconds > 0; "20.0" is tolerated. */
export function parseMilliseconds(value: string): Result<number> {
  const [whole, frac] = splitFirst(value.trim(), '.');
  const n = decimal(whole, 100000);
  if (n === undefined || n === 0 || (frac !== undefined && decimal(frac) === undefined)) return err('not a positive number of milliseconds');
  return ok(n);
}

/** The m= line's a=ptime or a=maxptime in milliseconds, if present and valid. */
export function mediaMilliseconds(media: SdpMedia, name: 'ptime' | 'maxptime'): number | undefined {
  const v = attributeValues(media.attributes, name)[0];
  const r = v === undefined ? undefined : parseMilliseconds(v);
  return r?.ok ? r.value : undefined;
}

/**
 * Checks the syntax of the attributes the phone interprets, so a broken one is reported with its line
 * by parseSdp. Unknown attributes are not checked (RFC 8866 §5.13: ignore what you do not understand).
 */
export function attributeFault(a: SdpAttribute): string | undefined {
  const v = a.value ?? '';
  let r: Result<unknown> | undefined;
  switch (a.name.toLowerCase()) {
    case 'rtpmap': r = parseRtpmap(v); break;
    case 'fmtp': r = parseFmtp(v); break;
    case 'rtcp': r = parseRtcpAttribute(v); break;
    case 'ptime': case 'maxptime': {
      const p = parseMilliseconds(v);
      r = p.ok ? p : err(`${a.name}: ${p.error}`);
      break;
    }
    case 'crypto': {
      const f = fields(v);
      r = f.length >= 3 && decimal(f[0]!, 999999999) !== undefined && isToken(f[1]!) ? ok(null) : err('crypto: expected "<tag> <crypto-suite> <key-params>"');
      break;
    }
    default: return undefined;
  }
  return r.ok ? undefined : r.error;
}

/** Values of all attributes called `name` (case-insensitive), in order. */
export function attributeValues(attrs: readonly SdpAttribute[], name: string): string[] {
  const n = name.toLowerCase();
  const out: string[] = [];
  for (const a of attrs) if (a.name.toLowerCase() === n) out.push(a.value ?? '');
  return out;
}

export function hasAttribute(attrs: readonly SdpAttribute[], name: string): boolean {
  const n = name.toLowerCase();
  return attrs.some((a) => a.name.toLowerCase() === n);
}

const directions: readonly Direction[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

function directionIn(attrs: readonly SdpAttribute[]): Direction | undefined {
  let found: Direction | undefined;
  for (const a of attrs) {
    const n = a.name.toLowerCase() as Direction;
    if (directions.includes(n)) found = n;
  }
  return found;
}

/** RFC 3264 §5.1: media-level direction, else session-level, else sendrecv. */
export function mediaDirection(media: SdpMedia, session: SessionDescription): Direction {
  return directionIn(media.attributes) ?? directionIn(session.attributes) ?? 'sendrecv';
}

/** RFC 8866 §5.7: the media's own c= line, else the session's. */
export function mediaConnection(media: SdpMedia, session: SessionDescription): SdpConnection | undefined {
  return media.connections[0] ?? session.connection;
}

/** RFC 3264 §8.4 (old hold form): c=0.0.0.0 means "do not send to me". */
export function isNullConnection(c: SdpConnection | undefined): boolean {
  return c !== undefined && (c.address === '0.0.0.0' || c.address === '::');
}

/** One payload format of an RTP m= line: its rtpmap, else the RFC 3551 static mapping; plus its fmtp. */
export interface MediaFormat {
  payloadType: number;
  encoding: string;
  clockRate: number;
  channels: number;
  fmtp?: string;
}

/** The m= line's formats in their listed order; formats without a known mapping are left out. */
export function mediaFormats(media: SdpMedia): MediaFormat[] {
  const maps = new Map<number, Rtpmap>();
  for (const v of attributeValues(media.attributes, 'rtpmap')) {
    const r = parseRtpmap(v);
    if (r.ok && !maps.has(r.value.payloadType)) maps.set(r.value.payloadType, r.value);
  }
  const fmtps = new Map<string, string>();
  for (const v of attributeValues(media.attributes, 'fmtp')) {
    const r = parseFmtp(v);
    if (r.ok && !fmtps.has(r.value.format)) fmtps.set(r.value.format, r.value.params);
  }
  const out: MediaFormat[] = [];
  for (const f of media.formats) {
    const pt = decimal(f, 127);
    if (pt === undefined) continue;
    const m = maps.get(pt) ?? staticPayloadType(pt);
    if (m === undefined) continue;
    const fmtp = fmtps.get(f);
    const format: MediaFormat = { payloadType: pt, encoding: m.encoding, clockRate: m.clockRate, channels: m.channels };
    if (fmtp !== undefined) format.fmtp = fmtp;
    out.push(format);
  }
  return out;
}

export const isTelephoneEvent = (f: { encoding: string }): boolean => f.encoding.toLowerCase() === 'telephone-event';
export const isComfortNoise = (f: { encoding: string }): boolean => f.encoding.toUpperCase() === 'CN';
/** Formats that carry no voice of their own (events, comfort noise, redundancy) and never become the send codec. */
export const isAuxiliary = (f: { encoding: string }): boolean => isTelephoneEvent(f) || isComfortNoise(f) || f.encoding.toLowerCase() === 'red';
