// WebSocket and secure WebSocket (RFC 7118): server and client side, subprotocol "sip".
// Outgoing connections are opened by connect.ts (so WSS gets the same TLS policy and error
// mapping as TLS) and then handed to the `ws` client for the HTTP upgrade.
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { isIP, type Socket } from 'node:net';
import type { WebSocket, WebSocketServer } from 'ws';
import { err, ok, type Clock, type Result } from '../util/index.js';
import { connectTcp, connectTls } from './connect.js';
import { connectionKey, type Connection, type ConnectionPool } from './connection-pool.js';
import { endpoint } from './endpoint.js';
import { fromNodeError, invalidArgument, netError, type NetError } from './errors.js';
import { listenServer } from './stream-transport.js';
import type { Destination, Endpoint, ListenSpec, SendInfo, TransportEvent } from './types.js';
import { WsConnection } from './ws-connection.js';

/** `ws` is loaded on first use: a phone on UDP or TCP never pays its start-up cost. */
let wsModule: Promise<typeof import('ws')> | undefined;
const loadWs = (): Promise<typeof import('ws')> => (wsModule ??= import('ws'));

/** RFC 7118 §4: the WebSocket subprotocol name. */
export const SIP_SUBPROTOCOL = 'sip';

export interface WsTransportOptions {
  clock: Clock;
  pool: ConnectionPool;
  emit: (e: TransportEvent) => void;
  connectTimeoutMs: number;
  maxMessageBytes: number;
}

type WsKind = 'ws' | 'wss';

export class WsTransport {
  private readonly servers: Array<{ http: Server; wss: WebSocketServer; local: Endpoint }> = [];

  constructor(private readonly o: WsTransportOptions) {}

  async listen(spec: ListenSpec & { transport: WsKind }): Promise<Result<Endpoint, NetError>> {
    if (spec.transport === 'wss' && !spec.tls) return err(netError('not-supported', 'a WSS listener needs a certificate and key'));
    let http: Server;
    try {
      const t = spec.tls;
      http = spec.transport === 'wss' && t
        ? createHttpsServer({ cert: t.cert, key: t.key, ca: t.ca, requestCert: t.requestClientCert ?? false, rejectUnauthorized: t.requestClientCert ?? false })
        : createHttpServer();
    } catch (e) {
      return err(invalidArgument(e, 'WSS listener certificate or key'));
    }
    // Plain HTTP requests (no upgrade) get a definite answer instead of hanging.
    http.on('request', (_req, res) => res.writeHead(426, { Connection: 'close', Upgrade: 'websocket' }).end());
    if (spec.transport === 'wss') http.on('tlsClientError', (e) => this.o.emit({ kind: 'socket-error', error: fromNodeError(e, 'inbound WSS handshake') }));
    const wss = new (await loadWs()).WebSocketServer({
      server: http,
      maxPayload: this.o.maxMessageBytes,
      perMessageDeflate: false,
      // RFC 7118 §4: the 101 reply carries "sip"; a client not offering it gets no subprotocol and is closed below.
      handleProtocols: (offered) => (offered.has(SIP_SUBPROTOCOL) ? SIP_SUBPROTOCOL : false),
    });
    wss.on('error', () => {}); // re-emitted server errors are reported by the http server's listener
    const r = await listenServer(http, spec);
    if (!r.ok) return r;
    http.on('error', (e) => this.o.emit({ kind: 'socket-error', local: r.value, error: fromNodeError(e, 'listener') }));
    wss.on('connection', (ws, req) => this.accept(ws, req, spec.transport));
    this.servers.push({ http, wss, local: r.value });
    return r;
  }

  listeners(): Endpoint[] {
    return this.servers.map((s) => s.local);
  }

  send(dest: Destination & { transport: WsKind }, bytes: Buffer): Promise<Result<SendInfo, NetError>> {
    const key = connectionKey(dest.transport, dest.host, dest.port, dest.hostname ?? '', dest.path ?? '/');
    return this.o.pool.send(dest, key, () => this.open(dest, key), bytes);
  }

  async close(): Promise<void> {
    for (const s of this.servers) s.wss.close();
    await Promise.all(this.servers.map((s) => new Promise<void>((res) => s.http.close(() => res()))));
    this.servers.length = 0;
  }

  private accept(ws: WebSocket, req: IncomingMessage, kind: WsKind): void {
    if (ws.protocol !== SIP_SUBPROTOCOL) {
      ws.close(1002, 'the sip subprotocol is required');
      return;
    }
    const s = req.socket;
    if (this.o.pool.refuseInbound(kind, s.remoteAddress)) {
      ws.terminate();
      return;
    }
    const remote = endpoint(kind, s.remoteAddress, s.remotePort);
    const { pool } = this.o;
    // Same key as an outgoing send to that address with no domain and the default path.
    const key = connectionKey(kind, remote.address, remote.port, '', '/');
    pool.add(new WsConnection(pool.nextId(kind), key, remote, endpoint(kind, s.localAddress, s.localPort), ws, pool), 'inbound');
  }

  private async open(dest: Destination & { transport: WsKind }, key: string): Promise<Result<Connection, NetError>> {
    const { clock, connectTimeoutMs } = this.o;
    const req = { host: dest.host, port: dest.port, hostname: dest.hostname, tls: dest.tls, timeoutMs: connectTimeoutMs, clock };
    const r = dest.transport === 'wss' ? await connectTls(req) : await connectTcp(req);
    if (!r.ok) return r;
    const socket: Socket = r.value;
    const name = dest.hostname ?? dest.host;
    const hostPart = isIP(name) === 6 ? `[${name}]` : name;
    const url = `${dest.transport}://${hostPart}:${dest.port}${dest.path ?? '/'}`;
    const what = `WebSocket upgrade at ${url}`;
    const { WebSocket: Client } = await loadWs();
    let ws: WebSocket;
    try {
      ws = new Client(url, SIP_SUBPROTOCOL, { createConnection: () => socket, maxPayload: this.o.maxMessageBytes, perMessageDeflate: false });
    } catch (e) {
      // A host name that cannot form a URL is the caller's input, not a crash.
      socket.destroy();
      return err(netError('ws-handshake-failed', `${what}: ${e instanceof Error ? e.message : String(e)}`));
    }
    return new Promise((resolve) => {
      let done = false;
      const onError = (e: Error): void => finish(err(netError('ws-handshake-failed', `${what}: ${e.message}`)));
      const onOpen = (): void => {
        if (ws.protocol !== SIP_SUBPROTOCOL) return finish(err(netError('ws-handshake-failed', `${what}: the server did not accept the sip subprotocol`)));
        const remote = endpoint(dest.transport, socket.remoteAddress, socket.remotePort);
        const local = endpoint(dest.transport, socket.localAddress, socket.localPort);
        finish(ok(new WsConnection(this.o.pool.nextId(dest.transport), key, remote, local, ws, this.o.pool)));
      };
      const finish = (res: Result<Connection, NetError>): void => {
        if (done) return;
        done = true;
        clock.clearTimer(timer);
        ws.removeListener('error', onError);
        ws.removeListener('open', onOpen);
        if (!res.ok) {
          ws.on('error', () => {});
          ws.terminate();
          socket.destroy();
        }
        resolve(res);
      };
      const timer = clock.setTimer(connectTimeoutMs, () => finish(err(netError('connect-timeout', `${what}: no answer within ${connectTimeoutMs} ms`))));
      ws.on('error', onError);
      ws.on('open', onOpen);
    });
  }
}
