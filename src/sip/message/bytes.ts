// Byte-level scanning primitives of the message grammar (RFC 3261 §25.1). Every function takes
// `(b, p, end)` and returns a position, never reading at or past `end`. Inside a header value
// CR and LF only occur as part of a fold (the line scanner checked), so they count as LWS here
// and folded values need no unfolding before they are scanned.

export const TOKEN = 1; // alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~"
export const LWS = 2; // SP / HTAB / CR / LF (see above)
export const DIGIT = 4;
export const PVALUE = 8; // token chars plus ":" "[" "]" "/" (host, IPv6 reference, uri-ish values)

export const cls = new Uint8Array(256);
const mark = (chars: string, bits: number): void => {
  for (let i = 0; i < chars.length; i++) cls[chars.charCodeAt(i)]! |= bits;
};
const alnum = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
mark(alnum + "-.!%*_+`'~", TOKEN | PVALUE);
mark(' \t\r\n', LWS);
mark('0123456789', DIGIT);
mark(':[]/', PVALUE);

export const SP = 0x20;
export const HT = 0x09;
export const CR = 0x0d;
export const LF = 0x0a;
export const COLON = 0x3a;
export const SEMI = 0x3b;
export const COMMA = 0x2c;
export const EQUAL = 0x3d;
export const DQUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const LAQUOT = 0x3c;
export const RAQUOT = 0x3e;
export const SLASH = 0x2f;

export function skipLws(b: Uint8Array, p: number, end: number): number {
  while (p < end && (cls[b[p]!]! & LWS) !== 0) p++;
  return p;
}

export function tokenEnd(b: Uint8Array, p: number, end: number): number {
  while (p < end && (cls[b[p]!]! & TOKEN) !== 0) p++;
  return p;
}

/**
 * `b[p]` is `"`: returns the position after the closing quote, or -1 when the string is not
 * terminated. quoted-pair (`\` + any octet but CR/LF) is skipped as a unit (RFC 3261 §25.1).
 */
export function quotedEnd(b: Uint8Array, p: number, end: number): number {
  p++;
  while (p < end) {
    const c = b[p]!;
    if (c === DQUOTE) return p + 1;
    if (c === BACKSLASH) {
      if (p + 1 >= end || b[p + 1] === CR || b[p + 1] === LF) return -1;
      p += 2;
    } else p++;
  }
  return -1;
}

/**
 * Decimal value of the digits in `b[p, q)` when it is at most `max`, else -1 (no overflow:
 * RFC 4475 §3.1.2.4 sends 2^32+ values). Leading zeros are allowed (`0068`).
 */
export function decimalValue(b: Uint8Array, p: number, q: number, max: number): number {
  if (p >= q) return -1;
  let v = 0;
  for (let i = p; i < q; i++) {
    const d = b[i]! - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
    if (v > max) return -1;
  }
  return v;
}

/** Case-insensitive compare of `b[p, p+lower.length)` with an ASCII lowercase `lower`. */
export function matchesLower(b: Uint8Array, p: number, end: number, lower: string): boolean {
  const n = lower.length;
  if (end - p < n) return false;
  for (let i = 0; i < n; i++) if ((b[p + i]! | 0x20) !== lower.charCodeAt(i)) return false;
  return true;
}

/** Trims LWS from the end of `b[p, q)`. */
export function trimEnd(b: Uint8Array, p: number, q: number): number {
  while (q > p && (cls[b[q - 1]!]! & LWS) !== 0) q--;
  return q;
}

// Node's native slice methods skip `toString`'s argument handling (these ranges are checked).
interface NativeSlices {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
}

// While a message's header section is being read, its ASCII decoding (one string made once)
// stands in for the bytes: substrings of it are cheap views, decoding each range is not.
let textBuf: Buffer | undefined;
let textStr = '';

/** Makes utf8()/ascii() over `b` slice `text` (the decoding of `b` from offset 0, ASCII only). */
export function useText(b: Buffer | undefined, text: string): void {
  textBuf = b;
  textStr = text;
}

/** UTF-8 text of `b[p, q)`. */
export function utf8(b: Buffer, p: number, q: number): string {
  return b === textBuf ? textStr.slice(p, q) : (b as unknown as NativeSlices).utf8Slice(p, q);
}

/** Text of `b[p, q)` known to be ASCII (tokens, numbers, hosts). */
export function ascii(b: Buffer, p: number, q: number): string {
  return b === textBuf ? textStr.slice(p, q) : (b as unknown as NativeSlices).latin1Slice(p, q);
}

/** Text of `b[p, q)` where every LWS run containing a line break becomes one SP (RFC 3261 §7.3.1). */
export function unfoldedText(b: Buffer, p: number, q: number): string {
  let out = '';
  let from = p;
  for (let i = p; i < q; i++) {
    const c = b[i]!;
    if (c !== CR && c !== LF) continue;
    let s = i;
    while (s > from && (b[s - 1] === SP || b[s - 1] === HT)) s--;
    let e = i;
    while (e < q && (cls[b[e]!]! & LWS) !== 0) e++;
    out += utf8(b, from, s) + ' ';
    from = e;
    i = e - 1;
  }
  return from === p ? utf8(b, p, q) : out + utf8(b, from, q);
}
