// Opening outgoing TCP and TLS connections, with the TLS security policy applied:
// the server certificate and host name are always verified (node's checks, servername = the SIP
// domain); a pinned SHA-256 fingerprint replaces those checks for exactly that certificate.
import { X509Certificate } from 'node:crypto';
import { isIP, Socket, connect as netConnect } from 'node:net';
import { connect as tlsConnect, rootCertificates, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { err, ok, type Clock, type Result } from '../util/index.js';
import { fromNodeError, invalidArgument, netError, type NetError } from './errors.js';
import type { TlsClientPolicy } from './types.js';

export interface ConnectRequest {
  host: string;
  port: number;
  /** The SIP domain for SNI and the certificate's name check; the IP address is checked if absent. */
  hostname?: string;
  tls?: TlsClientPolicy;
  timeoutMs: number;
  clock: Clock;
}

function readableCertificate(pem: string | Buffer): boolean {
  try {
    new X509Certificate(pem);
    return true;
  } catch {
    return false;
  }
}

/** "AB:CD:.." or "abcd.." → "ABCD..", so pins compare whatever way they were written. */
export function normalizeFingerprint(fp: string): string {
  let out = '';
  for (const ch of fp.toUpperCase()) if ((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'F')) out += ch;
  return out;
}

/** Whether the peer's certificate matches one of the pins (SHA-256 of the DER certificate). */
export function matchesPin(socket: TLSSocket, pins: string[]): boolean {
  const cert = socket.getPeerCertificate();
  if (!cert || !cert.fingerprint256) return false;
  const got = normalizeFingerprint(cert.fingerprint256);
  return pins.some((p) => normalizeFingerprint(p) === got);
}

function settleOnce<T extends Socket>(
  req: ConnectRequest,
  socket: T,
  readyEvent: 'connect' | 'secureConnect',
  what: string,
  onReady: (s: T) => Result<T, NetError>,
): Promise<Result<T, NetError>> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: Result<T, NetError>): void => {
      if (done) return;
      done = true;
      req.clock.clearTimer(timer);
      socket.removeListener('error', onError);
      socket.removeListener(readyEvent, onConnected);
      if (!r.ok) socket.destroy();
      resolve(r);
    };
    const onError = (e: Error): void => finish(err(fromNodeError(e, what)));
    const onConnected = (): void => finish(onReady(socket));
    const timer = req.clock.setTimer(req.timeoutMs, () =>
      finish(err(netError('connect-timeout', `${what}: no connection within ${req.timeoutMs} ms`))),
    );
    socket.on('error', onError);
    socket.once(readyEvent, onConnected);
  });
}

/** Opens a TCP connection. */
export function connectTcp(req: ConnectRequest): Promise<Result<Socket, NetError>> {
  const what = `TCP connection to ${req.host} port ${req.port}`;
  let socket: Socket;
  try {
    socket = netConnect({ host: req.host, port: req.port });
  } catch (e) {
    return Promise.resolve(err(invalidArgument(e, what)));
  }
  socket.setNoDelay(true);
  return settleOnce(req, socket, 'connect', what, (s) => ok(s));
}

/** Opens a TLS connection and verifies the server per the policy. */
export function connectTls(req: ConnectRequest): Promise<Result<TLSSocket, NetError>> {
  const name = req.hostname ?? req.host;
  const what = `TLS connection to ${name} (${req.host} port ${req.port})`;
  const pins = req.tls?.pinSha256 ?? [];
  const options: ConnectionOptions = {
    host: req.host,
    port: req.port,
    // A pin replaces chain and name checks; it is checked below before any byte is sent.
    rejectUnauthorized: pins.length === 0,
  };
  // SNI carries names only (RFC 6066 §3); with no name node checks the IP against the certificate.
  if (req.hostname && isIP(req.hostname) === 0) options.servername = req.hostname;
  // An account's extra CAs add to node's bundled roots rather than replace them.
  if (req.tls?.ca) {
    // node silently skips PEM it cannot read; a broken CA setting must be reported, not ignored.
    const bad = req.tls.ca.findIndex((pem) => !readableCertificate(pem));
    if (bad >= 0) return Promise.resolve(err(netError('invalid-argument', `${what}: extra CA certificate #${bad + 1} is not a PEM certificate`)));
    options.ca = [...rootCertificates, ...req.tls.ca];
  }
  if (req.tls?.cert) options.cert = req.tls.cert;
  if (req.tls?.key) options.key = req.tls.key;
  let socket: TLSSocket;
  try {
    socket = tlsConnect(options);
  } catch (e) {
    // Bad port, or a CA / client certificate that is not valid PEM.
    return Promise.resolve(err(invalidArgument(e, what)));
  }
  socket.setNoDelay(true);
  return settleOnce(req, socket, 'secureConnect', what, (s) => {
    if (pins.length > 0 && !matchesPin(s, pins)) {
      return err(netError('tls-pin-mismatch', `${what}: the server certificate does not match the pinned fingerprint`));
    }
    return ok(s);
  });
}
