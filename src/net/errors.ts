// Typed network errors with stable codes and a human message. Node's error codes are mapped here,
// once, so the layers above never see raw socket or OpenSSL codes.

export type NetErrorCode =
  | 'tls-untrusted-issuer'
  | 'tls-expired'
  | 'tls-not-yet-valid'
  | 'tls-wrong-host'
  | 'tls-pin-mismatch'
  | 'tls-revoked'
  | 'tls-handshake-failed'
  | 'connection-refused'
  | 'connect-timeout'
  | 'host-unreachable'
  | 'connection-reset'
  | 'connection-closed'
  | 'framing-error'
  | 'keepalive-timeout'
  | 'idle-timeout'
  | 'address-in-use'
  | 'address-unavailable'
  | 'no-listener'
  | 'not-supported'
  | 'message-too-large'
  | 'ws-handshake-failed'
  | 'dns-failed'
  | 'invalid-argument'
  | 'socket-error';

export interface NetError {
  code: NetErrorCode;
  message: string;
  /** The underlying node/OpenSSL code, when there is one (for logs). */
  cause?: string;
}

export function netError(code: NetErrorCode, message: string, cause?: string): NetError {
  return cause === undefined ? { code, message } : { code, message, cause };
}

const tlsCodes: Record<string, [NetErrorCode, string]> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: ['tls-untrusted-issuer', 'the server certificate is self-signed and not trusted'],
  SELF_SIGNED_CERT_IN_CHAIN: ['tls-untrusted-issuer', 'the server certificate chain ends in an untrusted self-signed root'],
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: ['tls-untrusted-issuer', 'the server certificate was issued by an unknown authority'],
  UNABLE_TO_GET_ISSUER_CERT: ['tls-untrusted-issuer', 'the issuer of the server certificate is unknown'],
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: ['tls-untrusted-issuer', 'the issuer of the server certificate is not a trusted authority'],
  CERT_UNTRUSTED: ['tls-untrusted-issuer', 'the server certificate is not trusted'],
  CERT_SIGNATURE_FAILURE: ['tls-untrusted-issuer', 'the server certificate signature does not verify'],
  INVALID_CA: ['tls-untrusted-issuer', 'a certificate in the server chain is not a valid authority'],
  CERT_HAS_EXPIRED: ['tls-expired', 'the server certificate has expired'],
  CERT_NOT_YET_VALID: ['tls-not-yet-valid', 'the server certificate is not valid yet'],
  CERT_REVOKED: ['tls-revoked', 'the server certificate has been revoked'],
  ERR_TLS_CERT_ALTNAME_INVALID: ['tls-wrong-host', 'the server certificate is for another host name'],
};

const socketCodes: Record<string, [NetErrorCode, string]> = {
  ECONNREFUSED: ['connection-refused', 'the peer refused the connection'],
  ECONNRESET: ['connection-reset', 'the peer reset the connection'],
  EPIPE: ['connection-reset', 'the connection was broken'],
  ETIMEDOUT: ['connect-timeout', 'the connection attempt timed out'],
  EHOSTUNREACH: ['host-unreachable', 'the host is unreachable'],
  ENETUNREACH: ['host-unreachable', 'the network is unreachable'],
  EADDRINUSE: ['address-in-use', 'the address is already in use'],
  EADDRNOTAVAIL: ['address-unavailable', 'the address is not available on this machine'],
  EAFNOSUPPORT: ['address-unavailable', 'the address family is not supported here'],
  EMSGSIZE: ['message-too-large', 'the message is too large for a datagram'],
};

/** Node throws synchronously on bad arguments (a port out of range, unreadable PEM): those become this. */
export function invalidArgument(e: unknown, context: string): NetError {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
  return netError('invalid-argument', `${context}: ${e instanceof Error ? e.message : String(e)}`, code);
}

/** Maps an error from node (socket, TLS handshake, certificate check) to a NetError. */
export function fromNodeError(e: unknown, context: string): NetError {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
  const text = e instanceof Error ? e.message : String(e);
  const tls = tlsCodes[code];
  if (tls) return netError(tls[0], `${context}: ${tls[1]} (${code})`, code);
  const sock = socketCodes[code];
  if (sock) return netError(sock[0], `${context}: ${sock[1]} (${code})`, code);
  // OpenSSL handshake failures carry codes such as ERR_SSL_..., or none at all.
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || /SSL|TLS|certificate/i.test(text)) {
    return netError('tls-handshake-failed', `${context}: TLS handshake failed: ${text}`, code || undefined);
  }
  return netError('socket-error', `${context}: ${text}`, code || undefined);
}
