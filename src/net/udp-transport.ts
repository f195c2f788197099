// UDP: one socket per listening address, used both to receive and to send, so responses come back
// to the port our requests left from (symmetric response routing, RFC 3581 §1 and §4).
import { createSocket, type Socket } from 'node:dgram';
import { err, ok, type Clock, type Result } from '../util/index.js';
import { endpoint, familyOf } from './endpoint.js';
import { fromNodeError, invalidArgument, netError, type NetError } from './errors.js';
import { KeepAliveTimer } from './keep-alive.js';
import { numericFirstLookup } from './numeric-lookup.js';
import type { Destination, Endpoint, KeepAliveHandle, KeepAliveOptions, ListenSpec, SendInfo, TransportEvent } from './types.js';

const KEEPALIVE_DEFAULT = Buffer.from('\r\n\r\n');

/** A datagram of only CR and LF is a keep-alive, not a SIP message (RFC 5626 §3.5.1 spirit); it is dropped. */
function isKeepAlive(b: Buffer): boolean {
  if (b.length === 0 || b.length > 4) return false;
  for (const c of b) if (c !== 0x0d && c !== 0x0a) return false;
  return true;
}

interface Bound {
  socket: Socket;
  local: Endpoint;
}

export class UdpTransport {
  private readonly bound: Bound[] = [];
  /** Keep-alive datagrams dropped on receipt. */
  keepAlivesReceived = 0;

  constructor(
    private readonly clock: Clock,
    private readonly emit: (e: TransportEvent) => void,
  ) {}

  listen(spec: ListenSpec): Promise<Result<Endpoint, NetError>> {
    const what = `listening on udp ${spec.address} port ${spec.port}`;
    const v6 = familyOf(spec.address) === 'IPv6';
    const socket = createSocket({ type: v6 ? 'udp6' : 'udp4', ipv6Only: v6, lookup: numericFirstLookup });
    return new Promise((resolve) => {
      const onError = (e: Error): void => {
        socket.close();
        resolve(err(fromNodeError(e, what)));
      };
      socket.once('error', onError);
      try {
        socket.bind({ address: spec.address, port: spec.port, exclusive: true }, () => {
          socket.removeListener('error', onError);
          resolve(ok(this.attach(socket)));
        });
      } catch (e) {
        // A port out of range throws at once.
        socket.close();
        resolve(err(invalidArgument(e, what)));
      }
    });
  }

  private attach(socket: Socket): Endpoint {
    const a = socket.address();
    const local = endpoint('udp', a.address, a.port);
    socket.on('error', (e) => this.emit({ kind: 'socket-error', local, error: fromNodeError(e, `udp socket ${local.address} port ${local.port}`) }));
    socket.on('message', (bytes, rinfo) => {
      if (isKeepAlive(bytes)) {
        this.keepAlivesReceived++;
        return;
      }
      // RFC 3581 §4: the real source address and port of the datagram, for received/rport.
      this.emit({ kind: 'message', bytes, source: endpoint('udp', rinfo.address, rinfo.port), local });
    });
    this.bound.push({ socket, local });
    return local;
  }

  listeners(): Endpoint[] {
    return this.bound.map((b) => b.local);
  }

  send(dest: Destination, bytes: Buffer): Promise<Result<SendInfo, NetError>> {
    const b = this.socketFor(dest);
    if (!b) return Promise.resolve(err(netError('no-listener', `no UDP socket of family ${familyOf(dest.host)} to send from; listen first`)));
    if (bytes.length > 65507) return Promise.resolve(err(netError('message-too-large', `${bytes.length} bytes do not fit in one UDP datagram`)));
    return new Promise((resolve) => {
      const what = `udp send to ${dest.host} port ${dest.port}`;
      try {
        b.socket.send(bytes, dest.port, dest.host, (e) => resolve(e ? err(fromNodeError(e, what)) : ok({ local: b.local })));
      } catch (e) {
        // dgram throws synchronously on a closed socket or a bad port.
        resolve(err(fromNodeError(e, what)));
      }
    });
  }

  startKeepAlive(dest: Destination, options: KeepAliveOptions): Result<KeepAliveHandle, NetError> {
    const b = this.socketFor(dest);
    if (!b) return err(netError('no-listener', `no UDP socket of family ${familyOf(dest.host)} for keep-alives`));
    const payload = options.payload ?? KEEPALIVE_DEFAULT;
    // UDP has no pong to wait for; the SIP layer may use OPTIONS (or STUN later) to detect failure.
    const timer = new KeepAliveTimer(this.clock, options.intervalMs, null, () => void this.send(dest, payload), () => {});
    timer.start();
    return ok({ stop: () => timer.stop() });
  }

  async close(): Promise<void> {
    await Promise.all(this.bound.map((b) => new Promise<void>((res) => b.socket.close(() => res()))));
    this.bound.length = 0;
  }

  /** The first listening socket of the destination's family. */
  private socketFor(dest: Destination): Bound | undefined {
    const fam = familyOf(dest.host);
    return this.bound.find((b) => b.local.family === fam);
  }
}
