// Typed parsing of the token, number and media-type headers from byte ranges.
import { utf8, ascii } from './bytes.js';
import { cls, COMMA, DIGIT, DQUOTE, LWS, quotedEnd, skipLws, SLASH, tokenEnd, decimalValue, trimEnd } from './bytes.js';
import type {
  CSeqValue, EventValue, MediaType, RAckValue, ReasonValue, ReplacesValue, RetryAfterValue,
  SessionExpiresValue, SubscriptionStateValue, TokenWithParams, WarningValue,
} from './header-types.js';
import { deltaSeconds, type ListParser } from './parse-address-headers.js';
import { paramsMap, scanError, scanParams } from './scan-params.js';

const scratch: number[] = [];
const MAX32 = 0xffffffff;

function at(reason: string, p: number): string {
  return `${reason} (offset ${p})`;
}

/** A whole value that must be a number in [0, max]. */
export function parseNumber(b: Buffer, s: number, e: number, max = MAX32): number | string {
  const q = trimEnd(b, s, e);
  const v = decimalValue(b, s, q, max);
  if (v >= 0) return v;
  let d = s;
  while (d < q && (cls[b[d]!]! & DIGIT) !== 0) d++;
  return d === q && d > s ? at(`number out of range (max ${max})`, s) : at('expected a number', s);
}

/** Comma-separated tokens (Allow, Supported, Require, Content-Encoding ...); empty is allowed. */
export const parseTokenList: ListParser<string> = (b, s, e, out) => {
  let p = skipLws(b, s, e);
  if (p >= e) return undefined;
  for (;;) {
    const t = tokenEnd(b, p, e);
    if (t === p) return at('expected a token', p);
    out.push(ascii(b, p, t));
    p = skipLws(b, t, e);
    if (p >= e) return undefined;
    if (b[p] !== COMMA) return at('expected ","', p);
    p = skipLws(b, p + 1, e);
  }
};

/** `token *(;param)`; returns the end position (at end or ",") or an error. */
function tokenParams(b: Buffer, p: number, e: number, list: boolean): { value: string; params: Map<string, string>; end: number } | string {
  p = skipLws(b, p, e);
  const t = tokenEnd(b, p, e);
  if (t === p) return at('expected a token', p);
  scratch.length = 0;
  const q = scanParams(b, t, e, scratch);
  if (q < 0) return at(scanError.reason, scanError.at);
  if (q < e && !(list && b[q] === COMMA)) return at('unexpected character', q);
  return { value: ascii(b, p, t), params: paramsMap(b, scratch, 0), end: q };
}

export function parseTokenWithParams(b: Buffer, s: number, e: number): TokenWithParams | string {
  const r = tokenParams(b, s, e, false);
  return typeof r === 'string' ? r : { value: r.value, params: r.params };
}

/** Event (RFC 6665 §8.2.1): event-type with `id`. */
export function parseEvent(b: Buffer, s: number, e: number): EventValue | string {
  const r = tokenParams(b, s, e, false);
  if (typeof r === 'string') return r;
  return { type: r.value.toLowerCase(), id: r.params.get('id'), params: r.params };
}

/** Subscription-State (RFC 6665 §8.2.3). */
export function parseSubscriptionState(b: Buffer, s: number, e: number): SubscriptionStateValue | string {
  const r = tokenParams(b, s, e, false);
  if (typeof r === 'string') return r;
  const num = (name: string): number | undefined | string => {
    const v = r.params.get(name);
    if (v === undefined) return undefined;
    const n = Number(v);
    return /^[0-9]{1,10}$/.test(v) && n <= MAX32 ? n : `bad ${name} parameter`;
  };
  const expires = num('expires');
  const retryAfter = num('retry-after');
  if (typeof expires === 'string') return expires;
  if (typeof retryAfter === 'string') return retryAfter;
  return { state: r.value.toLowerCase(), expires, reason: r.params.get('reason'), retryAfter, params: r.params };
}

