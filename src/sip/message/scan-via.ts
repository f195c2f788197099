// One via-parm (RFC 3261 §20.42, §25.1): sent-protocol LWS sent-by *( SEMI via-params ),
// found as byte ranges.
import { cls, COLON, COMMA, decimalValue, DIGIT, LWS, skipLws, SLASH, TOKEN } from './bytes.js';
import { fail, scanParams } from './scan-params.js';

export interface ViaRanges {
  protocolStart: number;
  protocolEnd: number;
  versionStart: number;
  versionEnd: number;
  transportStart: number;
  transportEnd: number;
  hostStart: number;
  hostEnd: number;
  /** -1 when absent. */
  port: number;
  paramsFrom: number;
}

export function newViaRanges(): ViaRanges {
  return {
    protocolStart: 0, protocolEnd: 0, versionStart: 0, versionEnd: 0, transportStart: 0, transportEnd: 0,
    hostStart: 0, hostEnd: 0, port: -1, paramsFrom: 0,
  };
}

const HOSTCHAR = new Uint8Array(256);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._') HOSTCHAR[c.charCodeAt(0)] = 1;

function tokenAfter(b: Uint8Array, p: number, end: number): number {
  while (p < end && (cls[b[p]!]! & TOKEN) !== 0) p++;
  return p;
}

/** Scans one via-parm from `p`; returns the position after it (at end or at `,`), or -1. */
export function scanVia(b: Uint8Array, p: number, end: number, r: ViaRanges, params: number[]): number {
  p = skipLws(b, p, end);
  r.protocolStart = p;
  p = tokenAfter(b, p, end);
  if (p === r.protocolStart) return fail('missing sent-protocol', p);
  r.protocolEnd = p;
  p = skipLws(b, p, end);
  if (p >= end || b[p] !== SLASH) return fail('expected "/" in sent-protocol', p);
  p = skipLws(b, p + 1, end);
  r.versionStart = p;
  p = tokenAfter(b, p, end);
  if (p === r.versionStart) return fail('missing protocol version', p);
  r.versionEnd = p;
  p = skipLws(b, p, end);
  if (p >= end || b[p] !== SLASH) return fail('expected "/" before transport', p);
  p = skipLws(b, p + 1, end);
  r.transportStart = p;
  p = tokenAfter(b, p, end);
  if (p === r.transportStart) return fail('missing transport', p);
  r.transportEnd = p;
  const afterTransport = p;
  p = skipLws(b, p, end);
  if (p === afterTransport) return fail('expected whitespace before sent-by', p);
  r.hostStart = p;
  if (p < end && b[p] === 0x5b) {
    // IPv6reference (RFC 3261 §25.1, RFC 5118 §4.9)
    while (p < end && b[p] !== 0x5d) p++;
    if (p >= end) return fail('unterminated IPv6 reference', r.hostStart);
    p++;
  } else {
    while (p < end && HOSTCHAR[b[p]!] === 1) p++;
  }
  if (p === r.hostStart) return fail('missing sent-by host', p);
  r.hostEnd = p;
  r.port = -1;
  p = skipLws(b, p, end);
  if (p < end && b[p] === COLON) {
    p = skipLws(b, p + 1, end);
    const ds = p;
    while (p < end && (cls[b[p]!]! & DIGIT) !== 0) p++;
    r.port = decimalValue(b, ds, p, 65535);
    if (r.port < 0) return fail('bad sent-by port', ds);
  }
  r.paramsFrom = params.length;
  p = scanParams(b, p, end, params);
  if (p < 0 || p >= end) return p;
  if (b[p] === COMMA) return p;
  return fail((cls[b[p]!]! & LWS) !== 0 ? 'unexpected whitespace' : 'expected ";", "," or end of Via value', p);
}
