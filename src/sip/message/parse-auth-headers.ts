// Typed parsing of WWW-Authenticate / Proxy-Authenticate / Authorization /
// Proxy-Authorization (RFC 3261 §20.27, §20.28, §20.44, §25.1; RFC 7616 §3.3-3.4),
// Authentication-Info (§20.6) and Date (§20.17).
import { utf8, ascii } from './bytes.js';
import { COMMA, DQUOTE, EQUAL, quotedEnd, skipLws, tokenEnd, cls, LWS } from './bytes.js';
import type { AuthValue } from './header-types.js';
import type { ListParser } from './parse-address-headers.js';
import { paramName, unquote } from './scan-params.js';

function at(reason: string, p: number): string {
  return `${reason} (offset ${p})`;
}

/**
 * Reads `name = value` pairs separated by commas from `p` into `params` until the end or a
 * comma followed by a new scheme (`token LWS token` not followed by `=`). Returns the position
 * of that comma / the end, or an error.
 */
function authParams(b: Buffer, p: number, e: number, params: Map<string, string>): number | string {
  for (;;) {
    p = skipLws(b, p, e);
    const ns = p;
    const ne = tokenEnd(b, p, e);
    if (ne === ns) return at('expected an auth-param name', p);
    p = skipLws(b, ne, e);
    if (p >= e || b[p] !== EQUAL) return at('expected "=" after auth-param name', p);
    p = skipLws(b, p + 1, e);
    let value: string;
    if (p < e && b[p] === DQUOTE) {
      const q = quotedEnd(b, p, e);
      if (q < 0) return at('unterminated quoted auth-param value', p);
      value = unquote(b, p, q);
      p = q;
    } else {
      const q = tokenEnd(b, p, e);
      if (q === p) return at('expected an auth-param value', p);
      value = utf8(b, p, q);
      p = q;
    }
    const name = paramName(b, ns, ne);
    if (!params.has(name)) params.set(name, value);
    p = skipLws(b, p, e);
    if (p >= e) return p;
    if (b[p] !== COMMA) return at('expected ","', p);
    // A new challenge starts with `scheme LWS name=` rather than `name=`.
    let t = skipLws(b, p + 1, e);
    while (t < e && b[t] === COMMA) t = skipLws(b, t + 1, e); // empty list elements
    const te = tokenEnd(b, t, e);
    const after = skipLws(b, te, e);
    if (te > t && after > te && after < e && b[after] !== EQUAL) return p;
    p = t;
  }
}

export const parseAuthList: ListParser<AuthValue> = (b, s, e, out) => {
  let p = skipLws(b, s, e);
  for (;;) {
    const se = tokenEnd(b, p, e);
    if (se === p) return at('expected an auth scheme', p);
    const scheme = ascii(b, p, se);
    const params = new Map<string, string>();
    const rs = skipLws(b, se, e);
    if (rs < e && se === rs) return at('expected whitespace after the auth scheme', se);
    if (rs >= e) {
      out.push({ scheme, params, raw: '' });
      return undefined;
    }
    const r = authParams(b, rs, e, params);
    if (typeof r === 'string') {
      // token68 credentials (e.g. `Bearer abc==`): keep the rest raw.
      let q = rs;
      while (q < e && b[q] !== COMMA && (cls[b[q]!]! & LWS) === 0) q++;
      if (skipLws(b, q, e) < e) return r;
      out.push({ scheme, params, raw: utf8(b, rs, q) });
      return undefined;
    }
    out.push({ scheme, params, raw: utf8(b, rs, r) });
    if (r >= e) return undefined;
    p = skipLws(b, r + 1, e);
  }
};

/** Authentication-Info: auth-params only. */
export function parseAuthInfo(b: Buffer, s: number, e: number): Map<string, string> | string {
  const params = new Map<string, string>();
  const r = authParams(b, s, e, params);
  if (typeof r === 'string') return r;
  return r >= e ? params : at('unexpected text', r);
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const days = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/**
 * SIP-date = rfc1123-date: `wkday "," SP 2DIGIT SP month SP 4DIGIT SP HH:MM:SS SP "GMT"`
 * (RFC 3261 §20.17; RFC 4475 §3.1.2.12: only GMT is valid).
 */
export function parseSipDate(b: Buffer, s: number, e: number): Date | string {
  const t = ascii(b, skipLws(b, s, e), e).trim();
  const parts = t.split(' ');
  if (parts.length !== 6) return 'expected "wkday, DD Mon YYYY HH:MM:SS GMT"';
  const [wk, dd, mon, yyyy, time, zone] = parts as [string, string, string, string, string, string];
  if (!wk.endsWith(',') || !days.includes(wk.slice(0, -1))) return `bad weekday "${wk}"`;
  const month = months.indexOf(mon);
  if (month < 0) return `bad month "${mon}"`;
  if (zone !== 'GMT') return `time zone must be GMT, not "${zone}"`;
  const digits = (x: string, n: number): number => (x.length === n && /^[0-9]+$/.test(x) ? Number(x) : -1);
  const tm = time.split(':');
  const day = digits(dd, 2);
  const year = digits(yyyy, 4);
  const [h, mi, se] = tm.length === 3 ? tm.map((x) => digits(x, 2)) as [number, number, number] : [-1, -1, -1];
  if (day < 1 || day > 31 || year < 0 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60) return 'bad date or time';
  return new Date(Date.UTC(year, month, day, h, mi, se));
}
