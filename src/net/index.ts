// net/: sockets behind the Transport port, stream framing hooks, keep-alives, TLS policy and
// RFC 3263 server location. May import util/ only.
export type {
  TransportKind,
  AddressFamily,
  Endpoint,
  Destination,
  TlsClientPolicy,
  TlsServerConfig,
  SendInfo,
  InboundMessage,
  TransportEvent,
  ListenSpec,
  KeepAliveOptions,
  KeepAliveHandle,
  KeepAliveTarget,
  Transport,
  Framer,
  FramerEvent,
  FramerFactory,
} from './types.js';
export { netError, fromNodeError, type NetError, type NetErrorCode } from './errors.js';
export { NetTransport, createNetTransport, type NetTransportOptions } from './net-transport.js';
export { KeepAliveTimer, DEFAULT_PONG_TIMEOUT_MS } from './keep-alive.js';
export { CRLF_PING, CRLF_PONG } from './stream-connection.js';
export { SIP_SUBPROTOCOL } from './ws-transport.js';
export { normalizeFingerprint } from './connect.js';
export { normalizeAddress } from './endpoint.js';
export { systemResolver, type DnsResolver, type NaptrRecord, type SrvRecord } from './dns-resolver.js';
export { resolveSipTargets, targetDestination, orderSrv, defaultPort, type SipTargetQuery, type ServerTarget, type LocateOptions } from './server-location.js';
export { numericFirstLookup } from './numeric-lookup.js';
export { TargetList, failoverReasonForStatus, type FailoverReason } from './target-list.js';
