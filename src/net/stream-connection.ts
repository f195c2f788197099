// A TCP or TLS connection: bytes go through the injected Framer (RFC 3261 §18.3 framing and the
// RFC 5626 §4.4.1 CRLF keep-alive); a framing error closes the connection.
import type { Socket } from 'node:net';
import { err, ok, type Result } from '../util/index.js';
import type { Connection, ConnectionSink } from './connection-pool.js';
import { endpoint } from './endpoint.js';
import { fromNodeError, netError, type NetError } from './errors.js';
import type { Endpoint, Framer } from './types.js';

/** RFC 5626 §4.4.1: the ping is a double CRLF, the pong a single CRLF. */
export const CRLF_PING = Buffer.from('\r\n\r\n');
export const CRLF_PONG = Buffer.from('\r\n');

export class StreamConnection implements Connection {
  readonly remote: Endpoint;
  readonly local: Endpoint;
  private closeReason: NetError | null = null;
  private closing = false;

  constructor(
    readonly id: string,
    readonly key: string,
    private readonly socket: Socket,
    kind: 'tcp' | 'tls',
    private readonly framer: Framer,
    private readonly sink: ConnectionSink,
  ) {
    this.remote = endpoint(kind, socket.remoteAddress, socket.remotePort);
    this.local = endpoint(kind, socket.localAddress, socket.localPort);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e) => {
      this.closeReason ??= fromNodeError(e, `connection ${id} to ${this.remote.address} port ${this.remote.port}`);
    });
    socket.on('close', () => this.sink.closed(this, this.closeReason));
  }

  write(bytes: Buffer): Result<void, NetError> {
    if (this.closing || this.socket.destroyed || !this.socket.writable) {
      return err(netError('connection-closed', `connection ${this.id} is closed`));
    }
    this.socket.write(bytes);
    return ok(undefined);
  }

  sendPing(): void {
    if (!this.closing && this.socket.writable) this.socket.write(CRLF_PING);
  }

  close(reason: NetError | null): void {
    if (this.closing) return;
    this.closing = true;
    this.closeReason ??= reason;
    // Errors end the connection at once; an orderly close lets queued bytes drain first.
    if (reason) this.socket.destroy();
    else this.socket.end(() => this.socket.destroy());
  }

  private onData(chunk: Buffer): void {
    if (this.closing) return;
    this.sink.activity(this);
    for (const ev of this.framer.push(chunk)) {
      switch (ev.kind) {
        case 'message':
          this.sink.message(this, ev.bytes);
          break;
        case 'ping':
          this.sendPong();
          break;
        case 'pong':
          this.sink.pong(this);
          break;
        case 'error':
          this.close(netError('framing-error', `connection ${this.id}: ${ev.reason}`));
          return;
      }
      if (this.closing) return;
    }
  }

  private sendPong(): void {
    if (this.socket.writable) this.socket.write(CRLF_PONG);
  }
}
