// name-addr / addr-spec with header parameters (RFC 3261 §20.10, §25.1: From, To, Contact,
// Route, Record-Route, Refer-To, P-Asserted-Identity ...), found as byte ranges.
import { cls, COLON, DQUOTE, LAQUOT, LWS, quotedEnd, RAQUOT, skipLws, TOKEN, COMMA, SEMI } from './bytes.js';
import { fail, scanParams } from './scan-params.js';

/** Ranges of one name-addr; `displayStart` is -1 without a display name. */
export interface NameAddrRanges {
  displayStart: number;
  displayEnd: number;
  uriStart: number;
  uriEnd: number;
  bracketed: boolean;
  /** Index in the params array where this value's parameters start. */
  paramsFrom: number;
}

export function newNameAddrRanges(): NameAddrRanges {
  return { displayStart: -1, displayEnd: -1, uriStart: 0, uriEnd: 0, bracketed: false, paramsFrom: 0 };
}

/**
 * Scans one `(name-addr / addr-spec) *(;param)` value from `p` into `r` and `params`.
 * Returns the position after it (at `end`, or at a `,` when `list`), or -1 (see scanError).
 * `needBrackets`: Route/Record-Route/Path only allow name-addr.
 */
export function scanNameAddr(
  b: Uint8Array, p: number, end: number, r: NameAddrRanges, params: number[], needBrackets: boolean, list: boolean,
): number {
  p = skipLws(b, p, end);
  r.displayStart = -1;
  r.bracketed = false;
  if (p >= end) return fail('empty value', p);
  let c = b[p]!;
  if (c === DQUOTE) {
    const q = quotedEnd(b, p, end);
    if (q < 0) return fail('unterminated quoted display name', p);
    r.displayStart = p;
    r.displayEnd = q;
    p = skipLws(b, q, end);
    if (p >= end || b[p] !== LAQUOT) return fail('display name not followed by <uri>', p);
  } else if (c !== LAQUOT) {
    // Either `token *(LWS token) LWS? <` (display name; RFC 4475 §3.1.1.6 allows no LWS
    // before `<`) or an addr-spec, which starts with `scheme:`.
    const s = p;
    let q = p;
    while (q < end && (cls[b[q]!]! & TOKEN) !== 0) q++;
    if (q < end && b[q] === COLON && q > s) return addrSpec(b, s, end, r, params, needBrackets, list);
    let last = q;
    for (;;) {
      if (q === p) return fail('display name must be a token list or a quoted string', q);
      last = q;
      q = skipLws(b, q, end);
      if (q < end && b[q] === LAQUOT) break;
      p = q;
      while (q < end && (cls[b[q]!]! & TOKEN) !== 0) q++;
      if (q === p) return fail('display name must be a token list or a quoted string', q);
    }
    r.displayStart = s;
    r.displayEnd = last;
    p = q;
  }
  // b[p] is '<': RFC 4475 §3.1.2.14, no LWS inside the brackets.
  const us = p + 1;
  let q = us;
  while (q < end && b[q] !== RAQUOT) {
    if ((cls[b[q]!]! & LWS) !== 0) return fail('whitespace inside <uri>', q);
    q++;
  }
  if (q >= end) return fail('missing ">"', p);
  if (q === us) return fail('empty <uri>', us);
  r.uriStart = us;
  r.uriEnd = q;
  r.bracketed = true;
  r.paramsFrom = params.length;
  return afterParams(b, scanParams(b, q + 1, end, params), end, list);
}

function addrSpec(
  b: Uint8Array, p: number, end: number, r: NameAddrRanges, params: number[], needBrackets: boolean, list: boolean,
): number {
  if (needBrackets) return fail('URI must be enclosed in <>', p);
  // §20.10: without <>, a `;` starts header parameters, and `,` `?` are not allowed in the URI.
  let q = p;
  while (q < end) {
    const c = b[q]!;
    if (c === SEMI || c === COMMA || (cls[c]! & LWS) !== 0) break;
    if (c === 0x3f) return fail('URI with "?" must be enclosed in <>', q);
    q++;
  }
  r.uriStart = p;
  r.uriEnd = q;
  r.paramsFrom = params.length;
  return afterParams(b, scanParams(b, q, end, params), end, list);
}

function afterParams(b: Uint8Array, p: number, end: number, list: boolean): number {
  if (p < 0 || p >= end) return p;
  if (list && b[p] === COMMA) return p;
  return fail(list ? 'expected ";", "," or end of value' : 'expected ";" or end of value', p);
}
