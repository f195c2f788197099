// DTMF and hook flash carried in INFO bodies (RFC 6086 INFO; the de-facto
// application/dtmf-relay "Signal=/Duration=" lines and application/dtmf single-digit bodies).

/** A key press from an INFO body. `signal` is a digit 0-9 * # A-D, or `hf` (hook flash). */
export interface DtmfInfo {
  signal: string;
  /** Milliseconds, when the body gave one. */
  durationMs: number | undefined;
}

export const DTMF_RELAY = 'application/dtmf-relay';
export const DTMF = 'application/dtmf';

const isDigit = (s: string): boolean => s.length === 1 && '0123456789*#ABCD'.includes(s);

/** Normalizes a signal: digits upper-cased; `hf`/`!` (flash) to `hf`; undefined when not a key. */
function signalOf(raw: string): string | undefined {
  const s = raw.trim();
  if (s.toLowerCase() === 'hf' || s === '!') return 'hf';
  // Some phones send event numbers (10 = *, 11 = #, 16 = flash, RFC 4733 §3.2 codes).
  if (/^\d{1,2}$/.test(s)) {
    const n = Number(s);
    if (n <= 9) return String(n);
    if (n === 10) return '*';
    if (n === 11) return '#';
    if (n >= 12 && n <= 15) return 'ABCD'[n - 12];
    if (n === 16) return 'hf';
    return undefined;
  }
  const up = s.toUpperCase();
  return isDigit(up) ? up : undefined;
}

/** `application/dtmf-relay` body: `Signal=5\r\nDuration=160\r\n`. */
export function formatDtmfRelay(signal: string, durationMs = 160): string {
  return `Signal=${signal}\r\nDuration=${Math.round(durationMs)}\r\n`;
}

/** `application/dtmf` body: the digit alone. */
export function formatDtmf(signal: string): string {
  return signal;
}

/** Reads an application/dtmf-relay body; undefined when it names no key. */
export function parseDtmfRelay(body: Buffer | string): DtmfInfo | undefined {
  const text = typeof body === 'string' ? body : body.toString('latin1');
  let signal: string | undefined;
  let durationMs: number | undefined;
  for (const line of text.split(/\r?\n/)) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const name = line.slice(0, eq).trim().toLowerCase();
    const value = line.slice(eq + 1).trim();
    if (name === 'signal') signal = signalOf(value);
    else if (name === 'duration' && /^\d{1,6}$/.test(value)) durationMs = Number(value);
  }
  return signal === undefined ? undefined : { signal, durationMs };
}

/** Reads an application/dtmf body (one key, or an event number). */
export function parseDtmf(body: Buffer | string): DtmfInfo | undefined {
  const text = (typeof body === 'string' ? body : body.toString('latin1')).trim();
  const signal = signalOf(text);
  return signal === undefined ? undefined : { signal, durationMs: undefined };
}

/** The DTMF an INFO carries, by its content type (lowercased `type/subtype`). */
export function dtmfOfInfo(contentType: string, body: Buffer): DtmfInfo | undefined {
  if (contentType === DTMF_RELAY) return parseDtmfRelay(body);
  if (contentType === DTMF) return parseDtmf(body);
  return undefined;
}
