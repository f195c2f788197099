// Shared by the net tests: a trivial length-prefixed test framer ("<length>:<payload>", with the
// RFC 5626 CRLF ping/pong between frames), event waiting, and an IPv6 availability probe.
import { createSocket } from 'node:dgram';
import type { Framer, FramerEvent, NetTransport, TransportEvent } from '../../../src/net/index.js';

export const MAX_TEST_FRAME = 4096;

/** Frames "<decimal length>:<payload>"; "\r\n\r\n" between frames is a ping, a lone "\r\n" a pong. */
export function testFramer(): Framer {
  let buf = Buffer.alloc(0);
  return {
    push(chunk: Buffer): FramerEvent[] {
      buf = Buffer.concat([buf, chunk]);
      const out: FramerEvent[] = [];
      for (;;) {
        if (buf.length >= 4 && buf.subarray(0, 4).toString('latin1') === '\r\n\r\n') {
          out.push({ kind: 'ping' });
          buf = buf.subarray(4);
          continue;
        }
        if (buf.length >= 2 && buf[0] === 0x0d && buf[1] === 0x0a) {
          // A lone CRLF is a pong only if no second CRLF could follow (else wait for more bytes).
          if (buf.length === 2 || !(buf[2] === 0x0d)) {
            out.push({ kind: 'pong' });
            buf = buf.subarray(2);
            continue;
          }
          if (buf.length < 4) return out;
        }
        const colon = buf.indexOf(0x3a);
        if (colon < 0) {
          if (buf.length > 8) return [...out, { kind: 'error', reason: 'no length prefix' }];
          return out;
        }
        const lenText = buf.subarray(0, colon).toString('latin1');
        if (!/^[0-9]{1,6}$/.test(lenText)) return [...out, { kind: 'error', reason: 'bad length prefix' }];
        const len = Number(lenText);
        if (len > MAX_TEST_FRAME) return [...out, { kind: 'error', reason: 'frame too large' }];
        if (buf.length < colon + 1 + len) return out;
        out.push({ kind: 'message', bytes: Buffer.from(buf.subarray(colon + 1, colon + 1 + len)) });
        buf = buf.subarray(colon + 1 + len);
      }
    },
  };
}

export function frame(text: string): Buffer {
  const body = Buffer.from(text);
  return Buffer.concat([Buffer.from(`${body.length}:`), body]);
}

/** Resolves with the first event matching `pred`, or rejects after `ms` of real time. */
export function nextEvent<E extends TransportEvent>(t: NetTransport, pred: (e: TransportEvent) => e is E, ms?: number): Promise<E>;
export function nextEvent(t: NetTransport, pred: (e: TransportEvent) => boolean, ms?: number): Promise<TransportEvent>;
export function nextEvent(t: NetTransport, pred: (e: TransportEvent) => boolean, ms = 3000): Promise<TransportEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error('timed out waiting for a transport event'));
    }, ms);
    const off = t.onEvent((e) => {
      if (!pred(e)) return;
      clearTimeout(timer);
      off();
      resolve(e);
    });
  });
}

export const isMessage = (e: TransportEvent): e is Extract<TransportEvent, { kind: 'message' }> => e.kind === 'message';

/** True when a UDP socket can bind ::1 here. */
export function ipv6Loopback(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createSocket('udp6');
    s.once('error', () => resolve(false));
    s.bind(0, '::1', () => s.close(() => resolve(true)));
  });
}

/** Real-time wait for something outside the transport (a raw peer socket). */
export function until<T>(register: (done: (v: T) => void) => void, ms = 3000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), ms);
    register((v) => {
      clearTimeout(timer);
      resolve(v);
    });
  });
}
