// The SipStack's trace: one entry per SIP message sent or received, for diagnostics (a SIP
// ladder). Only the start line's method or status, Call-ID and CSeq are kept, never a header that
// could carry credentials (Authorization, Proxy-Authorization) nor a body. Nothing is built while
// nobody listens.
import type { Destination, Endpoint, Transport, TransportKind } from '../../net/index.js';
import { parseMessage, type SipMessage } from '../message/index.js';
import { hostForUri } from '../transport/index.js';

export interface SipTraceEntry {
  /** The stack's clock (monotonic ms). */
  readonly time: number;
  readonly direction: 'in' | 'out';
  readonly transport: TransportKind;
  /** The peer's address and port ("192.0.2.1:5060", "[::1]:5060"). */
  readonly remote: string;
  /** A request's method ("INVITE") or a response's status and reason ("180 Ringing"). */
  readonly firstLine: string;
  readonly callId: string;
  /** "1 INVITE". */
  readonly cseq: string;
}

export type SipTraceListener = (entry: SipTraceEntry) => void;

export function traceEntry(direction: 'in' | 'out', msg: SipMessage, peer: Endpoint | Destination, time: number): SipTraceEntry {
  return {
    time, direction, transport: peer.transport, remote: `${hostForUri('address' in peer ? peer.address : peer.host)}:${peer.port}`,
    firstLine: msg.isRequest ? msg.method : `${msg.status} ${msg.reason}`, callId: msg.callId, cseq: `${msg.cseq} ${msg.method}`,
  };
}

/**
 * The stack's transport with every send traced (retransmissions and the 2xx ACK included: the
 * session layer sends those on `stack.transport` too). Everything else is the transport itself
 * (a proxy, so a test transport's extra members stay visible). Our own bytes are parsed again
 * only while a listener exists.
 */
export function tracedTransport(inner: Transport, listeners: ReadonlySet<SipTraceListener>, now: () => number): Transport {
  const send: Transport['send'] = (destination, bytes) => {
    if (listeners.size > 0) {
      const r = parseMessage(bytes, { datagram: true });
      if (r.kind === 'ok') emitTrace(listeners, traceEntry('out', r.message, destination, now()));
    }
    return inner.send(destination, bytes);
  };
  // Methods are bound once each, not on every access (sends and lookups are hot).
  const bound = new WeakMap<object, unknown>();
  return new Proxy(inner, {
    get(target, name) {
      if (name === 'send') return send;
      const v: unknown = Reflect.get(target, name, target);
      if (typeof v !== 'function') return v;
      let b = bound.get(v);
      if (b === undefined) bound.set(v, (b = (v as (...a: unknown[]) => unknown).bind(target)));
      return b;
    },
  });
}

export function emitTrace(listeners: ReadonlySet<SipTraceListener>, entry: SipTraceEntry): void {
  for (const l of listeners) l(entry);
}
