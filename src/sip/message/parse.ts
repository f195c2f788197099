// The message parser (RFC 3261 §7, §18.3, §25): one pass over the bytes finds every header
// boundary; the headers a transaction needs (top Via, From/To tag, Call-ID, CSeq,
// Content-Length) are checked on the way, everything else is parsed when read.
import { CR, decimalValue, HT, LF, SP, cls, TOKEN, COLON, skipLws, trimEnd, LWS } from './bytes.js';
import { HeaderId, headerNameOf, headerIdOfHash } from './header-names.js';
import { defaultParseLimits, type Malformed, type ParseLimits } from './limits.js';
import { FOLDED, SipMessage } from './message.js';
import { newNameAddrRanges, scanNameAddr } from './scan-name-addr.js';
import { findParam, scanError, splitOffset } from './scan-params.js';
import { newViaRanges, scanVia } from './scan-via.js';
import { isKnownMethod, methodText, newStartLine, scanStartLine } from './start-line.js';
import { parseCSeq } from './parse-simple-headers.js';

export type ParseResult =
  | { kind: 'ok'; message: SipMessage; length: number }
  | { kind: 'incomplete'; needed?: number }
  | Malformed;

export interface ParseOptions {
  /**
   * The input is one whole datagram (UDP, RFC 3261 §18.3): a missing Content-Length means
   * "the rest of the datagram", a short body is an error, bytes after the body are ignored.
   * Otherwise the input is the head of a stream and a short message is `incomplete`.
   */
  datagram?: boolean;
  limits?: ParseLimits;
}

const INCOMPLETE: ParseResult = Object.freeze({ kind: 'incomplete' });
const line = newStartLine();
const naRanges = newNameAddrRanges();

function malformed(isRequest: boolean, reason: string, offset: number, status = 400, phrase = 'Bad Request'): Malformed {
  if (!isRequest || status === 0) return { kind: 'malformed', reason, offset };
  return { kind: 'malformed', reason, offset, response: { status, reason: phrase } };
}

function truncated(datagram: boolean, isRequest: boolean, n: number): ParseResult {
  return datagram ? malformed(isRequest, 'truncated message: header section not terminated', n) : INCOMPLETE;
}

function tooLarge(isRequest: boolean, what: string, offset: number): Malformed {
  return malformed(isRequest, `too large: ${what}`, offset, 513, 'Message Too Large');
}

function badHeader(isRequest: boolean, id: HeaderId, reason: string, at: number): Malformed {
  const name = headerNameOf(id);
  return malformed(isRequest, `${name}: ${reason}`, at, 400, `Bad ${name} Header`);
}

