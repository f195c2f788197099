// TCP and TLS: listening servers, outgoing connections with the TLS policy, and reuse of open
// connections through the shared pool (RFC 3261 §18).
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { err, ok, type Clock, type Result } from '../util/index.js';
import { connectTcp, connectTls } from './connect.js';
import { connectionKey, type Connection, type ConnectionPool } from './connection-pool.js';
import { endpoint } from './endpoint.js';
import { fromNodeError, invalidArgument, netError, type NetError } from './errors.js';
import { StreamConnection } from './stream-connection.js';
import type { Destination, Endpoint, FramerFactory, ListenSpec, SendInfo, TransportEvent } from './types.js';

export interface StreamTransportOptions {
  clock: Clock;
  pool: ConnectionPool;
  framer: FramerFactory;
  emit: (e: TransportEvent) => void;
  connectTimeoutMs: number;
}

export function listenServer(server: Server, spec: ListenSpec): Promise<Result<Endpoint, NetError>> {
  return new Promise((resolve) => {
    const onError = (e: Error): void => resolve(err(fromNodeError(e, `listening on ${spec.transport} ${spec.address} port ${spec.port}`)));
    server.once('error', onError);
    try {
      // ipv6Only: "::" then means IPv6 only, so an IPv4 listener can share the port number.
      server.listen({ host: spec.address, port: spec.port, ipv6Only: spec.address.includes(':') }, () => {
        server.removeListener('error', onError);
        const a = server.address();
        if (a === null || typeof a === 'string') return resolve(err(netError('socket-error', 'listener has no address')));
        resolve(ok(endpoint(spec.transport, a.address, a.port)));
      });
    } catch (e) {
      resolve(err(invalidArgument(e, `listening on ${spec.transport} ${spec.address} port ${spec.port}`)));
    }
  });
}

export class StreamTransport {
  private readonly servers: Array<{ server: Server; local: Endpoint }> = [];

  constructor(private readonly o: StreamTransportOptions) {}

  async listen(spec: ListenSpec & { transport: 'tcp' | 'tls' }): Promise<Result<Endpoint, NetError>> {
    let server: Server;
    if (spec.transport === 'tls') {
      if (!spec.tls) return err(netError('not-supported', 'a TLS listener needs a certificate and key'));
      const t = spec.tls;
      try {
        server = createTlsServer({ cert: t.cert, key: t.key, ca: t.ca, requestCert: t.requestClientCert ?? false, rejectUnauthorized: t.requestClientCert ?? false }, (s) =>
          this.accept(s, 'tls'),
        );
      } catch (e) {
        return err(invalidArgument(e, 'TLS listener certificate or key'));
      }
      // Failed handshakes of inbound peers are their problem: report, never throw.
      server.on('tlsClientError', (e) => this.o.emit({ kind: 'socket-error', error: fromNodeError(e, 'inbound TLS handshake') }));
    } else {
      server = createTcpServer((s) => this.accept(s, 'tcp'));
    }
    const r = await listenServer(server, spec);
    if (!r.ok) return r;
    server.on('error', (e) => this.o.emit({ kind: 'socket-error', local: r.value, error: fromNodeError(e, 'listener') }));
    this.servers.push({ server, local: r.value });
    return r;
  }

  listeners(): Endpoint[] {
    return this.servers.map((s) => s.local);
  }

  send(dest: Destination & { transport: 'tcp' | 'tls' }, bytes: Buffer): Promise<Result<SendInfo, NetError>> {
    // A TLS connection serves only the SIP domain it was verified for.
    const key = connectionKey(dest.transport, dest.host, dest.port, dest.transport === 'tls' ? dest.hostname : '');
    return this.o.pool.send(dest, key, () => this.open(dest, key), bytes);
  }

  async close(): Promise<void> {
    await Promise.all(this.servers.map(({ server }) => new Promise<void>((res) => server.close(() => res()))));
    this.servers.length = 0;
  }

  private accept(socket: Socket, kind: 'tcp' | 'tls'): void {
    socket.setNoDelay(true);
    if (socket.remoteAddress === undefined || this.o.pool.refuseInbound(kind, socket.remoteAddress)) {
      socket.destroy();
      return;
    }
    const { pool } = this.o;
    const id = pool.nextId(kind);
    const key = connectionKey(kind, socket.remoteAddress, socket.remotePort ?? 0);
    pool.add(new StreamConnection(id, key, socket, kind, this.o.framer(), pool), 'inbound');
  }

  private async open(dest: Destination & { transport: 'tcp' | 'tls' }, key: string): Promise<Result<Connection, NetError>> {
    const req = { host: dest.host, port: dest.port, hostname: dest.hostname, tls: dest.tls, timeoutMs: this.o.connectTimeoutMs, clock: this.o.clock };
    const r = dest.transport === 'tls' ? await connectTls(req) : await connectTcp(req);
    if (!r.ok) return r;
    const { pool } = this.o;
    return ok(new StreamConnection(pool.nextId(dest.transport), key, r.value, dest.transport, this.o.framer(), pool));
  }
}
