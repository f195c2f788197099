import { Buffer, isUtf8 } from 'node:buffer';
import { err, ok, type Result } from '../../../util/index.js';
import { hexValue, inClass } from './char-classes.js';

/** Names the fault of a char that is not allowed raw in a URI component. */
export function badCharReason(code: number, what: string): string {
  if (code === 0x20 || code === 0x09) return `space in URI (${what})`;
  if (code < 0x20 || code === 0x7f) return `control character in URI (${what})`;
  if (code >= 0x80) return `non-ASCII character in URI (${what})`;
  return `invalid character '${String.fromCharCode(code)}' in ${what}`;
}

/**
 * Checks text[start, end) against a character class and undoes `%HH` escapes once
 * (RFC 3261 §19.1.2, §25.1 "escaped"). Decoded octets are read as UTF-8 when they form valid
 * UTF-8, else one char per octet, so `%00` stays a char and never truncates (RFC 4475 §3.1.1.4).
 */
export function unescapeRange(text: string, start: number, end: number, cls: number, what: string): Result<string> {
  let escaped = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25) {
      if (i + 2 >= end || hexValue(text.charCodeAt(i + 1)) < 0 || hexValue(text.charCodeAt(i + 2)) < 0) {
        return err(`bad escape in ${what}`);
      }
      escaped = true;
      i += 2;
    } else if (!inClass(c, cls)) {
      return err(badCharReason(c, what));
    }
  }
  if (!escaped) return ok(text.slice(start, end));
  // Each escape shrinks three chars into one octet, so end - start octets always suffice.
  const octets = Buffer.allocUnsafe(end - start);
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25) {
      octets[n++] = hexValue(text.charCodeAt(i + 1)) * 16 + hexValue(text.charCodeAt(i + 2));
      i += 2;
    } else octets[n++] = c;
  }
  const decoded = octets.subarray(0, n);
  // Not UTF-8: keep each octet as one char (latin1) so nothing is lost or replaced.
  return ok(isUtf8(decoded) ? decoded.toString('utf8') : decoded.toString('latin1'));
}

const HEX = '0123456789ABCDEF';
const encoder = new TextEncoder();

/** Escapes every char outside `cls` as `%HH` of its UTF-8 octets (RFC 3261 §19.1.2). */
export function escapeComponent(value: string, cls: number): string {
  let i = 0;
  while (i < value.length && inClass(value.charCodeAt(i), cls)) i++;
  if (i === value.length) return value;
  let out = value.slice(0, i);
  for (; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (inClass(c, cls)) {
      out += value[i];
      continue;
    }
    // A surrogate pair is one code point: encode both halves together.
    const hi = c >= 0xd800 && c <= 0xdbff && i + 1 < value.length;
    const chunk = hi ? value.slice(i, i + 2) : value[i]!;
    if (hi) i++;
    // Chars from non-UTF-8 octets (see unescapeRange) come back as their UTF-8 form; either
    // way parsing the result gives the same string.
    const octets = c < 0x80 ? [c] : encoder.encode(chunk);
    for (const b of octets) out += '%' + HEX[b >> 4] + HEX[b & 15];
  }
  return out;
}
