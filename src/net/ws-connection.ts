// One SIP-over-WebSocket connection (RFC 7118): each WebSocket message is exactly one SIP message
// (§5), so no stream framer is involved. Keep-alives use WebSocket ping/pong frames; a peer's
// CRLF CRLF text message is also answered with CRLF (RFC 5626 §4.4.1 style).
import { isUtf8 } from 'node:buffer';
import type { RawData, WebSocket } from 'ws';
import { err, ok, type Result } from '../util/index.js';
import type { Connection, ConnectionSink } from './connection-pool.js';
import { fromNodeError, netError, type NetError } from './errors.js';
import { CRLF_PING, CRLF_PONG } from './stream-connection.js';
import type { Endpoint } from './types.js';

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

const CLOSE_GRACE_MS = 2_000;

/** Close codes that mean an orderly end (RFC 6455 §7.4.1: normal, going away, none given). */
const orderly = new Set([1000, 1001, 1005]);

export class WsConnection implements Connection {
  private closeReason: NetError | null = null;
  private closing = false;

  constructor(
    readonly id: string,
    readonly key: string,
    readonly remote: Endpoint,
    readonly local: Endpoint,
    private readonly ws: WebSocket,
    private readonly sink: ConnectionSink,
  ) {
    ws.on('message', (data) => this.onMessage(toBuffer(data)));
    ws.on('pong', () => this.sink.pong(this));
    ws.on('ping', () => this.sink.activity(this));
    ws.on('error', (e) => {
      const code = (e as { code?: string }).code;
      this.closeReason ??= code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'
        ? netError('message-too-large', `connection ${id}: WebSocket message over the size limit`, code)
        : fromNodeError(e, `connection ${id} to ${remote.address} port ${remote.port}`);
    });
    ws.on('close', (code, why) => {
      const reason = this.closeReason ?? (orderly.has(code) ? null : netError('connection-closed', `connection ${id} closed with WebSocket code ${code} ${why.toString()}`.trim()));
      this.sink.closed(this, reason);
    });
  }

  write(bytes: Buffer): Result<void, NetError> {
    if (this.closing || this.ws.readyState !== this.ws.OPEN) return err(netError('connection-closed', `connection ${this.id} is closed`));
    // RFC 7118 §4: a message with any non-UTF-8 byte goes in a binary frame, the rest as text.
    this.ws.send(bytes, { binary: !isUtf8(bytes) });
    return ok(undefined);
  }

  sendPing(): void {
    if (!this.closing && this.ws.readyState === this.ws.OPEN) this.ws.ping();
  }

  close(reason: NetError | null): void {
    if (this.closing) return;
    this.closing = true;
    this.closeReason ??= reason;
    if (reason) {
      this.ws.terminate();
      return;
    }
    this.ws.close(1000);
    // A peer that never answers the close frame must not hold shutdown for ws's 30 s default.
    setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS).unref();
  }

  private onMessage(bytes: Buffer): void {
    if (this.closing) return;
    this.sink.activity(this);
    if (bytes.equals(CRLF_PING)) {
      this.ws.send(CRLF_PONG.toString('latin1'));
      return;
    }
    if (bytes.equals(CRLF_PONG)) {
      this.sink.pong(this);
      return;
    }
    this.sink.message(this, bytes);
  }
}
