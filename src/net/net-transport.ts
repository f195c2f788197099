// The composite Transport: one object for every transport kind, sharing one connection pool and
// one event stream. This is what the SIP layer is given.
import { err, SystemClock, type Clock, type Result } from '../util/index.js';
import { ConnectionPool } from './connection-pool.js';
import { netError, type NetError } from './errors.js';
import { StreamTransport } from './stream-transport.js';
import type { Destination, Endpoint, FramerFactory, KeepAliveHandle, KeepAliveOptions, KeepAliveTarget, ListenSpec, SendInfo, Transport, TransportEvent } from './types.js';
import { UdpTransport } from './udp-transport.js';
import { WsTransport } from './ws-transport.js';

function isPort(p: number, zeroAllowed: boolean): boolean {
  return Number.isInteger(p) && p <= 65535 && (p > 0 || (zeroAllowed && p === 0));
}

export interface NetTransportOptions {
  /** Frames TCP/TLS byte streams into SIP messages (the SIP layer's framer). */
  framer: FramerFactory;
  clock?: Clock;
  /** Connect + TLS handshake (+ WebSocket upgrade) limit; default 10 s. */
  connectTimeoutMs?: number;
  /** Largest WebSocket message accepted; default 65535 bytes. */
  maxWsMessageBytes?: number;
  /** Open connections (all kinds) beyond which inbound ones are refused; default 1024. */
  maxConnections?: number;
  /** Inbound connections with nothing received for this long are closed (`idle-timeout`); default 0 = never. */
  idleTimeoutMs?: number;
}

export class NetTransport implements Transport {
  private readonly listenersSet = new Set<(e: TransportEvent) => void>();
  private readonly pool: ConnectionPool;
  private readonly udp: UdpTransport;
  private readonly stream: StreamTransport;
  private readonly ws: WsTransport;

  constructor(options: NetTransportOptions) {
    const clock = options.clock ?? new SystemClock();
    const emit = (e: TransportEvent): void => {
      for (const l of [...this.listenersSet]) l(e);
    };
    const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.pool = new ConnectionPool(clock, emit, { maxConnections: options.maxConnections ?? 1024, idleTimeoutMs: options.idleTimeoutMs ?? 0 });
    this.udp = new UdpTransport(clock, emit);
    this.stream = new StreamTransport({ clock, pool: this.pool, framer: options.framer, emit, connectTimeoutMs });
    this.ws = new WsTransport({ clock, pool: this.pool, emit, connectTimeoutMs, maxMessageBytes: options.maxWsMessageBytes ?? 65_535 });
  }

  listen(spec: ListenSpec): Promise<Result<Endpoint, NetError>> {
    // dgram would silently take a port modulo 65536; refuse out-of-range ports for every kind.
    if (!isPort(spec.port, true)) return Promise.resolve(err(netError('invalid-argument', `listening port ${spec.port} is out of range`)));
    switch (spec.transport) {
      case 'udp':
        return this.udp.listen(spec);
      case 'tcp':
      case 'tls':
        return this.stream.listen({ ...spec, transport: spec.transport });
      case 'ws':
      case 'wss':
        return this.ws.listen({ ...spec, transport: spec.transport });
    }
  }

  send(destination: Destination, bytes: Buffer): Promise<Result<SendInfo, NetError>> {
    if (!isPort(destination.port, false)) return Promise.resolve(err(netError('invalid-argument', `destination port ${destination.port} is out of range`)));
    switch (destination.transport) {
      case 'udp':
        return this.udp.send(destination, bytes);
      case 'tcp':
      case 'tls':
        return this.stream.send({ ...destination, transport: destination.transport }, bytes);
      case 'ws':
      case 'wss':
        return this.ws.send({ ...destination, transport: destination.transport }, bytes);
    }
  }

  onEvent(listener: (event: TransportEvent) => void): () => void {
    this.listenersSet.add(listener);
    return () => this.listenersSet.delete(listener);
  }

  startKeepAlive(target: KeepAliveTarget, options: KeepAliveOptions): Result<KeepAliveHandle, NetError> {
    if ('connectionId' in target) return this.pool.startKeepAlive(target.connectionId, options);
    if (target.destination.transport === 'udp') return this.udp.startKeepAlive(target.destination, options);
    return err(netError('not-supported', 'keep-alives on connection transports run on an open connection: pass its connectionId'));
  }

  closeConnection(connectionId: string): void {
    this.pool.close(connectionId);
  }

  listeners(): Endpoint[] {
    return [...this.udp.listeners(), ...this.stream.listeners(), ...this.ws.listeners()];
  }

  /** Number of open connections (all connection-oriented kinds). */
  get connectionCount(): number {
    return this.pool.size;
  }

  async close(): Promise<void> {
    this.pool.closeAll();
    await Promise.all([this.udp.close(), this.stream.close(), this.ws.close()]);
  }
}

/** A Transport over real sockets. */
export function createNetTransport(options: NetTransportOptions): NetTransport {
  return new NetTransport(options);
}