/** Session-Expires / Min-SE (RFC 4028): delta-seconds *(;param). */
export function parseSessionExpires(b: Buffer, s: number, e: number): SessionExpiresValue | string {
  const r = tokenParams(b, s, e, false);
  if (typeof r === 'string') return r;
  const seconds = deltaSeconds(r.value);
  if (seconds === undefined) return at('delta-seconds must be a number up to 2^32-1', s);
  return { seconds, refresher: r.params.get('refresher'), params: r.params };
}

/** CSeq (RFC 3261 §20.16): 32-bit number LWS method. */
export function parseCSeq(b: Buffer, s: number, e: number): CSeqValue | string {
  const p = skipLws(b, s, e);
  let d = p;
  while (d < e && (cls[b[d]!]! & DIGIT) !== 0) d++;
  const seq = decimalValue(b, p, d, MAX32);
  if (seq < 0) return at(d > p ? 'sequence number larger than 2^32-1' : 'missing sequence number', p);
  const m = skipLws(b, d, e);
  if (m === d) return at('expected whitespace after the sequence number', d);
  const t = tokenEnd(b, m, e);
  if (t === m) return at('missing method', m);
  if (skipLws(b, t, e) !== e) return at('unexpected text after the method', t);
  return { seq, method: ascii(b, m, t) };
}

/** RAck (RFC 3262 §7.2): response-num LWS CSeq-num LWS Method. */
export function parseRAck(b: Buffer, s: number, e: number): RAckValue | string {
  const p = skipLws(b, s, e);
  let d = p;
  while (d < e && (cls[b[d]!]! & DIGIT) !== 0) d++;
  const rseq = decimalValue(b, p, d, MAX32);
  if (rseq < 0 || d === e || (cls[b[d]!]! & LWS) === 0) return at('bad response number', p);
  const rest = parseCSeq(b, d, e);
  return typeof rest === 'string' ? rest : { rseq, cseq: rest.seq, method: rest.method };
}

/** media-type = type "/" subtype *(;param), one element of Content-Type or Accept. */
function mediaType(b: Buffer, p: number, e: number, list: boolean, out: MediaType[]): number | string {
  p = skipLws(b, p, e);
  const t = tokenEnd(b, p, e);
  if (t === p) return at('expected a media type', p);
  let q = skipLws(b, t, e);
  if (q >= e || b[q] !== SLASH) return at('expected "/" in media type', q);
  q = skipLws(b, q + 1, e);
  const u = tokenEnd(b, q, e);
  if (u === q) return at('expected a media subtype', q);
  scratch.length = 0;
  const r = scanParams(b, u, e, scratch);
  if (r < 0) return at(scanError.reason, scanError.at);
  if (r < e && !(list && b[r] === COMMA)) return at('unexpected character', r);
  out.push({ type: ascii(b, p, t).toLowerCase(), subtype: ascii(b, q, u).toLowerCase(), params: paramsMap(b, scratch, 0) });
  return r;
}

export function parseMediaType(b: Buffer, s: number, e: number): MediaType | string {
  const out: MediaType[] = [];
  const r = mediaType(b, s, e, false, out);
  return typeof r === 'string' ? r : out[0]!;
}

/** Accept (RFC 3261 §20.1): media ranges; an empty value is allowed. */
export const parseAcceptList: ListParser<MediaType> = (b, s, e, out) => {
  let p = skipLws(b, s, e);
  while (p < e) {
    const r = mediaType(b, p, e, true, out);
    if (typeof r === 'string') return r;
    p = r < e ? r + 1 : r;
  }
  return undefined;
};

