/** Small scanners shared by the SDP parser and attribute readers (no regular expressions). */

/** Space-separated fields; runs of spaces or tabs count as one separator (leniency for hand-made SDP). */
export function fields(s: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 32;
    const blank = c === 32 || c === 9;
    if (blank && start >= 0) {
      out.push(s.slice(start, i));
      start = -1;
    } else if (!blank && start < 0) start = i;
  }
  return out;
}

/** A decimal integer of digits only, at most `max`; undefined otherwise. */
export function decimal(s: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (s.length === 0 || s.length > 16) return undefined;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return undefined;
    n = n * 10 + c;
  }
  return n <= max ? n : undefined;
}

/** True when `s` is non-empty and made of digits only (any length: session ids, NTP times). */
export function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** RFC 8866 §9 token characters (attribute names, bwtype, proto parts, crypto suites). */
export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || "!#$%&'*+-.^_`{|}~".includes(s[i]!);
    if (!ok) return false;
  }
  return true;
}

/** Splits at the first occurrence of `sep`: ['a:b:c', ':'] → ['a', 'b:c']; no separator → [s, undefined]. */
export function splitFirst(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + sep.length)];
}
