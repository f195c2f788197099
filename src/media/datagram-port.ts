import { createSocket, type Socket } from 'node:dgram';

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

/** Binds a UDP port (0 = any free one) on `address`. */
export async function bindUdpPort(address = '127.0.0.1', port = 0): Promise<DatagramPort> {
  const socket: Socket = createSocket({ type: address.includes(':') ? 'udp6' : 'udp4' });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, address, () => {
      socket.off('error', reject);
      resolve();
    });
  });
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