/** Replaces (RFC 3891 §6.1): callid *(;to-tag / from-tag / early-only / generic). */
export function parseReplaces(b: Buffer, s: number, e: number): ReplacesValue | string {
  const p = skipLws(b, s, e);
  let q = p;
  while (q < e && b[q] !== 0x3b && (cls[b[q]!]! & LWS) === 0) q++;
  if (q === p) return at('missing Call-ID', p);
  scratch.length = 0;
  const r = scanParams(b, q, e, scratch);
  if (r < 0) return at(scanError.reason, scanError.at);
  if (r < e) return at('unexpected character', r);
  const params = paramsMap(b, scratch, 0);
  const toTag = params.get('to-tag');
  const fromTag = params.get('from-tag');
  if (toTag === undefined || fromTag === undefined) return 'Replaces needs to-tag and from-tag';
  return { callId: utf8(b, p, q), toTag, fromTag, earlyOnly: params.has('early-only'), params };
}

/** Retry-After (RFC 3261 §20.33): delta-seconds [comment] *(;param). */
export function parseRetryAfter(b: Buffer, s: number, e: number): RetryAfterValue | string {
  const p = skipLws(b, s, e);
  let d = p;
  while (d < e && (cls[b[d]!]! & DIGIT) !== 0) d++;
  const seconds = decimalValue(b, p, d, MAX32);
  if (seconds < 0) return at(d > p ? 'delta-seconds larger than 2^32-1' : 'expected delta-seconds', p);
  let q = skipLws(b, d, e);
  let comment: string | undefined;
  if (q < e && b[q] === 0x28) {
    let depth = 0;
    const cs = q;
    for (; q < e; q++) {
      if (b[q] === 0x28) depth++;
      else if (b[q] === 0x29 && --depth === 0) break;
    }
    if (q >= e) return at('unterminated comment', cs);
    comment = utf8(b, cs + 1, q);
    q++;
  }
  scratch.length = 0;
  const r = scanParams(b, q, e, scratch);
  if (r < 0) return at(scanError.reason, scanError.at);
  if (r < e) return at('unexpected character', r);
  const params = paramsMap(b, scratch, 0);
  const dur = params.get('duration');
  const duration = dur === undefined ? undefined : Number(dur);
  if (duration !== undefined && !(Number.isInteger(duration) && duration <= MAX32 && /^[0-9]+$/.test(dur!))) return 'bad duration parameter';
  return { seconds, comment, duration, params };
}

/** Reason (RFC 3326 §2): protocol *(;cause / ;text / generic), comma-separated. */
export const parseReasonList: ListParser<ReasonValue> = (b, s, e, out) => {
  let p = s;
  for (;;) {
    const r = tokenParams(b, p, e, true);
    if (typeof r === 'string') return r;
    const c = r.params.get('cause');
    const cause = c === undefined ? undefined : Number(c);
    if (cause !== undefined && !/^[0-9]{1,5}$/.test(c!)) return 'bad cause parameter';
    out.push({ protocol: r.value, cause, text: r.params.get('text'), params: r.params });
    if (r.end >= e) return undefined;
    p = r.end + 1;
  }
};

/** Warning (RFC 3261 §20.43): 3DIGIT SP warn-agent SP quoted-string, comma-separated. */
export const parseWarningList: ListParser<WarningValue> = (b, s, e, out) => {
  let p = skipLws(b, s, e);
  for (;;) {
    let d = p;
    while (d < e && (cls[b[d]!]! & DIGIT) !== 0) d++;
    if (d - p !== 3) return at('warn-code must be 3 digits', p);
    const a = skipLws(b, d, e);
    let ae = a;
    while (ae < e && (cls[b[ae]!]! & LWS) === 0) ae++;
    if (a === d || ae === a) return at('missing warn-agent', a);
    const t = skipLws(b, ae, e);
    if (t >= e || b[t] !== DQUOTE) return at('missing warn-text', t);
    const te = quotedEnd(b, t, e);
    if (te < 0) return at('unterminated warn-text', t);
    out.push({ code: decimalValue(b, p, d, 999), agent: utf8(b, a, ae), text: utf8(b, t + 1, te - 1) });
    p = skipLws(b, te, e);
    if (p >= e) return undefined;
    if (b[p] !== COMMA) return at('expected ","', p);
    p = skipLws(b, p + 1, e);
  }
};
