import { isSipUri, isTelUri } from './format-uri.js';
import { parseIpv4, parseIpv6 } from './host.js';
import { isVisualSeparator } from './parse-tel-uri.js';
import type { SipUri, TelUri, Uri, UriHeader, UriParam } from './types.js';

/**
 * URI equivalence: RFC 3261 §19.1.4 for sip/sips, RFC 3966 §4 for tel, and for other
 * schemes the scheme case-insensitively and the rest octet by octet.
 */
export function urisEqual(a: Uri, b: Uri): boolean {
  if (isSipUri(a)) return isSipUri(b) && sipUrisEqual(a, b);
  if (isTelUri(a)) return isTelUri(b) && telUrisEqual(a, b);
  if (isSipUri(b) || isTelUri(b)) return false;
  return a.scheme.toLowerCase() === b.scheme.toLowerCase() && a.value === b.value;
}

// RFC 3261 §19.1.4: a user, ttl, method (or transport, same paragraph on default values) or
// maddr parameter present in only one URI makes them differ.
const MUST_BE_IN_BOTH = new Set(['user', 'ttl', 'method', 'maddr', 'transport']);

function sipUrisEqual(a: SipUri, b: SipUri): boolean {
  // A SIP and a SIPS URI are never equivalent; userinfo is case-sensitive; escaped chars
  // were already decoded by the parser, so %61 and 'a' compare equal.
  if (a.scheme !== b.scheme || a.user !== b.user || a.password !== b.password) return false;
  // A URI omitting the port does not match one with the default port.
  if (a.port !== b.port || !hostsEqual(a, b)) return false;
  return paramsMatch(a.params, b.params) && paramsMatch(b.params, a.params) && headersEqual(a.headers, b.headers);
}

function hostsEqual(a: SipUri, b: SipUri): boolean {
  if (a.hostKind !== b.hostKind) return false; // a name never equals the address it resolves to
  if (a.hostKind === 'ipv6') {
    const x = parseIpv6(a.host, 1, a.host.length - 1);
    const y = parseIpv6(b.host, 1, b.host.length - 1);
    return x !== null && y !== null && x.every((g, i) => g === y[i]);
  }
  if (a.hostKind === 'ipv4') return parseIpv4(a.host, 0, a.host.length) === parseIpv4(b.host, 0, b.host.length);
  return a.host.toLowerCase() === b.host.toLowerCase();
}

/** Every parameter of `a` is matched in `b` (or ignorable when absent there). */
function paramsMatch(a: UriParam[], b: UriParam[]): boolean {
  for (const p of a) {
    const name = p.name.toLowerCase();
    const other = findParam(b, name);
    if (other === undefined) {
      if (MUST_BE_IN_BOTH.has(name)) return false;
      continue; // other parameters in only one URI are ignored
    }
    if (!sameValue(p.value, other.value)) return false;
  }
  return true;
}

function sameValue(x: string | null, y: string | null): boolean {
  return x === null || y === null ? x === y : x.toLowerCase() === y.toLowerCase();
}

function findParam(params: UriParam[], lowerName: string): UriParam | undefined {
  for (const p of params) if (p.name.toLowerCase() === lowerName) return p;
  return undefined;
}

/** Header components are never ignored: the same headers, in any order (RFC 3261 §19.1.4). */
function headersEqual(a: UriHeader[], b: UriHeader[]): boolean {
  if (a.length !== b.length) return false;
  const used = new Array<boolean>(b.length).fill(false);
  outer: for (const h of a) {
    const name = h.name.toLowerCase();
    for (let i = 0; i < b.length; i++) {
      if (!used[i] && b[i]!.name.toLowerCase() === name && b[i]!.value === h.value) {
        used[i] = true;
        continue outer;
      }
    }
    return false;
  }
  return true;
}

/** RFC 3966 §4: same kind, same digits without visual separators, same parameters; case-insensitive. */
function telUrisEqual(a: TelUri, b: TelUri): boolean {
  if (a.isGlobal !== b.isGlobal || telDigits(a.number) !== telDigits(b.number)) return false;
  if (a.params.length !== b.params.length) return false;
  for (const p of a.params) {
    const name = p.name.toLowerCase();
    const other = findParam(b.params, name);
    if (other === undefined) return false; // a name not found in the other: not equal
    if (!telParamValuesEqual(name, p.value, other.value)) return false;
  }
  return true;
}

/** phone-context: a domain as a host name, global digits digit by digit; ext digit by digit. */
function telParamValuesEqual(name: string, x: string | null, y: string | null): boolean {
  if (x === null || y === null) return x === y;
  const digits = name === 'ext' || (name === 'phone-context' && x.startsWith('+'));
  return digits ? telDigits(x) === telDigits(y) : x.toLowerCase() === y.toLowerCase();
}

/** Lower-cased with visual separators removed (RFC 3966 §4). */
function telDigits(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) if (!isVisualSeparator(text.charCodeAt(i))) out += text[i];
  return out.toLowerCase();
}
