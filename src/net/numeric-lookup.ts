// A `lookup` for node:dgram sockets. dgram passes every destination, even a numeric address,
// through dns.lookup, whose answer for an IP literal comes a tick later: each send (a SIP
// response, an ACK, an RTP packet) then waits for whatever else the current turn of the event
// loop still runs. Numeric addresses are answered at once here, so the datagram leaves during
// the send() call; names still go to dns.lookup.
import { lookup as dnsLookup, type LookupOneOptions } from 'node:dns';
import { isIP } from 'node:net';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string, family: number) => void;

/** dgram's `lookup` option (createSocket({ type, lookup: numericFirstLookup })). */
export function numericFirstLookup(host: string, options: number | LookupOneOptions, callback: LookupCallback): void {
  const family = isIP(host);
  if (family !== 0) return callback(null, host, family);
  const o: LookupOneOptions = typeof options === 'number' ? { family: options } : options;
  dnsLookup(host, o, callback);
}
