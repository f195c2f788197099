// Building requests and responses for the transaction and UA layers. Requests are written as
// text and parsed back, so a built message has the same shape as a received one. Responses (the
// callee's hot path) are written once with their header table filled as they are written; the
// getters then read typed values and serializeMessage returns the bytes as built.
import { HeaderId, headerIdOf } from './header-names.js';
import { SipMessage } from './message.js';
import { parseMessage } from './parse.js';
import { formatUri, type Uri } from './uri/index.js';

/** Header lines as `[name, value]` pairs, in order. */
export type HeaderLines = ReadonlyArray<readonly [string, string]>;

export interface RequestInit {
  method: string;
  uri: string | Uri;
  /** Must include Via, From, To, Call-ID, CSeq (and Max-Forwards, RFC 3261 §8.1.1). */
  headers: HeaderLines;
  body?: Buffer | string;
}

export interface ResponseInit {
  /** Tag to add to To when it has none (RFC 3261 §8.2.6.2; not for 100). */
  toTag?: string;
  headers?: HeaderLines;
  body?: Buffer | string;
}

const reasonPhrases: Record<number, string> = {
  100: 'Trying', 180: 'Ringing', 181: 'Call Is Being Forwarded', 182: 'Queued', 183: 'Session Progress',
  200: 'OK', 202: 'Accepted', 204: 'No Notification', 300: 'Multiple Choices', 301: 'Moved Permanently',
  302: 'Moved Temporarily', 305: 'Use Proxy', 380: 'Alternative Service', 400: 'Bad Request',
  401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  406: 'Not Acceptable', 407: 'Proxy Authentication Required', 408: 'Request Timeout', 410: 'Gone',
  412: 'Conditional Request Failed', 413: 'Request Entity Too Large', 414: 'Request-URI Too Long',
  415: 'Unsupported Media Type', 416: 'Unsupported URI Scheme', 420: 'Bad Extension', 421: 'Extension Required',
  422: 'Session Interval Too Small', 423: 'Interval Too Brief', 480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist', 482: 'Loop Detected', 483: 'Too Many Hops', 484: 'Address Incomplete',
  485: 'Ambiguous', 486: 'Busy Here', 487: 'Request Terminated', 488: 'Not Acceptable Here', 489: 'Bad Event',
  491: 'Request Pending', 493: 'Undecipherable', 500: 'Server Internal Error', 501: 'Not Implemented',
  502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Server Time-out', 505: 'Version Not Supported',
  513: 'Message Too Large', 580: 'Precondition Failure', 600: 'Busy Everywhere', 603: 'Decline',
  604: 'Does Not Exist Anywhere', 606: 'Not Acceptable',
};

/** The usual reason phrase for a status code ('' when none is registered). */
export function reasonPhrase(status: number): string {
  return reasonPhrases[status] ?? '';
}

function assemble(startLine: string, headers: HeaderLines, body: Buffer | string | undefined): SipMessage {
  const bodyBytes = body === undefined ? Buffer.alloc(0) : typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  let head = `${startLine}\r\n`;
  for (const [name, value] of headers) {
    if (/[\r\n]/.test(name) || /[\r\n]/.test(value)) throw new Error(`header ${name}: CR/LF not allowed in built values`);
    if (name.toLowerCase() === 'content-length' || name === 'l') continue;
    head += `${name}: ${value}\r\n`;
  }
  head += `Content-Length: ${bodyBytes.length}\r\n\r\n`;
  const r = parseMessage(Buffer.concat([Buffer.from(head, 'utf8'), bodyBytes]), { datagram: true, limits: BUILD_LIMITS });
  // Built messages come from our own code: a failure here is a programmer error.
  if (r.kind !== 'ok') throw new Error(`built message does not parse: ${r.kind === 'malformed' ? r.reason : r.kind}`);
  return r.message;
}

const BUILD_LIMITS = { maxMessageBytes: 16 * 1024 * 1024, maxHeaders: 10_000, maxLineBytes: 1024 * 1024 };

/** Builds a request; Content-Length is computed. Throws (programmer error) if the result does not parse. */
export function createRequest(init: RequestInit): SipMessage {
  const uri = typeof init.uri === 'string' ? init.uri : formatUri(init.uri);
  return assemble(`${init.method} ${uri} SIP/2.0`, init.headers, init.body);
}

/**
 * Builds a response to `request` (RFC 3261 §8.2.6.2): Via lines (all, in order), From, To
 * (with `toTag` added when To has no tag and the status is not 100), Call-ID and CSeq are
 * copied as they came; a 100 also copies Timestamp (§8.2.6.1). Extra headers follow.
 */
