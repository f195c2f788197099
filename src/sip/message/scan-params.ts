// Header parameters (`;name[=value]`, RFC 3261 §25.1 generic-param) found as byte ranges, so
// the eager scan can pick one parameter (tag, branch) without building a map or strings.
import { utf8, ascii } from './bytes.js';
import { cls, DQUOTE, EQUAL, PVALUE, quotedEnd, SEMI, skipLws, TOKEN, BACKSLASH } from './bytes.js';

/** Why the last scan failed (set when a scanner returns -1). */
export const scanError = { reason: '', at: 0 };

/**
 * Splits a typed parser's reason `... (offset N)` into the words and the offset (the parsers
 * append where they stopped; callers report the offset apart).
 */
export function splitOffset(reason: string): { reason: string; offset: number | undefined } {
  const k = reason.lastIndexOf(' (offset ');
  if (k < 0 || !reason.endsWith(')')) return { reason, offset: undefined };
  const n = Number(reason.slice(k + 9, -1));
  return Number.isInteger(n) ? { reason: reason.slice(0, k), offset: n } : { reason, offset: undefined };
}

export function fail(reason: string, at: number): number {
  scanError.reason = reason;
  scanError.at = at;
  return -1;
}

/**
 * Scans `*( LWS ";" LWS name [ LWS "=" LWS value ] )` from `p`. Pushes four numbers per
 * parameter into `out`: name start/end, value start/end (-1/-1 when there is no value; a
 * quoted value's range includes its quotes). Returns the position after the last parameter
 * and any LWS, or -1 (see `scanError`).
 */
export function scanParams(b: Uint8Array, p: number, end: number, out: number[]): number {
  for (;;) {
    p = skipLws(b, p, end);
    if (p >= end || b[p] !== SEMI) return p;
    p = skipLws(b, p + 1, end);
    const ns = p;
    while (p < end && (cls[b[p]!]! & TOKEN) !== 0) p++;
    if (p === ns) return fail('empty parameter', ns);
    const ne = p;
    p = skipLws(b, p, end);
    if (p < end && b[p] === EQUAL) {
      p = skipLws(b, p + 1, end);
      const vs = p;
      if (p < end && b[p] === DQUOTE) {
        p = quotedEnd(b, p, end);
        if (p < 0) return fail('unterminated quoted parameter value', vs);
      } else {
        while (p < end && (cls[b[p]!]! & PVALUE) !== 0) p++;
        if (p === vs) return fail('parameter without value after "="', vs);
      }
      out.push(ns, ne, vs, p);
    } else out.push(ns, ne, -1, -1);
  }
}

/** Index in `out` (multiple of 4, from `from`) of the parameter named `lower`, or -1. */
export function findParam(b: Uint8Array, out: readonly number[], from: number, lower: string): number {
  const n = lower.length;
  outer: for (let i = from; i < out.length; i += 4) {
    const s = out[i]!;
    if (out[i + 1]! - s !== n) continue;
    for (let k = 0; k < n; k++) if ((b[s + k]! | 0x20) !== lower.charCodeAt(k)) continue outer;
    return i;
  }
  return -1;
}

/** Text of a quoted string `b[p, q)` (quotes included in the range) without quotes and quoted-pairs. */
export function unquote(b: Buffer, p: number, q: number): string {
  let s = p + 1;
  const e = q - 1;
  let i = s;
  while (i < e && b[i] !== BACKSLASH) i++;
  if (i === e) return utf8(b, s, e);
  const parts: number[] = [];
  for (i = s; i < e; i++) {
    if (b[i] === BACKSLASH) i++;
    parts.push(b[i]!);
  }
  return Buffer.from(parts).toString('utf8');
}

/** A value range as text: quoted strings unquoted, tokens as written. Empty for a missing value. */
export function valueText(b: Buffer, vs: number, ve: number): string {
  if (vs < 0) return '';
  return b[vs] === DQUOTE ? unquote(b, vs, ve) : utf8(b, vs, ve);
}

// Common parameter names by length, so reading them makes no new string.
const commonNames: string[][] = [];
for (const n of ['tag', 'branch', 'rport', 'received', 'maddr', 'ttl', 'lr', 'transport', 'user', 'expires', 'q',
  '+sip.instance', 'reg-id', 'pub-gruu', 'temp-gruu', 'refresher', 'id', 'reason', 'retry-after', 'purpose',
  'handling', 'duration', 'cause', 'text', 'boundary', 'charset', 'method', 'ftag', 'ob', 'gr',
  // auth-params (RFC 3261 §25.1, RFC 7616 §3.3-3.5)
  'realm', 'nonce', 'username', 'uri', 'response', 'algorithm', 'cnonce', 'opaque', 'qop', 'nc', 'stale', 'domain',
  'nextnonce', 'rspauth', 'userhash']) {
  (commonNames[n.length] ??= []).push(n);
}

/** Lowercased name of `b[s, e)` (token chars), from the common-name table when it is there. */
export function paramName(b: Buffer, s: number, e: number): string {
  const bucket = commonNames[e - s];
  if (bucket !== undefined) {
    next: for (const n of bucket) {
      for (let k = 0; k < n.length; k++) if ((b[s + k]! | 0x20) !== n.charCodeAt(k)) continue next;
      return n;
    }
  }
  return ascii(b, s, e).toLowerCase();
}

/** Parameters from `out[from..]` as a map: lowercased names, unquoted values ('' when absent). */
export function paramsMap(b: Buffer, out: readonly number[], from: number): Map<string, string> {
  const m = new Map<string, string>();
  for (let i = from; i < out.length; i += 4) {
    const name = paramName(b, out[i]!, out[i + 1]!);
    if (!m.has(name)) m.set(name, valueText(b, out[i + 2]!, out[i + 3]!));
  }
  return m;
}
