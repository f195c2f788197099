import { err, ok, type Result } from '../../util/index.js';

/**
 * One challenge or credentials value: `Digest realm="x", nonce="y"` → scheme + unquoted params
 * (names lower-cased). The message layer's parsed `AuthValue` (params as a Map) fits as well.
 */
export interface AuthChallenge {
  scheme: string;
  params: Readonly<Record<string, string>> | ReadonlyMap<string, string>;
}

/** What `parseAuthHeader` gives: params as a plain record. */
export interface ParsedChallenge {
  scheme: string;
  params: Record<string, string>;
}

/** A parameter of a challenge, whichever shape its params have. */
export function authParam(c: AuthChallenge, name: string): string | undefined {
  const p = c.params;
  return p instanceof Map ? p.get(name) : (p as Readonly<Record<string, string>>)[name];
}

const maxHeaderLength = 8192;

function isTokenChar(c: number): boolean {
  // RFC 3261 §25.1 token: alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~"
  return (
    (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ||
    c === 0x2d || c === 0x2e || c === 0x21 || c === 0x25 || c === 0x2a || c === 0x5f ||
    c === 0x2b || c === 0x60 || c === 0x27 || c === 0x7e
  );
}
const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;

/**
 * Parses a WWW-Authenticate / Proxy-Authenticate / Authorization value (RFC 3261 §25.1
 * challenge / credentials, RFC 7235 §2.1). One value may hold several challenges
 * (`Digest a=1, Digest b=2`): a token after a comma that is not followed by `=` starts a new one.
 * Peer input: never throws, returns `malformed` reasons.
 */
export function parseAuthHeader(value: string): Result<ParsedChallenge[], string> {
  if (value.length > maxHeaderLength) return err('auth header too long');
  const out: ParsedChallenge[] = [];
  let i = 0;
  const n = value.length;
  const skipSpace = (): void => {
    while (i < n && isSpace(value.charCodeAt(i))) i++;
  };
  const readToken = (): string => {
    const start = i;
    while (i < n && isTokenChar(value.charCodeAt(i))) i++;
    return value.slice(start, i);
  };
  let current: ParsedChallenge | undefined;
  skipSpace();
  while (i < n) {
    const start = i;
    const name = readToken();
    if (name === '') return err(`unexpected character at ${start}`);
    skipSpace();
    if (current === undefined || value.charCodeAt(i) !== 0x3d /* = */) {
      // A new scheme; token68 forms (Basic/Bearer) are not params, keep them whole.
      current = { scheme: name, params: {} };
      out.push(current);
      if (i < n && value.charCodeAt(i) !== 0x2c && !isTokenChar(value.charCodeAt(i))) return err(`bad character after scheme ${name}`);
      continue;
    }
    i++; // '='
    skipSpace();
    let v: string;
    if (value.charCodeAt(i) === 0x22 /* " */) {
      i++;
      let s = '';
      let closed = false;
      while (i < n) {
        const c = value.charCodeAt(i);
        if (c === 0x5c /* \ */ && i + 1 < n) {
          s += value[i + 1];
          i += 2;
        } else if (c === 0x22) {
          closed = true;
          i++;
          break;
        } else {
          s += value[i];
          i++;
        }
      }
      if (!closed) return err(`unterminated quoted string in ${name}`);
      v = s;
    } else {
      const vs = i;
      while (i < n && !isSpace(value.charCodeAt(i)) && value.charCodeAt(i) !== 0x2c) i++;
      v = value.slice(vs, i);
      if (v === '') return err(`empty value for ${name}`);
    }
    const key = name.toLowerCase();
    if (Object.prototype.hasOwnProperty.call(current.params, key)) return err(`duplicate parameter ${key}`);
    current.params[key] = v;
    skipSpace();
    if (i < n) {
      if (value.charCodeAt(i) !== 0x2c) return err(`expected comma at ${i}`);
      i++;
      skipSpace();
    }
  }
  if (out.length === 0) return err('empty auth header');
  return ok(out);
}

/** Quotes a value as an RFC 3261 quoted-string (escaping `"` and `\`). */
export function quoteString(s: string): string {
  let out = '"';
  for (const ch of s) out += ch === '"' || ch === '\\' ? '\\' + ch : ch;
  return out + '"';
}

/** Whether `s` needs the RFC 8187 extended form (`username*=UTF-8''...`): anything outside printable ASCII. */
export function needsExtendedValue(s: string): boolean {
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c < 0x20 || c > 0x7e) return true;
  }
  return false;
}

/** RFC 8187 §3.2 ext-value: `UTF-8''` then percent-encoded bytes outside attr-char. */
export function encodeExtendedValue(s: string): string {
  let out = "UTF-8''";
  for (const b of Buffer.from(s, 'utf8')) {
    const attrChar =
      (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) ||
      b === 0x21 || b === 0x23 || b === 0x24 || b === 0x26 || b === 0x2b || b === 0x2d ||
      b === 0x2e || b === 0x5e || b === 0x5f || b === 0x60 || b === 0x7c || b === 0x7e;
    out += attrChar ? String.fromCharCode(b) : '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}
