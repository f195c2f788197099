// What the UA core answers by itself for out-of-dialog requests (RFC 3261 §8.2, §11):
// OPTIONS, unknown methods (501 + Allow), Require with unknown options (420 + Unsupported),
// unsupported bodies (415 + Accept) and Accept without SDP (406).
import { HeaderId, isKnownMethod, type HeaderLines, type SipMessage } from '../message/index.js';

export interface UaCapabilities {
  /** Methods we accept (Allow). */
  allow: readonly string[];
  /** Body types we accept (Accept). */
  accept: readonly string[];
  /** Option tags we support (Supported; Require is checked against it). */
  supported: readonly string[];
}

export const defaultCapabilities: Readonly<UaCapabilities> = Object.freeze({
  allow: ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS'],
  accept: ['application/sdp'],
  supported: ['outbound', 'gruu', 'path'],
});

/** A response the UA core gives without asking anyone above. */
export interface CoreAnswer {
  status: number;
  reason?: string;
  headers: HeaderLines;
}

/** The capability headers of an OPTIONS answer or an error that lists them (§11.2). */
export function capabilityHeaders(c: UaCapabilities): [string, string][] {
  return [
    ['Allow', c.allow.join(', ')],
    ['Accept', c.accept.join(', ')],
    ['Supported', c.supported.join(', ')],
  ];
}

/**
 * The checks every request goes through before the TU sees it (§8.2.1 method, §8.2.2.3 Require,
 * §8.2.3 content), then OPTIONS (§11.2). Undefined: hand the request up.
 */
export function coreAnswer(request: SipMessage, c: UaCapabilities): CoreAnswer | undefined {
  const method = request.method;
  // §8.2.1: a method we do not support: 405 when we know it, 501 when nobody does (RFC 4475 §3.1.1.2).
  if (!c.allow.includes(method) && method !== 'ACK') {
    const status = isKnownMethod(method) ? 405 : 501;
    return { status, headers: [['Allow', c.allow.join(', ')]] };
  }
  // §8.2.2.3: Require naming options we do not support → 420 listing them (not for ACK/CANCEL).
  if (method !== 'ACK' && method !== 'CANCEL') {
    const required = request.get(HeaderId.Require) ?? [];
    const unsupported = required.filter((tag) => !c.supported.includes(tag.toLowerCase()));
    if (unsupported.length > 0) return { status: 420, headers: [['Unsupported', unsupported.join(', ')]] };
  }
  // §8.2.3: a body type we cannot read → 415 with Accept.
  if (request.body.length > 0 && method !== 'ACK') {
    const type = request.get(HeaderId.ContentType);
    const name = type === undefined ? '' : `${type.type}/${type.subtype}`;
    if (!c.accept.includes(name)) return { status: 415, headers: [['Accept', c.accept.join(', ')]] };
  }
  // §8.2.3 / RFC 4475 §3.3.15: an INVITE that accepts no body type we can answer with.
  if (method === 'INVITE' && request.has(HeaderId.Accept)) {
    const accepted = request.get(HeaderId.Accept) ?? [];
    const ok = accepted.some((m) => (m.type === '*' || m.type === 'application') && (m.subtype === '*' || m.subtype === 'sdp'));
    if (!ok) return { status: 406, headers: [['Accept', c.accept.join(', ')], ['Warning', '399 handset "no acceptable body type: this UA answers with application/sdp"']] };
  }
  if (method === 'OPTIONS') return { status: 200, headers: capabilityHeaders(c) };
  return undefined;
}
