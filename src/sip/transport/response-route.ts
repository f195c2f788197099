// Where a UAS sends a response (RFC 3261 §18.2.2 with RFC 3581 §4 rport), and the check a
// UAC makes on a response's top Via (§18.1.2).
import type { Destination, TransportKind } from '../../net/index.js';
import type { Via } from '../message/index.js';
import { bareHost, sentByDefaultPort } from './via.js';

/** How the request arrived: the packet's source and, on a connection, its id. */
export interface ArrivalInfo {
  transport: TransportKind;
  sourceAddress: string;
  sourcePort: number;
  connectionId?: string;
}


/**
 * §18.2.2: reliable transports answer on the request's connection (the transport layer opens a
 * new one to received:port if it has gone); with maddr, to maddr; UDP to `received` at the
 * rport (RFC 3581 §4) or the sent-by port; otherwise the sent-by itself.
 */
export function responseDestination(topVia: Via, arrival: ArrivalInfo): Destination {
  const t = arrival.transport;
  const sentByPort = topVia.port ?? sentByDefaultPort(t);
  if (t !== 'udp') {
    const d: Destination = { transport: t, host: topVia.received ?? arrival.sourceAddress, port: arrival.sourcePort };
    if (arrival.connectionId !== undefined) d.connectionId = arrival.connectionId;
    return d;
  }
  if (topVia.maddr !== undefined) return { transport: t, host: bareHost(topVia.maddr), port: sentByPort };
  const rport = typeof topVia.rport === 'number' ? topVia.rport : undefined;
  if (topVia.received !== undefined) return { transport: t, host: bareHost(topVia.received), port: rport ?? sentByPort };
  return { transport: t, host: bareHost(topVia.host), port: rport ?? sentByPort };
}

/**
 * §18.1.2: a client transport discards a response whose top Via sent-by is not one it puts in
 * requests (e.g. RFC 4475 §3.3.10's broadcast Via). `sentBys` holds "host:port" strings, hosts
 * lower-cased without brackets.
 */
export function isOurVia(topVia: Via | undefined, sentBys: ReadonlySet<string>): boolean {
  if (topVia === undefined) return false;
  const port = topVia.port ?? sentByDefaultPort(topVia.transport);
  return sentBys.has(`${bareHost(topVia.host).toLowerCase()}:${port}`);
}
