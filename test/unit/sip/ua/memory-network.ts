// An in-memory network for SIP stack tests: transports that deliver to each other by address,
// asynchronously (as sockets do), a clock that knows its next due timer, and a helper that runs
// time forward letting every delivery settle in between.
import { ManualClock, ok, err, type Result, type TimerHandle } from '../../../../src/util/index.js';
import type {
  Destination, Endpoint, KeepAliveHandle, KeepAliveOptions, KeepAliveTarget, ListenSpec, NetError, SendInfo, Transport, TransportEvent, TransportKind,
} from '../../../../src/net/index.js';

/** ManualClock that can say when its next timer is due. */
export class SteppingClock extends ManualClock {
  private readonly due = new Map<number, number>();
  override setTimer(delayMs: number, fire: () => void): TimerHandle {
    let id = 0;
    const h = super.setTimer(delayMs, () => {
      this.due.delete(id);
      fire();
    });
    id = h.id;
    this.due.set(id, this.now() + Math.max(0, delayMs));
    return h;
  }
  override clearTimer(handle: TimerHandle): void {
    this.due.delete(handle.id);
    super.clearTimer(handle);
  }
  nextDue(): number | undefined {
    let min: number | undefined;
    for (const at of this.due.values()) if (min === undefined || at < min) min = at;
    return min;
  }
}

/** Lets every pending promise and delivery run. */
export const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Settles until no packet is in flight. */
export async function quiet(net: MemoryNetwork): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    await settle();
    if (net.pending === 0) {
      await settle();
      if (net.pending === 0) return;
    }
  }
}

/** Moves the clock forward by `ms`, firing timers in order and settling deliveries after each. */
export async function runFor(net: MemoryNetwork, ms: number): Promise<void> {
  const clock = net.clock;
  const end = clock.now() + ms;
  for (;;) {
    await quiet(net);
    const next = clock.nextDue();
    if (next === undefined || next > end) break;
    clock.advance(next - clock.now());
  }
  clock.advance(end - clock.now());
  await quiet(net);
}

export interface Packet {
  at: number;
  from: Endpoint;
  to: Destination;
  text: string;
}

export class MemoryNetwork {
  readonly transports: MemoryTransport[] = [];
  /** Every packet put on the wire (delivered or not). */
  readonly log: Packet[] = [];
  /** Return true to lose a packet. */
  drop: (p: Packet) => boolean = () => false;
  /** Deliveries scheduled but not yet made. */
  pending = 0;
  private nextPort = 40000;
  constructor(readonly clock: SteppingClock) {}

  transport(): MemoryTransport {
    const t = new MemoryTransport(this);
    this.transports.push(t);
    return t;
  }
  /** @internal */ allocatePort(): number {
    return this.nextPort++;
  }
  /** @internal */ find(kind: TransportKind, host: string, port: number): { t: MemoryTransport; local: Endpoint } | undefined {
    for (const t of this.transports) {
      const l = t.bound.find((e) => e.transport === kind && e.address === host && e.port === port);
      if (l) return { t, local: l };
    }
    return undefined;
  }
}

const family = (a: string): 'IPv4' | 'IPv6' => (a.includes(':') ? 'IPv6' : 'IPv4');

export class MemoryTransport implements Transport {
  readonly bound: Endpoint[] = [];
  readonly keepAlives: Array<{ target: KeepAliveTarget; options: KeepAliveOptions; stopped: boolean }> = [];
  /** connection id → the peer transport and the peer's view of the connection. */
  private readonly connections = new Map<string, { peer: MemoryTransport; peerConn: string; remote: Endpoint; local: Endpoint }>();
  private readonly subscribers = new Set<(e: TransportEvent) => void>();
  private closed = false;
  constructor(private readonly net: MemoryNetwork) {}

  async listen(spec: ListenSpec): Promise<Result<Endpoint, NetError>> {
    const e: Endpoint = { transport: spec.transport, address: spec.address, port: spec.port === 0 ? this.net.allocatePort() : spec.port, family: family(spec.address) };
    this.bound.push(e);
    return ok(e);
  }

  async send(d: Destination, bytes: Buffer): Promise<Result<SendInfo, NetError>> {
    await Promise.resolve();
    if (this.closed) return err({ code: 'socket-error', message: 'closed' });
    // Connection reuse (RFC 3261 §18.1.1): an open connection to the same address is used again.
    let connId = d.connectionId;
    if (connId === undefined && d.transport !== 'udp') {
      for (const [id, c] of this.connections) if (c.remote.transport === d.transport && c.remote.address === d.host && c.remote.port === d.port) connId = id;
    }
    const conn = connId === undefined ? undefined : this.connections.get(connId);
    const local = conn?.local ?? this.bound.find((e) => e.transport === d.transport) ?? { transport: d.transport, address: '127.0.0.1', port: this.net.allocatePort(), family: 'IPv4' };
    const packet: Packet = { at: this.net.clock.now(), from: local, to: d, text: bytes.toString('latin1') };
    this.net.log.push(packet);
    if (conn !== undefined) {
      if (!this.net.drop(packet)) conn.peer.deliver(bytes, conn.local, conn.remote, conn.peerConn);
      return ok({ connectionId: connId!, local: conn.local });
    }
    const target = this.net.find(d.transport, d.host, d.port);
    if (d.transport === 'udp') {
      if (target && !this.net.drop(packet)) target.t.deliver(bytes, local, target.local, undefined);
      return ok({ local });
    }
    if (!target || target.t.closed) return err({ code: 'connection-refused', message: `the peer refused the connection (${d.host} port ${d.port})` });
    const id = `c${this.net.allocatePort()}`;
    const peerId = `p${id}`;
    const mine = { peer: target.t, peerConn: peerId, remote: target.local, local };
    this.connections.set(id, mine);
    target.t.connections.set(peerId, { peer: this, peerConn: id, remote: local, local: target.local });
    if (!this.net.drop(packet)) target.t.deliver(bytes, local, target.local, peerId);
    return ok({ connectionId: id, local });
  }

  /** Closes a connection from the far side (the registrar going away). */
  breakConnection(id: string): void {
    const c = this.connections.get(id);
    if (!c) return;
    this.connections.delete(id);
    c.peer.connections.delete(c.peerConn);
    c.peer.emit({ kind: 'connection-closed', connectionId: c.peerConn, remote: c.local, reason: { code: 'connection-reset', message: 'the peer reset the connection' } });
  }

  connectionIds(): string[] {
    return [...this.connections.keys()];
  }

  private deliver(bytes: Buffer, source: Endpoint, local: Endpoint, connectionId: string | undefined): void {
    if (this.closed) return;
    this.net.pending++;
    setImmediate(() => {
      this.net.pending--;
      if (this.closed) return;
      const e: TransportEvent = connectionId === undefined ? { kind: 'message', bytes, source, local } : { kind: 'message', bytes, source, local, connectionId };
      this.emit(e);
    });
  }

  private emit(e: TransportEvent): void {
    for (const l of [...this.subscribers]) l(e);
  }

  onEvent(listener: (event: TransportEvent) => void): () => void {
    this.subscribers.add(listener);
    return () => this.subscribers.delete(listener);
  }
  startKeepAlive(target: KeepAliveTarget, options: KeepAliveOptions): Result<KeepAliveHandle, NetError> {
    const rec = { target, options, stopped: false };
    this.keepAlives.push(rec);
    return ok({ stop: () => void (rec.stopped = true) });
  }
  closeConnection(connectionId: string): void {
    this.breakConnection(connectionId);
  }
  listeners(): Endpoint[] {
    return [...this.bound];
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}