export function createResponse(request: SipMessage, status: number, reason = reasonPhrase(status), init: ResponseInit = {}): SipMessage {
  if (!request.isRequest) throw new Error('createResponse needs a request');
  if (!Number.isInteger(status) || status < 100 || status > 699) throw new Error(`bad status ${status}`);
  const lines: (readonly [string, string])[] = [];
  for (const v of request.headerAll(HeaderId.Via)) lines.push(['Via', v]);
  lines.push(['From', request.header(HeaderId.From)!]);
  let to = request.header(HeaderId.To)!;
  if (init.toTag !== undefined && status !== 100 && request.toTag === undefined) to += `;tag=${init.toTag}`;
  lines.push(['To', to]);
  lines.push(['Call-ID', request.callId]);
  lines.push(['CSeq', `${request.cseq} ${request.method}`]);
  if (status === 100) {
    const ts = request.header(HeaderId.Timestamp);
    if (ts !== undefined) lines.push(['Timestamp', ts]);
  }
  const copied = lines.length;
  if (init.headers) lines.push(...init.headers);
  const startLine = `SIP/2.0 ${status} ${reason}`;
  return buildDirect(startLine, status, request, lines, copied, init.body) ?? assemble(startLine, lines, init.body);
}

const CR_LF = /[\r\n]/;
const TOKEN_NAME = /^[A-Za-z0-9.!%*_+`'~-]+$/;
const isLws = (c: number): boolean => c === 0x20 || c === 0x09;
const EMPTY = Buffer.alloc(0);
const copiedIds: Record<string, HeaderId> = { Via: HeaderId.Via, From: HeaderId.From, To: HeaderId.To, 'Call-ID': HeaderId.CallId, CSeq: HeaderId.CSeq, Timestamp: HeaderId.Timestamp };

/**
 * The response `assemble` would give, without parsing it back: the same bytes (on the wire
 * too), start line and header table. Undefined, for `assemble` to take (and judge), when a line
 * is out of the plain case: non-ASCII text, a value empty or with LWS at either end, an odd
 * name, or a From/To/Call-ID/CSeq among the extra headers. The first `copied` lines come from
 * a request that parsed (its Via possibly stamped by us with received/rport).
 */
function buildDirect(
  startLine: string, status: number, request: SipMessage, lines: HeaderLines, copied: number, body: Buffer | string | undefined,
): SipMessage | undefined {
  const h: number[] = [];
  let head = `${startLine}\r\n`;
  const headerStart = head.length;
  for (let k = 0; k < lines.length; k++) {
    const [name, value] = lines[k]!;
    const id = k < copied ? copiedIds[name]! : headerIdOf(name);
    if (k >= copied) {
      if (id === HeaderId.ContentLength && (name.toLowerCase() === 'content-length' || name === 'l')) continue;
      if (id === HeaderId.From || id === HeaderId.To || id === HeaderId.CallId || id === HeaderId.CSeq || id === HeaderId.ContentLength) return undefined;
      if (!TOKEN_NAME.test(name)) return undefined;
    }
    if (value === '' || isLws(value.charCodeAt(0)) || isLws(value.charCodeAt(value.length - 1)) || CR_LF.test(value)) return undefined;
    const at = head.length;
    h.push(id, at, at + name.length + 2, at + name.length + 2 + value.length);
    head += `${name}: ${value}\r\n`;
  }
  const bodyBytes = body === undefined ? EMPTY : typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const at = head.length;
  head += `Content-Length: ${bodyBytes.length}\r\n`;
  h.push(HeaderId.ContentLength, at, at + 16, head.length - 2);
  head += '\r\n';
  // latin1 writes one byte per UTF-16 unit: the UTF-8 bytes only when the text is ASCII.
  if (Buffer.byteLength(head, 'utf8') !== head.length) return undefined;
  const headBytes = Buffer.from(head, 'latin1');
  const buf = bodyBytes.length === 0 ? headBytes : Buffer.concat([headBytes, bodyBytes]);
  const msg = new SipMessage(buf, false, request.method, status, request.cseq);
  msg.reasonStart = 12; // after `SIP/2.0 NNN `
  msg.reasonEnd = startLine.length;
  msg.headerStart = headerStart;
  msg.bodyStart = head.length;
  msg.bodyEnd = buf.length;
  msg.h = h;
  msg.iVia = msg.firstIndex(HeaderId.Via, 0);
  msg.iFrom = msg.firstIndex(HeaderId.From, 0);
  msg.iTo = msg.firstIndex(HeaderId.To, 0);
  msg.iCallId = msg.firstIndex(HeaderId.CallId, 0);
  msg.iCSeq = msg.firstIndex(HeaderId.CSeq, 0);
  msg.iContentLength = (h.length >> 2) - 1;
  msg.edits = []; // no eager scan: the getters read typed values
  msg.text = head;
  msg.wire = buf;
  return msg;
}
