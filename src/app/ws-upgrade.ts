// Binds the `ws` package to the web handset server's SocketChannel port (only app/ touches ws).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData } from 'ws';
import { MAX_FRAME_BYTES, type SocketChannel, type WebSocketUpgrade } from '../ui/index.js';

const toBytes = (d: RawData): Uint8Array => (Array.isArray(d) ? Buffer.concat(d) : d instanceof ArrayBuffer ? new Uint8Array(d) : d);

export function createWsUpgrade(): WebSocketUpgrade {
  // No per-message compression: audio does not compress and deflate is a memory risk.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  return (req: IncomingMessage, socket: Duplex, head: Buffer) =>
    new Promise<SocketChannel>((resolve) => {
      wss.handleUpgrade(req, socket, head, (ws) => {
        ws.binaryType = 'nodebuffer';
        // On protocol errors (an oversized frame, bad UTF-8) ws closes the socket with the right
        // code itself; without a listener the error event would be an uncaught exception.
        ws.on('error', () => undefined);
        resolve({
          send: (data) => ws.send(data),
          get bufferedAmount() {
            return ws.bufferedAmount;
          },
          onMessage: (listener) => ws.on('message', (d: RawData, binary: boolean) => listener(toBytes(d), binary)),
          onClose: (listener) => ws.on('close', listener),
          close: (code, reason) => ws.close(code, reason),
        });
      });
    });
}
