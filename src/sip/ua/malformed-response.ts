// The answer to a request the parser refused (RFC 3261 §8.2, RFC 4475): no SipMessage exists,
// so the lines a response must copy (Via, From, To, Call-ID, CSeq, §8.2.6.2) are picked out of
// the raw bytes as far as they can be found.
import type { ServerResponse } from '../message/index.js';

const copied: Record<string, string> = {
  via: 'Via', v: 'Via', from: 'From', f: 'From', to: 'To', t: 'To', 'call-id': 'Call-ID', i: 'Call-ID', cseq: 'CSeq',
};

/** Header lines of a raw message (folds joined), up to the blank line or `limit` bytes. */
function rawHeaderLines(bytes: Buffer, limit: number): [string, string][] {
  const text = bytes.toString('latin1', 0, Math.min(bytes.length, limit));
  const end = text.search(/\r?\n\r?\n/);
  const lines = (end < 0 ? text : text.slice(0, end)).split(/\r?\n/).slice(1);
  const out: [string, string][] = [];
  for (const line of lines) {
    if ((line.startsWith(' ') || line.startsWith('\t')) && out.length > 0) {
      out[out.length - 1]![1] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    out.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return out;
}

/** True when the bytes start like a request (not `SIP/`): only requests are answered. */
export function looksLikeRequest(bytes: Buffer): boolean {
  let p = 0;
  while (p + 1 < bytes.length && bytes[p] === 0x0d && bytes[p + 1] === 0x0a) p += 2;
  return bytes.length - p >= 4 && bytes.toString('latin1', p, p + 4) !== 'SIP/';
}

const printable = (s: string): string => s.replace(/[^\x20-\x7e]/g, '?');

/**
 * Response bytes for a refused request: status and phrase as the parser named them, the copied
 * lines that could be found, a To tag when To has none, and a Warning (399) saying why.
 */
export function malformedRequestResponse(bytes: Buffer, answer: ServerResponse, why: string, toTag: string): Buffer {
  const lines = rawHeaderLines(bytes, 64 * 1024);
  let head = `SIP/2.0 ${answer.status} ${printable(answer.reason)}\r\n`;
  const seen = new Set<string>();
  for (const [name, value] of lines) {
    const canonical = copied[name.toLowerCase()];
    if (canonical === undefined) continue;
    // Single-value headers are copied once: RFC 4475 §3.3.8 repeats them.
    if (canonical !== 'Via' && seen.has(canonical)) continue;
    seen.add(canonical);
    let v = printable(value);
    if (canonical === 'To' && !/;\s*tag\s*=/i.test(v)) v += `;tag=${toTag}`;
    head += `${canonical}: ${v}\r\n`;
  }
  head += `Warning: 399 handset "${printable(why).replace(/["\\]/g, "'")}"\r\nContent-Length: 0\r\n\r\n`;
  return Buffer.from(head, 'latin1');
}
