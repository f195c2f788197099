import { createSocket, type Socket } from 'node:dgram';
import { numericFirstLookup } from '../net/index.js';

/** Where a datagram came from or goes to. */
export interface DatagramAddress {
  address: string;
  port: number;
}

/**
 * One bound UDP port as the media stream sees it. Real sockets implement it here; tests use an
 * in-memory network with the same shape.
 */
export interface DatagramPort {
  readonly local: DatagramAddress;
  send(data: Buffer, to: DatagramAddress): void;
  onDatagram(handler: (data: Buffer, from: DatagramAddress) => void): void;
  close(): void;
}

/** A UDP socket bound to `port` (0 = any free one) on `address`; rejects with the bind error. */
export function bindUdpSocket(address: string, port: number): Promise<Socket> {
  // numericFirstLookup: RTP to a numeric address leaves during send(), not a tick later.
  const socket: Socket = createSocket({ type: address.includes(':') ? 'udp6' : 'udp4', lookup: numericFirstLookup });
  return new Promise<Socket>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, address, () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}

/** A bound socket as a DatagramPort (the port owns the socket from now on). */
export function datagramPortOf(socket: Socket): DatagramPort {
  const bound = socket.address();
  let handler: (data: Buffer, from: DatagramAddress) => void = () => {};
  let open = true;
  socket.on('message', (msg, rinfo) => handler(msg, { address: rinfo.address, port: rinfo.port }));
  // Send errors (ICMP port unreachable and the like) must never take the process down.
  socket.on('error', () => {});
  return {
    local: { address: bound.address, port: bound.port },
    // Sending after close is a no-op: a stream's last RTCP BYE may race the port's owner closing it.
    send: (data, to) => open && socket.send(data, to.port, to.address),
    onDatagram: (h) => {
      handler = h;
    },
    close: () => {
      if (open) socket.close();
      open = false;
    },
  };
}

/**
 * Binds a UDP port on `address`. Port 0 (any free one) comes from `defaultUdpPortPool`: a port
 * bound ahead of time when one is ready, so a call's answer need not wait for a bind.
 */
export async function bindUdpPort(address = '127.0.0.1', port = 0): Promise<DatagramPort> {
  if (port === 0) return defaultUdpPortPool.acquire(address);
  return datagramPortOf(await bindUdpSocket(address, port));
}

/**
 * Spare UDP sockets bound ahead of time per local address, for RTP ports wanted at once (an
 * incoming call answered in the same turn it arrived). `acquire` hands out a spare (or binds one
 * when none is ready) and refills the spares after the current I/O turn, off the answering path.
 * A released port is closed, never handed out again: RTP still arriving for the call that ended
 * must not reach the next one. Spares are unref'd, so they never keep the process alive.
 */
export class UdpPortPool {
  private readonly spares = new Map<string, Socket[]>();
  private readonly refills = new Set<string>();
  private closed = false;

  /** `size`: spares kept per address (0 binds on demand only). */
  constructor(readonly size = 2) {}

  /** A port bound on `address` (any free port); rejects with the bind error when none can be bound. */
  async acquire(address: string): Promise<DatagramPort> {
    const socket = this.spares.get(address)?.pop() ?? (await bindUdpSocket(address, 0));
    socket.ref();
    this.refill(address);
    return datagramPortOf(socket);
  }

  /** Ports of the spares ready on `address`. */
  sparePorts(address: string): number[] {
    return (this.spares.get(address) ?? []).map((s) => s.address().port);
  }

  /** Closes the spares; later `acquire`s bind on demand and keep none. */
  close(): void {
    this.closed = true;
    for (const list of this.spares.values()) for (const s of list.splice(0)) s.close();
  }

  private refill(address: string): void {
    if (this.closed || this.size === 0 || this.refills.has(address)) return;
    this.refills.add(address);
    setImmediate(() => void this.fill(address));
  }

  private async fill(address: string): Promise<void> {
    let list = this.spares.get(address);
    if (list === undefined) this.spares.set(address, (list = []));
    try {
      while (!this.closed && list.length < this.size) {
        const s = await bindUdpSocket(address, 0);
        // Nothing reads a spare: a stray datagram to it is dropped, its errors ignored.
        s.on('error', () => {});
        s.unref();
        if (this.closed) s.close();
        else list.push(s);
      }
    } catch {
      // No spare now (out of ports or descriptors): acquire binds on demand and reports the error.
    } finally {
      this.refills.delete(address);
    }
  }
}

/** The pool behind `bindUdpPort(address)`. */
export const defaultUdpPortPool = new UdpPortPool();
