// RFC 3263 §4: locating a SIP server. Numeric host → direct; explicit port → A/AAAA; else NAPTR →
// SRV (RFC 2782 priority and weight) → A/AAAA; no NAPTR → SRV per transport; no SRV → A/AAAA.
import { isIP } from 'node:net';
import { err, ok, type Result } from '../util/index.js';
import type { DnsResolver, NaptrRecord, SrvRecord } from './dns-resolver.js';
import { netError, type NetError } from './errors.js';
import type { AddressFamily, Destination, TlsClientPolicy, TransportKind } from './types.js';

export interface SipTargetQuery {
  /** URI host: a domain name or a numeric IP (IPv6 without brackets). */
  host: string;
  port?: number;
  /** The URI's transport parameter, mapped to a kind (sips + tcp is tls, sips + ws is wss). */
  transport?: TransportKind;
  /** sips: URI (RFC 3261 §26.2.2: TLS on every hop). */
  secure: boolean;
  isIp: boolean;
}

export interface ServerTarget {
  transport: TransportKind;
  address: string;
  port: number;
  family: AddressFamily;
}

export interface LocateOptions {
  /** Transports this client can use, in its order of preference (used when DNS gives no order). */
  transports?: TransportKind[];
  /** Random number in [0, 1) for RFC 2782 weighted selection. */
  random?: () => number;
  /** Try IPv6 addresses before IPv4 ones. */
  preferIPv6?: boolean;
}

/** RFC 3263 §4.1 and RFC 7118 §10: NAPTR services and their SRV prefixes per transport. */
const naptrServices: Record<string, TransportKind> = {
  'SIP+D2U': 'udp',
  'SIP+D2T': 'tcp',
  'SIPS+D2T': 'tls',
  'SIP+D2W': 'ws',
  'SIPS+D2W': 'wss',
};
const srvPrefix: Record<TransportKind, string> = { udp: '_sip._udp', tcp: '_sip._tcp', tls: '_sips._tcp', ws: '_sip._ws', wss: '_sips._ws' };
const securedKinds: ReadonlySet<TransportKind> = new Set(['tls', 'wss']);

/** RFC 3261 §19.1.2 default ports; WebSocket kinds use RFC 6455's. */
export function defaultPort(kind: TransportKind): number {
  switch (kind) {
    case 'udp':
    case 'tcp':
      return 5060;
    case 'tls':
      return 5061;
    case 'ws':
      return 80;
    case 'wss':
      return 443;
  }
}

async function quiet<T>(p: Promise<T[]>): Promise<T[]> {
  // No records (ENODATA/ENOTFOUND) and server failures both mean "nothing here": try the next step.
  try {
    return await p;
  } catch {
    return [];
  }
}

/** RFC 2782: ascending priority; within a priority, weighted random order (zero weights first in the draw). */
export function orderSrv(records: SrvRecord[], random: () => number): SrvRecord[] {
  const byPriority = new Map<number, SrvRecord[]>();
  for (const r of records) {
    if (r.name === '' || r.name === '.') continue; // "." = service decidedly not available here
    const g = byPriority.get(r.priority) ?? [];
    g.push(r);
    byPriority.set(r.priority, g);
  }
  const out: SrvRecord[] = [];
  for (const prio of [...byPriority.keys()].sort((a, b) => a - b)) {
    const left = [...byPriority.get(prio)!].sort((a, b) => (a.weight === 0 ? 0 : 1) - (b.weight === 0 ? 0 : 1));
    while (left.length > 0) {
      const total = left.reduce((s, r) => s + r.weight, 0);
      const pick = Math.floor(random() * (total + 1));
      let running = 0;
      let idx = left.length - 1;
      for (let i = 0; i < left.length; i++) {
        running += left[i]!.weight;
        if (running >= pick) {
          idx = i;
          break;
        }
      }
      out.push(left.splice(idx, 1)[0]!);
    }
  }
  return out;
}

async function addresses(resolver: DnsResolver, name: string, preferIPv6: boolean): Promise<Array<{ address: string; family: AddressFamily }>> {
  const [v4, v6] = await Promise.all([quiet(resolver.resolve4(name)), quiet(resolver.resolve6(name))]);
  let found = [...v4.map((a) => ({ address: a, family: 'IPv4' as const })), ...v6.map((a) => ({ address: a, family: 'IPv6' as const }))];
  if (found.length === 0 && resolver.lookup) {
    const sys = await quiet(resolver.lookup(name));
    found = sys.map((a) => ({ address: a.address, family: a.family === 6 ? ('IPv6' as const) : ('IPv4' as const) }));
  }
  const v4s = found.filter((a) => a.family === 'IPv4');
  const v6s = found.filter((a) => a.family === 'IPv6');
  return preferIPv6 ? [...v6s, ...v4s] : [...v4s, ...v6s];
}

