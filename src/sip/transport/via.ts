// Via construction (RFC 3261 §8.1.1.7, §18.1.1) and the received/rport stamp a server
// transport puts on a request's top Via (§18.2.1, RFC 3581 §4).
import { randomToken } from '../../util/index.js';
import { HeaderId, setHeader, type SipMessage, type Via } from '../message/index.js';
import { magicCookie } from '../transaction/index.js';
import type { TransportKind } from '../../net/index.js';

/** A new branch: the magic cookie then a random token, unique in space and time (§8.1.1.7). */
export function newBranch(): string {
  return `${magicCookie}${randomToken(20)}`;
}

/** The Via transport token for a transport kind (RFC 3261 §20.42, RFC 7118 §5.1). */
export function viaTransport(kind: TransportKind): string {
  return kind.toUpperCase();
}

/** A host for sent-by / URIs: IPv6 references get brackets. */
export function hostForUri(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** The inverse: an IPv6 reference without brackets, as sockets write addresses. */
export function bareHost(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** RFC 3261 §18.2.2, §19.1.2: the port a Via sent-by without port means (5061 for TLS and WSS). */
export function sentByDefaultPort(transport: string): number {
  const t = transport.toLowerCase();
  return t === 'tls' || t === 'wss' ? 5061 : 5060;
}

export interface ViaInit {
  transport: TransportKind;
  /** sent-by host: where responses should come (an address we listen on, or our domain). */
  host: string;
  port?: number;
  branch: string;
  /** RFC 3581 §3: ask the server to answer to the source port. Default true. */
  rport?: boolean;
}

/** The text of one Via value, e.g. `SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK...;rport`. */
export function formatVia(v: ViaInit): string {
  const port = v.port === undefined ? '' : `:${v.port}`;
  return `SIP/2.0/${viaTransport(v.transport)} ${hostForUri(v.host)}${port};branch=${v.branch}${v.rport === false ? '' : ';rport'}`;
}

const TOKEN_CHARS = /^[A-Za-z0-9\-.!%*_+`'~:[\]]*$/;

/** Writes a parsed Via back to text (params in their order; values quoted when they need it). */
export function viaText(v: Via): string {
  let s = `${v.protocol}/${v.transport} ${v.host}${v.port === undefined ? '' : `:${v.port}`}`;
  for (const [name, value] of v.params) s += value === '' ? `;${name}` : `;${name}=${TOKEN_CHARS.test(value) ? value : `"${value.replace(/["\\]/g, '\\$&')}"`}`;
  return s;
}

/**
 * §18.2.1: a server transport adds `received` when the sent-by host is not the packet's source
 * address; RFC 3581 §4: a bare `rport` gets the source port (and `received` always). Returns
 * false when the message has no usable top Via. The Via lines are rewritten from their parsed
 * values (same meaning, one value per line).
 */
export function stampReceived(request: SipMessage, sourceAddress: string, sourcePort: number): boolean {
  const vias = request.get(HeaderId.Via);
  const top = vias?.[0];
  if (vias === undefined || top === undefined) return false;
  const params = new Map(top.params);
  const wantsRport = top.rport === true || params.has('rport');
  if (wantsRport) params.set('rport', String(sourcePort));
  if (wantsRport || bareHost(top.host).toLowerCase() !== sourceAddress.toLowerCase()) params.set('received', sourceAddress);
  else return true;
  const lines = [viaText({ ...top, params }), ...vias.slice(1).map(viaText)];
  setHeader(request, HeaderId.Via, lines);
  return true;
}
