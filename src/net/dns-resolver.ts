// The DNS port used by RFC 3263 server location, and its node:dns implementation.
import { promises as dns } from 'node:dns';

export interface NaptrRecord {
  flags: string;
  service: string;
  regexp: string;
  replacement: string;
  order: number;
  preference: number;
}

export interface SrvRecord {
  priority: number;
  weight: number;
  port: number;
  name: string;
}

/** Shaped like node:dns/promises; a lookup with no records may reject (ENODATA, ENOTFOUND) or return []. */
export interface DnsResolver {
  resolveNaptr(name: string): Promise<NaptrRecord[]>;
  resolveSrv(name: string): Promise<SrvRecord[]>;
  resolve4(name: string): Promise<string[]>;
  resolve6(name: string): Promise<string[]>;
  /** The system resolver (hosts file included), used when the DNS has no A/AAAA records. */
  lookup?(name: string): Promise<Array<{ address: string; family: number }>>;
}

/** The real resolver: node:dns with the system's servers, or `servers` if given. */
export function systemResolver(servers?: string[]): DnsResolver {
  const r = new dns.Resolver();
  if (servers) r.setServers(servers);
  return {
    resolveNaptr: (n) => r.resolveNaptr(n),
    resolveSrv: (n) => r.resolveSrv(n),
    resolve4: (n) => r.resolve4(n),
    resolve6: (n) => r.resolve6(n),
    lookup: (n) => dns.lookup(n, { all: true }),
  };
}