async function fromSrv(resolver: DnsResolver, records: SrvRecord[], kind: TransportKind, o: Required<LocateOptions>): Promise<ServerTarget[]> {
  const out: ServerTarget[] = [];
  for (const srv of orderSrv(records, o.random)) {
    for (const a of await addresses(resolver, srv.name, o.preferIPv6)) out.push({ transport: kind, address: a.address, port: srv.port, family: a.family });
  }
  return out;
}

function usableNaptr(records: NaptrRecord[], query: SipTargetQuery, allowed: TransportKind[]): Array<{ rec: NaptrRecord; kind: TransportKind }> {
  const out: Array<{ rec: NaptrRecord; kind: TransportKind }> = [];
  for (const rec of records) {
    const kind = naptrServices[rec.service.toUpperCase()];
    // RFC 3263 §4.1: only "s" records lead to SRV; a sips URI uses SIPS services only.
    if (!kind || rec.flags.toLowerCase() !== 's' || !allowed.includes(kind)) continue;
    if (query.secure && !securedKinds.has(kind)) continue;
    out.push({ rec, kind });
  }
  return out.sort((a, b) => a.rec.order - b.rec.order || a.rec.preference - b.rec.preference);
}

/** The ordered targets for a SIP URI host (RFC 3263 §4), each to be tried in turn on failure. */
export async function resolveSipTargets(query: SipTargetQuery, resolver: DnsResolver, options: LocateOptions = {}): Promise<Result<ServerTarget[], NetError>> {
  const o: Required<LocateOptions> = {
    transports: options.transports ?? ['udp', 'tcp', 'tls', 'ws', 'wss'],
    random: options.random ?? Math.random,
    preferIPv6: options.preferIPv6 ?? false,
  };
  const allowed = query.secure ? o.transports.filter((k) => securedKinds.has(k)) : o.transports;
  const explicit = query.transport;
  if (explicit && !allowed.includes(explicit)) return err(netError('not-supported', `transport ${explicit} is not usable for ${query.secure ? 'a sips' : 'this'} URI`));
  // §4.1: with no transport chosen, UDP for sip and TLS (TCP) for sips when the host is numeric or a port is given.
  const fallbackKind: TransportKind = explicit ?? (query.secure ? 'tls' : allowed.includes('udp') ? 'udp' : (allowed[0] ?? 'udp'));
  const host = query.host.startsWith('[') && query.host.endsWith(']') ? query.host.slice(1, -1) : query.host;

  if (query.isIp || isIP(host) !== 0) {
    return ok([{ transport: fallbackKind, address: host, port: query.port ?? defaultPort(fallbackKind), family: isIP(host) === 6 ? 'IPv6' : 'IPv4' }]);
  }
  const targets: ServerTarget[] = [];
  if (query.port !== undefined) {
    // §4.2: an explicit port means A/AAAA only.
    for (const a of await addresses(resolver, host, o.preferIPv6)) targets.push({ transport: fallbackKind, address: a.address, port: query.port, family: a.family });
  } else if (explicit) {
    // §4.2: transport given, so no NAPTR: SRV for that transport, then A/AAAA.
    targets.push(...(await fromSrv(resolver, await quiet(resolver.resolveSrv(`${srvPrefix[explicit]}.${host}`)), explicit, o)));
  } else {
    const naptr = usableNaptr(await quiet(resolver.resolveNaptr(host)), query, allowed);
    if (naptr.length > 0) {
      for (const { rec, kind } of naptr) targets.push(...(await fromSrv(resolver, await quiet(resolver.resolveSrv(rec.replacement)), kind, o)));
    } else {
      // §4.1: no NAPTR: SRV for each transport we support, in our order of preference.
      for (const kind of allowed) targets.push(...(await fromSrv(resolver, await quiet(resolver.resolveSrv(`${srvPrefix[kind]}.${host}`)), kind, o)));
    }
  }
  if (targets.length === 0 && query.port === undefined) {
    // §4.2: no SRV records: A/AAAA of the domain on the default port.
    for (const a of await addresses(resolver, host, o.preferIPv6)) targets.push({ transport: fallbackKind, address: a.address, port: defaultPort(fallbackKind), family: a.family });
  }
  if (targets.length === 0) return err(netError('dns-failed', `no address found for ${host}`));
  return ok(dedupe(targets));
}

/** The Destination for a located target; `hostname` is the SIP domain the TLS certificate must name. */
export function targetDestination(target: ServerTarget, via: { hostname?: string; tls?: TlsClientPolicy; path?: string } = {}): Destination {
  const d: Destination = { transport: target.transport, host: target.address, port: target.port };
  if (via.hostname !== undefined) d.hostname = via.hostname;
  if (via.tls !== undefined) d.tls = via.tls;
  if (via.path !== undefined) d.path = via.path;
  return d;
}

function dedupe(targets: ServerTarget[]): ServerTarget[] {
  const seen = new Set<string>();
  return targets.filter((t) => {
    const k = `${t.transport}|${t.address}|${t.port}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
