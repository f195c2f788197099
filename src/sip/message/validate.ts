// Full check of a parsed message, for the element that is about to act on a request
// (RFC 3261 §8.2, §16.3): every known header must parse, the Request-URI must parse and use a
// scheme the element supports. `parseMessage` only checks what framing and transaction
// matching need, so a proxy can still forward what it does not understand.
import { HeaderId, headerNameOf } from './header-names.js';
import { isTypedHeader } from './header-parsers.js';
import type { Malformed } from './limits.js';
import type { Contacts, NameAddr } from './header-types.js';
import type { SipMessage } from './message.js';
import { parseUri } from './uri/index.js';

export interface ValidateOptions {
  /** Request-URI schemes the element accepts (lowercase); others get 416. Default sip, sips, tel. */
  uriSchemes?: readonly string[];
}

const defaultSchemes = ['sip', 'sips', 'tel'];

/** Name-addr URIs are parsed on first read; a full check reads them. */
function uriFault(id: HeaderId, value: unknown): string | undefined {
  if (value === undefined || value === null || typeof value !== 'object') return undefined;
  const list: unknown[] = Array.isArray(value) ? value : 'contacts' in value ? (value as Contacts).contacts : [value];
  for (const v of list) {
    if (typeof v === 'object' && v !== null && 'uriError' in v) {
      const e = (v as NameAddr).uriError;
      if (e !== undefined) return `${headerNameOf(id)}: bad URI "${(v as NameAddr).uriText}": ${e}`;
    }
  }
  return undefined;
}

function reject(msg: SipMessage, reason: string, offset: number | undefined, status: number, phrase: string): Malformed {
  const r: Malformed = { kind: 'malformed', reason };
  if (offset !== undefined) r.offset = offset;
  if (msg.isRequest) r.response = { status, reason: phrase };
  return r;
}

/**
 * Returns why the message must be refused (with the response a server sends for a request),
 * or undefined when it is fine. Header faults give 400 "Bad <Name> Header"; a Request-URI
 * scheme outside `uriSchemes` gives 416 (RFC 3261 §8.2.2.1, RFC 4475 §3.3.2).
 */
export function validateMessage(msg: SipMessage, options?: ValidateOptions): Malformed | undefined {
  if (msg.isRequest) {
    const text = msg.requestUriText;
    const uri = parseUri(text);
    if (!uri.ok) return reject(msg, `Request-URI: ${uri.error}`, msg.uriStart, 400, 'Bad Request-URI');
    msg.uriValue = uri.value; // the Request-URI getter reads it without parsing again
    const scheme = uri.value.scheme.toLowerCase();
    if (!(options?.uriSchemes ?? defaultSchemes).includes(scheme)) {
      return reject(msg, `unsupported Request-URI scheme "${uri.value.scheme}"`, msg.uriStart, 416, 'Unsupported URI Scheme');
    }
    // RFC 3261 §19.1.1 (table): headers are not allowed in a Request-URI; RFC 4475 §3.1.2.11.
    if ('headers' in uri.value && uri.value.headers.length > 0) {
      return reject(msg, 'Request-URI carries escaped headers', msg.uriStart, 400, 'Bad Request-URI');
    }
  }
  const seen = new Set<HeaderId>();
  for (let i = 0; i < msg.headerCount; i++) {
    const id = msg.idAt(i);
    if (seen.has(id) || !isTypedHeader(id)) continue;
    seen.add(id);
    const fault = msg.headerFault(id);
    if (fault !== undefined) return reject(msg, fault.reason, fault.offset ?? msg.h[i * 4 + 2], 400, `Bad ${headerNameOf(id)} Header`);
    const bad = uriFault(id, msg.get(id));
    if (bad !== undefined) return reject(msg, bad, msg.h[i * 4 + 2], 400, `Bad ${headerNameOf(id)} Header`);
  }
  return undefined;
}
