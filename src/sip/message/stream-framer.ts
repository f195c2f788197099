// Stream framing for TCP, TLS and WebSocket byte streams (RFC 3261 §18.3): a message ends
// Content-Length bytes after the empty line. Between messages, CRLFCRLF is a keep-alive ping
// and a lone CRLF its pong (RFC 5626 §4.4.1). A framing fault (bad or conflicting
// Content-Length, size cap) is unrecoverable: the caller closes the connection.
import type { Framer, FramerEvent } from '../../net/index.js';
import { CR, LF, SP, HT, decimalValue, matchesLower } from './bytes.js';
import { defaultParseLimits, type ParseLimits } from './limits.js';

const EMPTY = Buffer.alloc(0);
const PING: FramerEvent = Object.freeze({ kind: 'ping' });
const PONG: FramerEvent = Object.freeze({ kind: 'pong' });

/**
 * Content-Length of the header section `b[0, end)`: -1 when absent, -2 when malformed or
 * repeated with different values, -3 when over `max`.
 */
export function framingContentLength(b: Buffer, end: number, max: number): number {
  let found = -1;
  let p = b.indexOf(LF) + 1;
  while (p > 0 && p < end) {
    let nameEnd = -1;
    if (matchesLower(b, p, end, 'content-length')) nameEnd = p + 14;
    else if ((b[p]! | 0x20) === 0x6c) nameEnd = p + 1;
    if (nameEnd > 0) {
      let q = nameEnd;
      while (q < end && (b[q] === SP || b[q] === HT)) q++;
      if (q < end && b[q] === 0x3a) {
        q++;
        let e = b.indexOf(LF, q);
        if (e < 0 || e > end) e = end;
        while (q < e && (b[q] === SP || b[q] === HT)) q++;
        let t = e;
        while (t > q && (b[t - 1] === SP || b[t - 1] === HT || b[t - 1] === CR)) t--;
        let digits = q;
        while (digits < t && b[digits]! >= 0x30 && b[digits]! <= 0x39) digits++;
        if (digits !== t || t === q) return -2;
        const v = decimalValue(b, q, t, max);
        if (v < 0) return -3;
        if (found >= 0 && found !== v) return -2;
        found = v;
      }
    }
    p = b.indexOf(LF, p) + 1;
  }
  return found;
}

/** Splits a byte stream into messages and keep-alives; implements net's `Framer`. */
export class StreamFramer implements Framer {
  private pending: Buffer = EMPTY;
  private searchFrom = 0;
  private needed = -1;
  private failed = false;
  private readonly limits: ParseLimits;

  constructor(limits: ParseLimits = defaultParseLimits) {
    this.limits = limits;
  }

  push(chunk: Buffer): FramerEvent[] {
    const events: FramerEvent[] = [];
    if (this.failed) return events;
    let b = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    for (;;) {
      if (this.needed < 0) {
        if (b.length === 0) break;
        if (b[0] === CR || b[0] === LF) {
          // Keep-alives only occur between messages (RFC 5626 §4.4.1).
          if (b[0] === LF) {
            b = b.subarray(1);
            continue;
          }
          if (b.length < 2 || (b.length === 3 && b[2] === CR)) break;
          if (b[1] !== LF) return this.fail(events, 'bare CR between messages');
          if (b.length >= 4 && b[2] === CR && b[3] === LF) {
            events.push(PING);
            b = b.subarray(4);
          } else {
            // A lone CRLF (also when it ends the chunk): the pong.
            events.push(PONG);
            b = b.subarray(2);
          }
          continue;
        }
        const idx = b.indexOf('\r\n\r\n', Math.max(0, this.searchFrom - 3), 'latin1');
        if (idx < 0) {
          if (b.length > this.limits.maxMessageBytes) return this.fail(events, `too large: header section over ${this.limits.maxMessageBytes} bytes`);
          this.searchFrom = b.length;
          break;
        }
        const headEnd = idx + 4;
        const cl = framingContentLength(b, headEnd, this.limits.maxMessageBytes);
        if (cl === -2) return this.fail(events, 'bad or conflicting Content-Length');
        if (cl === -3) return this.fail(events, `too large: Content-Length over ${this.limits.maxMessageBytes}`);
        this.needed = headEnd + Math.max(cl, 0);
        if (this.needed > this.limits.maxMessageBytes) return this.fail(events, `too large: message over ${this.limits.maxMessageBytes} bytes`);
      }
      if (b.length < this.needed) break;
      events.push({ kind: 'message', bytes: b.subarray(0, this.needed) });
      b = b.subarray(this.needed);
      this.needed = -1;
      this.searchFrom = 0;
    }
    this.pending = b.length === 0 ? EMPTY : b;
    return events;
  }

  /** Bytes held while waiting for the rest of a message. */
  get bufferedBytes(): number {
    return this.pending.length;
  }

  private fail(events: FramerEvent[], reason: string): FramerEvent[] {
    this.failed = true;
    this.pending = EMPTY;
    events.push({ kind: 'error', reason });
    return events;
  }
}
