// Building requests and responses for the transaction and UA layers. Messages are written as
// text and parsed back, so a built message has the same shape as a received one.
import { HeaderId } from './header-names.js';
import type { SipMessage } from './message.js';
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
  if (init.headers) lines.push(...init.headers);
  return assemble(`SIP/2.0 ${status} ${reason}`, lines, init.body);
}
