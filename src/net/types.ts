// The Transport port: what the SIP layer sees of the network. Bytes in, bytes out, events for
// everything else; nothing the peer does can make these calls throw.
import type { Result } from '../util/index.js';
import type { NetError } from './errors.js';

export type TransportKind = 'udp' | 'tcp' | 'tls' | 'ws' | 'wss';
export type AddressFamily = 'IPv4' | 'IPv6';

/** One end of a datagram or connection, as the socket reports it (addresses are numeric). */
export interface Endpoint {
  transport: TransportKind;
  address: string;
  port: number;
  family: AddressFamily;
}

/** Per-account TLS client policy (TLS and WSS). Verification is always on. */
export interface TlsClientPolicy {
  /** Extra trusted CA certificates (PEM), added to node's default roots. */
  ca?: Array<string | Buffer>;
  /** Accepted server certificates by SHA-256 of the DER ("AB:CD:..." or plain hex); a match accepts
   *  the certificate even when self-signed or issued for another name, a mismatch refuses it. */
  pinSha256?: string[];
  /** Client certificate and key (PEM) for mutual TLS. */
  cert?: string | Buffer;
  key?: string | Buffer;
}

/** Where to send: a numeric address (resolved by RFC 3263 before) and how to reach it. */
export interface Destination {
  transport: TransportKind;
  /** Numeric IPv4 or IPv6 address. */
  host: string;
  port: number;
  /** The SIP domain: TLS server name (SNI and certificate check) and WebSocket Host header. */
  hostname?: string;
  /** Prefer this connection (RFC 3261 §18.2.2: a response goes back on the request's connection). */
  connectionId?: string;
  /** WebSocket resource path (default "/"). */
  path?: string;
  tls?: TlsClientPolicy;
}

/** What `send` reports: the connection used (connection-oriented only) and our end of it. */
export interface SendInfo {
  connectionId?: string;
  local: Endpoint;
}

export interface InboundMessage {
  kind: 'message';
  bytes: Buffer;
  /** The packet's real source (RFC 3581: received/rport come from here). */
  source: Endpoint;
  local: Endpoint;
  connectionId?: string;
}

export type TransportEvent =
  | InboundMessage
  | { kind: 'connection-opened'; connectionId: string; direction: 'inbound' | 'outbound'; remote: Endpoint; local: Endpoint }
  /** `reason` is null for an orderly close by either side. */
  | { kind: 'connection-closed'; connectionId: string; remote: Endpoint; reason: NetError | null }
  /** RFC 5626 §4.4.1: no pong within the timeout; the connection is closed right after. */
  | { kind: 'flow-failed'; connectionId: string; remote: Endpoint; reason: NetError }
  | { kind: 'keepalive-pong'; connectionId: string; remote: Endpoint }
  /** Socket-level trouble not tied to one send (e.g. a listener failing). */
  | { kind: 'socket-error'; local?: Endpoint; error: NetError };

export interface TlsServerConfig {
  cert: string | Buffer;
  key: string | Buffer;
  /** CAs for verifying client certificates when `requestClientCert` is set. */
  ca?: Array<string | Buffer>;
  requestClientCert?: boolean;
}

export interface ListenSpec {
  transport: TransportKind;
  /** Numeric address to bind ("0.0.0.0", "::", "127.0.0.1", "::1"). */
  address: string;
  /** 0 picks any free port; the bound port is reported back. */
  port: number;
  /** Required for tls and wss. */
  tls?: TlsServerConfig;
}

export interface KeepAliveOptions {
  /** Time between pings. */
  intervalMs: number;
  /** RFC 5626 §4.4.1: a pong must arrive within 10 s (stream transports only). */
  pongTimeoutMs?: number;
  /** UDP only: the keep-alive datagram (default CRLF CRLF). */
  payload?: Buffer;
}

export interface KeepAliveHandle {
  stop(): void;
}

/** A keep-alive runs on an open connection (tcp/tls/ws/wss) or towards a UDP destination. */
export type KeepAliveTarget = { connectionId: string } | { destination: Destination };

export interface Transport {
  listen(spec: ListenSpec): Promise<Result<Endpoint, NetError>>;
  /** Sends one message; connection-oriented kinds reuse an open connection or open one. Never rejects. */
  send(destination: Destination, bytes: Buffer): Promise<Result<SendInfo, NetError>>;
  /** Subscribes to events; returns the unsubscribe function. */
  onEvent(listener: (event: TransportEvent) => void): () => void;
  startKeepAlive(target: KeepAliveTarget, options: KeepAliveOptions): Result<KeepAliveHandle, NetError>;
  closeConnection(connectionId: string): void;
  /** Bound listening endpoints. */
  listeners(): Endpoint[];
  close(): Promise<void>;
}

/** Stream framing (RFC 3261 §18.3, RFC 5626 §4.4.1), injected by the SIP layer. */
export type FramerEvent =
  | { kind: 'message'; bytes: Buffer }
  | { kind: 'ping' }
  | { kind: 'pong' }
  | { kind: 'error'; reason: string };

export interface Framer {
  push(chunk: Buffer): FramerEvent[];
}

/** One new framer per connection. */
export type FramerFactory = () => Framer;