/** Parses one message from the start of `input` (leading CRLFs are skipped, RFC 3261 §7.5). */
export function parseMessage(input: Buffer, options?: ParseOptions): ParseResult {
  const lim = options?.limits ?? defaultParseLimits;
  const maxMessage = lim.maxMessageBytes;
  const maxLine = lim.maxLineBytes;
  const maxHeaders = lim.maxHeaders;
  const datagram = options?.datagram === true;
  const b = input;
  const n = b.length;
  let p = 0;
  while (p + 1 < n && b[p] === CR && b[p + 1] === LF) p += 2;
  const start = p;

  // Start line.
  const lineCap = Math.min(n, p + lim.maxLineBytes);
  let q = b.indexOf(LF, p);
  if (q < 0 || q > lineCap) q = lineCap;
  if (q >= lineCap) return q < n || n - p >= lim.maxLineBytes ? tooLarge(true, 'start line', p) : truncated(datagram, true, n);
  const le = q > p && b[q - 1] === CR ? q - 1 : q;
  const fault = scanStartLine(b, p, le, line);
  const isRequest = line.isRequest;
  if (fault !== '') {
    const s = line.status4xx5xx;
    return malformed(isRequest, fault, line.at, s, s === 505 ? 'Version Not Supported' : 'Bad Request-Line');
  }
  const msg = new SipMessage(b, isRequest, isRequest ? methodText(b, p, line.methodEnd) : '', line.status, 0);
  msg.startOffset = start;
  msg.uriStart = line.uriStart;
  msg.uriEnd = line.uriEnd;
  msg.reasonStart = line.reasonStart;
  msg.reasonEnd = line.reasonEnd;

  // Header fields: name, colon, value up to the CRLF not followed by SP/HT (§7.3.1).
  const h = msg.h;
  let i = q + 1;
  msg.headerStart = i;
  let contentLength = -1;
  let cseqMethodStart = 0;
  let cseqMethodEnd = 0;
  let bodyStart: number;
  for (;;) {
    if (i - start > maxMessage) return tooLarge(isRequest, `header section over ${maxMessage} bytes`, i);
    if (i >= n) {
      // RFC 4475 §3.1.2.15 (baddn): a datagram whose headers end without the empty line.
      if (datagram && h.length > 0) {
        bodyStart = n;
        break;
      }
      return truncated(datagram, isRequest, n);
    }
    const c = b[i]!;
    if (c === CR || c === LF) {
      if (c === LF) {
        bodyStart = i + 1;
        break;
      }
      if (i + 1 >= n) return truncated(datagram, isRequest, n);
      if (b[i + 1] === LF) {
        bodyStart = i + 2;
        break;
      }
      return malformed(isRequest, 'bare CR in header section', i, 400, 'Bad Header Line');
    }
    const ns = i;
    let hash = 0;
    for (let t = b[i]!; (cls[t]! & TOKEN) !== 0; t = b[i]!) {
      hash = (hash * 31 + (t | 0x20)) & 0xffff;
      if (++i >= n) break;
    }
    const ne = i;
    while (i < n && (b[i] === SP || b[i] === HT)) i++;
    if (i >= n) return truncated(datagram, isRequest, n);
    if (ne === ns || b[i] !== COLON) {
      const why = ne === ns ? (c === SP || c === HT ? 'header line starts with whitespace' : 'bad header name') : 'missing ":" after header name';
      return malformed(isRequest, why, ns, 400, 'Bad Header Line');
    }
    i++;
    const vs = i;
    let flags = 0;
    const cap = Math.min(n, ns + maxLine);
    for (;;) {
      // Native search (memchr): values are most of the header bytes.
      i = b.indexOf(LF, i);
      if (i < 0 || i > cap) i = cap;
      if (i >= cap) return i < n || n - ns >= maxLine ? tooLarge(isRequest, 'header line', ns) : truncated(datagram, isRequest, n);
      if (i + 1 >= n) {
        if (!datagram) return INCOMPLETE;
        break;
      }
      const nx = b[i + 1];
      if (nx !== SP && nx !== HT) break;
      flags = FOLDED;
      i++;
    }
    const lineEnd = b[i - 1] === CR && i - 1 >= vs ? i - 1 : i;
    const valueStart = skipLws(b, vs, lineEnd);
    const valueEnd = trimEnd(b, valueStart, lineEnd);
    i++;
    const id = headerIdOfHash(b, ns, ne, hash);
    const k = h.length >> 2;
    h.push(id | flags, ns, valueStart, valueEnd);
    if (k >= maxHeaders) return tooLarge(isRequest, `more than ${maxHeaders} header fields`, ns);
    switch (id) {
      case HeaderId.Via:
        if (msg.iVia < 0) {
          msg.iVia = k;
          // Kept on the message: reading Via later starts from these ranges.
          const top = { ranges: newViaRanges(), params: [] as number[], end: 0 };
          top.end = scanVia(b, valueStart, valueEnd, top.ranges, top.params);
          if (top.end < 0) return badHeader(isRequest, id, scanError.reason, scanError.at);
          msg.viaTop = top;
          msg.viaHostStart = top.ranges.hostStart;
          msg.viaHostEnd = top.ranges.hostEnd;
          msg.viaPortValue = top.ranges.port;
          const j = findParam(b, top.params, 0, 'branch');
          if (j >= 0 && top.params[j + 2]! >= 0) {
            msg.branchStart = top.params[j + 2]!;
            msg.branchEnd = top.params[j + 3]!;
          }
        }
        break;
      case HeaderId.From:
      case HeaderId.To: {
        if ((id === HeaderId.From ? msg.iFrom : msg.iTo) >= 0) return badHeader(isRequest, id, 'more than one header line', ns);
        // Kept on the message: reading From/To later builds the value from these ranges.
        const r = [-1, -1, 0, 0];
        if (scanNameAddr(b, valueStart, valueEnd, naRanges, r, false, false) < 0) return badHeader(isRequest, id, scanError.reason, scanError.at);
        r[0] = naRanges.displayStart;
        r[1] = naRanges.displayEnd;
        r[2] = naRanges.uriStart;
        r[3] = naRanges.uriEnd;
        const j = findParam(b, r, 4, 'tag');
        const ts = j >= 0 ? r[j + 2]! : -1;
        if (id === HeaderId.From) {
          msg.iFrom = k;
          msg.fromRanges = r;
          if (ts >= 0) (msg.fromTagStart = ts), (msg.fromTagEnd = r[j + 3]!);
        } else {
          msg.iTo = k;
          msg.toRanges = r;
          if (ts >= 0) (msg.toTagStart = ts), (msg.toTagEnd = r[j + 3]!);
        }
        break;
      }
      case HeaderId.CallId: {
        if (msg.iCallId >= 0) return badHeader(isRequest, id, 'more than one header line', ns);
        msg.iCallId = k;
        let w = valueStart;
        while (w < valueEnd && (cls[b[w]!]! & LWS) === 0) w++;
        if (valueStart === valueEnd || w < valueEnd) return badHeader(isRequest, id, valueStart === valueEnd ? 'empty Call-ID' : 'whitespace in Call-ID', w);
        break;
      }
      case HeaderId.CSeq: {
        if (msg.iCSeq >= 0) return badHeader(isRequest, id, 'more than one header line', ns);
        msg.iCSeq = k;
        // CSeq = 1*DIGIT LWS Method (§20.16), the number at most 2^32-1 (RFC 4475 §3.1.2.4)
        let d = valueStart;
        while (d < valueEnd && b[d]! >= 0x30 && b[d]! <= 0x39) d++;
        const seq = decimalValue(b, valueStart, d, 0xffffffff);
        const m = skipLws(b, d, valueEnd);
        let t = m;
        while (t < valueEnd && (cls[b[t]!]! & TOKEN) !== 0) t++;
        if (seq < 0 || m === d || t === m || t !== valueEnd) {
          const r = parseCSeq(b, valueStart, valueEnd);
          const why = splitOffset(typeof r === 'string' ? r : 'bad value');
          return badHeader(isRequest, id, why.reason, why.offset ?? valueStart);
        }
        msg.cseq = seq;
        cseqMethodStart = m;
        cseqMethodEnd = t;
        break;
      }
      case HeaderId.ContentLength: {
        if (msg.iContentLength >= 0) return badHeader(isRequest, id, 'more than one header line', ns);
        msg.iContentLength = k;
        contentLength = decimalValue(b, valueStart, valueEnd, lim.maxMessageBytes);
        if (contentLength < 0) {
          let d = valueStart;
          while (d < valueEnd && b[d]! >= 0x30 && b[d]! <= 0x39) d++;
          if (d === valueEnd && d > valueStart) return tooLarge(isRequest, `Content-Length over ${lim.maxMessageBytes}`, valueStart);
          return badHeader(isRequest, id, 'not a non-negative number', valueStart);
        }
        break;
      }
    }
  }

  // Mandatory headers (RFC 3261 §8.1.1, §20): without them no transaction can be matched.
  const missing = msg.iVia < 0 ? HeaderId.Via : msg.iFrom < 0 ? HeaderId.From : msg.iTo < 0 ? HeaderId.To
    : msg.iCallId < 0 ? HeaderId.CallId : msg.iCSeq < 0 ? HeaderId.CSeq : HeaderId.Other;
  if (missing !== HeaderId.Other) {
    const name = headerNameOf(missing);
    return malformed(isRequest, `missing ${name} header`, bodyStart, 400, `Missing ${name} Header`);
  }
  const cseqMethod = methodText(b, cseqMethodStart, cseqMethodEnd);
  if (!isRequest) msg.method = cseqMethod;
  else if (cseqMethod !== msg.method) {
    // RFC 4475 §3.1.2.17/18: 400, or 501 when the request method itself is unknown.
    const known = isKnownMethod(msg.method);
    return malformed(true, `CSeq method "${cseqMethod}" does not match the request method`, cseqMethodStart,
      known ? 400 : 501, known ? 'CSeq Method Mismatch' : 'Not Implemented');
  }

  // Body framing (§18.3): by Content-Length; a datagram without one ends at the datagram end.
  let bodyEnd: number;
  if (contentLength < 0) bodyEnd = datagram ? n : bodyStart;
  else bodyEnd = bodyStart + contentLength;
  if (bodyEnd - start > lim.maxMessageBytes) return tooLarge(isRequest, `message over ${lim.maxMessageBytes} bytes`, start);
  if (bodyEnd > n) {
    if (!datagram) return { kind: 'incomplete', needed: bodyEnd };
    return malformed(isRequest, `Content-Length ${contentLength} larger than the message`, bodyStart, 400, 'Content-Length Larger Than Message');
  }
  msg.bodyStart = bodyStart;
  msg.bodyEnd = bodyEnd;
  return { kind: 'ok', message: msg, length: bodyEnd };
}

/** `parseMessage` for one whole datagram (UDP). */
export function parseDatagram(input: Buffer, limits?: ParseLimits): ParseResult {
  return parseMessage(input, limits === undefined ? DATAGRAM : { datagram: true, limits });
}

const DATAGRAM: ParseOptions = Object.freeze({ datagram: true });
