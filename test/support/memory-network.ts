import type { Clock } from '../../src/util/index.js';
import type { DatagramAddress, DatagramPort } from '../../src/media/index.js';

/**
 * An in-memory datagram network on an injected clock: ports bound at addresses, with a per-packet
 * delay/loss script, so media scenarios run deterministically in milliseconds.
 */
export class MemoryNetwork {
  private readonly ports = new Map<string, (data: Buffer, from: DatagramAddress) => void>();
  /** Returns the one-way delay in ms for a packet, or null to lose it. */
  path: (from: DatagramAddress, to: DatagramAddress, data: Buffer) => number | null = () => 0;
  delivered = 0;

  constructor(private readonly clock: Clock) {}

  bind(address: string, port: number): DatagramPort {
    const key = `${address}:${port}`;
    let handler: (data: Buffer, from: DatagramAddress) => void = () => {};
    this.ports.set(key, (d, f) => handler(d, f));
    const local = { address, port };
    return {
      local,
      send: (data, to) => this.inject(Buffer.from(data), local, to),
      onDatagram: (h) => {
        handler = h;
      },
      close: () => this.ports.delete(key),
    };
  }

  /** Sends a datagram as if from `from` (also used to forge traffic in tests). */
  inject(data: Buffer, from: DatagramAddress, to: DatagramAddress): void {
    const delay = this.path(from, to, data);
    if (delay === null) return;
    const deliver = () => {
      this.delivered++;
      this.ports.get(`${to.address}:${to.port}`)?.(data, { ...from });
    };
    if (delay <= 0) deliver();
    else this.clock.setTimer(delay, deliver);
  }
}
