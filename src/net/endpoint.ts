// Endpoints as sockets report them, with IPv4-mapped IPv6 addresses ("::ffff:192.0.2.1", seen on
// dual-stack sockets) folded back to IPv4 so received/rport (RFC 3581) name the address the peer used.
import { isIP } from 'node:net';
import type { AddressFamily, Endpoint, TransportKind } from './types.js';

const mappedPrefix = '::ffff:';

export function normalizeAddress(address: string): string {
  if (address.length > mappedPrefix.length && address.toLowerCase().startsWith(mappedPrefix)) {
    const v4 = address.slice(mappedPrefix.length);
    if (isIP(v4) === 4) return v4;
  }
  return address;
}

export function familyOf(address: string): AddressFamily {
  return isIP(address) === 6 ? 'IPv6' : 'IPv4';
}

export function endpoint(transport: TransportKind, address: string | undefined, port: number | undefined): Endpoint {
  const a = normalizeAddress(address ?? '');
  return { transport, address: a, port: port ?? 0, family: familyOf(a) };
}
