import { err, ok, type Result } from '../../../util/index.js';
import { HOST, hexValue, inClass, isDigit } from './char-classes.js';
import { badCharReason } from './escape.js';
import type { SipUri } from './types.js';

export interface ParsedHost {
  host: string;
  hostKind: SipUri['hostKind'];
}

/** Value of a dotted-quad IPv4 address in text[start, end), or -1 (RFC 3261 §25.1 IPv4address). */
export function parseIpv4(text: string, start: number, end: number): number {
  let value = 0;
  let parts = 0;
  let i = start;
  while (parts < 4) {
    let digits = 0;
    let part = 0;
    while (i < end && isDigit(text.charCodeAt(i)) && digits < 4) {
      part = part * 10 + text.charCodeAt(i) - 0x30;
      digits++;
      i++;
    }
    if (digits === 0 || digits > 3 || part > 255) return -1;
    value = value * 256 + part;
    parts++;
    if (parts < 4) {
      if (i >= end || text.charCodeAt(i) !== 0x2e) return -1;
      i++;
    }
  }
  return i === end ? value : -1;
}

/**
 * The eight 16-bit groups of the IPv6 address in text[start, end) (no brackets), or null.
 * RFC 3261 §25.1 IPv6address; RFC 5118 §4.10: the ABNF lets `2001:db8:::192.0.2.1` through
 * (three colons before an embedded IPv4 address) and implementations must tolerate it.
 */
export function parseIpv6(text: string, start: number, end: number): number[] | null {
  const head: number[] = [];
  const tail: number[] = [];
  let doubled = false;
  let i = start;
  if (end - start >= 2 && text.charCodeAt(i) === 0x3a && text.charCodeAt(i + 1) === 0x3a) {
    doubled = true;
    i += 2;
  }
  while (i < end) {
    const groups = doubled ? tail : head;
    let j = i;
    let dotted = false;
    while (j < end && text.charCodeAt(j) !== 0x3a) {
      if (text.charCodeAt(j) === 0x2e) dotted = true;
      j++;
    }
    if (dotted) {
      // An embedded IPv4 address ends the address.
      const v4 = j === end ? parseIpv4(text, i, j) : -1;
      if (v4 < 0) return null;
      groups.push(Math.floor(v4 / 65536), v4 % 65536);
      i = j;
      break;
    }
    if (j === i || j - i > 4) return null;
    let group = 0;
    for (let k = i; k < j; k++) {
      const h = hexValue(text.charCodeAt(k));
      if (h < 0) return null;
      group = group * 16 + h;
    }
    groups.push(group);
    i = j;
    if (i === end) break;
    i++; // the ':'
    if (i < end && text.charCodeAt(i) === 0x3a) {
      if (doubled) return null;
      doubled = true;
      i++;
      if (i < end && text.charCodeAt(i) === 0x3a && isDottedTail(text, i + 1, end)) i++; // RFC 5118 §4.10
    } else if (i === end) return null; // a single trailing ':'
  }
  const count = head.length + tail.length;
  if (doubled ? count > 7 : count !== 8) return null;
  const zeros = new Array<number>(8 - count).fill(0);
  return [...head, ...zeros, ...tail];
}

function isDottedTail(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) === 0x3a) return false;
  return parseIpv4(text, start, end) >= 0;
}

/** RFC 3261 §25.1 host = hostname / IPv4address / IPv6reference, over text[start, end). */
export function parseHost(text: string, start: number, end: number, what = 'host'): Result<ParsedHost> {
  if (start >= end) return err(`empty ${what}`);
  if (text.charCodeAt(start) === 0x5b) {
    if (text.charCodeAt(end - 1) !== 0x5d || parseIpv6(text, start + 1, end - 1) === null) {
      return err(`invalid IPv6 reference in ${what}`);
    }
    return ok({ host: text.slice(start, end), hostKind: 'ipv6' });
  }
  let numeric = true;
  let labelStart = start;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!inClass(c, HOST)) return err(badCharReason(c, what));
    if (c === 0x2e) {
      if (i === labelStart) return err(`empty label in ${what}`);
      labelStart = i + 1;
    } else if (!isDigit(c)) numeric = false;
  }
  if (numeric) {
    if (parseIpv4(text, start, end) < 0) return err(`invalid IPv4 address in ${what}`);
    return ok({ host: text.slice(start, end), hostKind: 'ipv4' });
  }
  return ok({ host: text.slice(start, end), hostKind: 'domain' });
}
