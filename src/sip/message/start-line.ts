// Start line of a request or response (RFC 3261 §7.1, §7.2, §25.1).
import { ascii } from './bytes.js';
import { cls, decimalValue, DIGIT, matchesLower, SP, HT, TOKEN } from './bytes.js';

/** Result of scanning a start line: fills `line`, returns '' or the fault (with `line.at`). */
export interface StartLine {
  isRequest: boolean;
  methodEnd: number;
  uriStart: number;
  uriEnd: number;
  status: number;
  reasonStart: number;
  reasonEnd: number;
  /** On failure: where, and the response status a server should send (0 = drop). */
  at: number;
  status4xx5xx: number;
}

export function newStartLine(): StartLine {
  return { isRequest: false, methodEnd: 0, uriStart: 0, uriEnd: 0, status: 0, reasonStart: 0, reasonEnd: 0, at: 0, status4xx5xx: 0 };
}

function bad(line: StartLine, at: number, status: number, reason: string): string {
  line.at = at;
  line.status4xx5xx = status;
  return reason;
}

/** `SIP/` 1*DIGIT "." 1*DIGIT from p; returns the end, or -1. Sets `isTwoZero`. */
function version(b: Uint8Array, p: number, end: number, out: { twoZero: boolean }): number {
  if (!matchesLower(b, p, end, 'sip/')) return -1;
  let q = p + 4;
  const ms = q;
  while (q < end && (cls[b[q]!]! & DIGIT) !== 0) q++;
  if (q === ms || q >= end || b[q] !== 0x2e) return -1;
  const ns = ++q;
  while (q < end && (cls[b[q]!]! & DIGIT) !== 0) q++;
  if (q === ns) return -1;
  out.twoZero = q - ms === 3 && b[ms] === 0x32 && b[ns] === 0x30;
  return q;
}

const ver = { twoZero: false };

/** Scans `b[p, le)` (the line without its CRLF). */
export function scanStartLine(b: Uint8Array, p: number, le: number, line: StartLine): string {
  if (matchesLower(b, p, le, 'sip/')) {
    line.isRequest = false;
    line.methodEnd = line.uriStart = line.uriEnd = 0;
    const v = version(b, p, le, ver);
    if (v < 0 || v >= le || b[v] !== SP) return bad(line, p, 0, 'bad SIP-Version in Status-Line');
    if (!ver.twoZero) return bad(line, p, 0, 'unsupported SIP-Version in Status-Line');
    let q = v + 1;
    const ds = q;
    while (q < le && (cls[b[q]!]! & DIGIT) !== 0) q++;
    const code = q - ds === 3 ? decimalValue(b, ds, q, 699) : -1;
    if (code < 100) return bad(line, ds, 0, 'Status-Code must be 3 digits from 100 to 699');
    line.status = code;
    // RFC 4475 §3.1.1.13: the SP before an empty Reason-Phrase may be missing; accept.
    if (q < le && b[q] !== SP) return bad(line, q, 0, 'expected SP after Status-Code');
    line.reasonStart = q < le ? q + 1 : q;
    line.reasonEnd = le;
    return '';
  }
  line.isRequest = true;
  line.status = line.reasonStart = line.reasonEnd = 0;
  let q = p;
  while (q < le && (cls[b[q]!]! & TOKEN) !== 0) q++;
  if (q === p) return bad(line, p, 400, 'Request-Line does not start with a method token');
  if (q >= le || b[q] !== SP) return bad(line, q, 400, 'expected SP after the method');
  line.methodEnd = q;
  const us = q + 1;
  if (us < le && (b[us] === SP || b[us] === HT)) return bad(line, us, 400, 'extra whitespace in Request-Line');
  // RFC 4475 §3.1.2.7: reject `<sip:...>` as Request-URI.
  if (us < le && b[us] === 0x3c) return bad(line, us, 400, 'Request-URI enclosed in "<>"');
  let ue = us;
  while (ue < le && b[ue] !== SP && b[ue] !== HT) ue++;
  if (ue === us || ue >= le) return bad(line, us, 400, 'missing Request-URI or SIP-Version');
  line.uriStart = us;
  line.uriEnd = ue;
  const vs = ue + 1;
  if (vs < le && (b[vs] === SP || b[vs] === HT)) return bad(line, vs, 400, 'extra whitespace in Request-Line');
  const v = version(b, vs, le, ver);
  if (v < 0) {
    let w = vs;
    while (w < le && b[w] !== SP) w++;
    return w < le
      ? bad(line, ue, 400, 'whitespace inside the Request-URI')
      : bad(line, vs, 400, 'bad SIP-Version in Request-Line');
  }
  if (v < le) {
    return b[v] === SP || b[v] === HT
      ? bad(line, v, 400, 'trailing whitespace in Request-Line')
      : bad(line, v, 400, 'bad SIP-Version in Request-Line');
  }
  if (!ver.twoZero) return bad(line, vs, 505, 'unsupported SIP-Version');
  return '';
}

const knownMethods = ['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'PRACK', 'SUBSCRIBE', 'NOTIFY', 'PUBLISH', 'INFO', 'REFER', 'MESSAGE', 'UPDATE'];
const knownBytes = knownMethods.map((m) => Buffer.from(m, 'latin1'));

/** Method text of `b[p, q)`; the standard methods come from a table (no new string). */
export function methodText(b: Buffer, p: number, q: number): string {
  const len = q - p;
  for (let k = 0; k < knownBytes.length; k++) {
    const m = knownBytes[k]!;
    if (m.length !== len || m[0] !== b[p]) continue;
    let i = 1;
    while (i < len && m[i] === b[p + i]) i++;
    if (i === len) return knownMethods[k]!;
  }
  return ascii(b, p, q);
}

/** True for methods defined by RFC 3261 and its extensions that Handset knows. */
export function isKnownMethod(method: string): boolean {
  return knownMethods.includes(method);
}
