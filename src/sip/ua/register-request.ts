// The parts of a REGISTER (RFC 3261 §10.2, RFC 5626 §4.2, RFC 5627 §4.1) and what a 2xx says
// about our binding.
import { randomUUID } from 'node:crypto';
import { HeaderId, formatUri, uriParam, urisEqual, type ContactValue, type SipMessage, type SipUri, type Uri } from '../message/index.js';
import type { SipTargetQuery, TlsClientPolicy, TransportKind } from '../../net/index.js';
import type { DigestRefusal } from '../auth/index.js';
import { bareHost, hostForUri } from '../transport/index.js';

/** One account to register. The password is read only by the digest client. */
export interface AccountConfig {
  /** Address of record, e.g. sip:alice@example.com. */
  aor: SipUri;
  password: string;
  /** Authentication user name (default: the AOR's user part). */
  username?: string;
  /** Realms the credentials may be sent to (default: the AOR's domain). */
  realms?: string[];
  /** Request-URI of the REGISTER (default: sip:<AOR domain>, §10.2). */
  registrar?: SipUri;
  /** Where to send (RFC 3263 on its host); default the registrar. */
  proxy?: SipUri;
  /** Force a transport (otherwise the proxy URI's transport parameter, then RFC 3263). */
  transport?: TransportKind;
  /** Requested expiry in seconds (default 600). */
  expires?: number;
  tls?: TlsClientPolicy;
  /** RFC 5626 instance id (`urn:uuid:...`); a random one when absent. */
  instanceId?: string;
  /** RFC 5626 reg-id (default 1). */
  regId?: number;
}

export function newInstanceId(): string {
  return `urn:uuid:${randomUUID()}`;
}

/** Our Contact URI for a transport: `sip:user@host:port;transport=x` (transport left out for UDP). */
export function contactUri(user: string | undefined, host: string, port: number | undefined, kind: TransportKind): string {
  const userPart = user === undefined || user === '' ? '' : `${user}@`;
  const t = kind === 'udp' ? '' : `;transport=${kind}`;
  return `sip:${userPart}${hostForUri(host)}${port === undefined ? '' : `:${port}`}${t}`;
}

/** The Contact header value: URI, RFC 5626 +sip.instance and reg-id, expires. */
export function contactValue(uri: string, instanceId: string, regId: number | undefined, expires: number): string {
  const ob = regId === undefined ? '' : `;reg-id=${regId}`;
  return `<${uri}>;+sip.instance="<${instanceId}>"${ob};expires=${expires}`;
}

/** What the registrar told us about our binding. */
export interface BindingInfo {
  expires: number;
  pubGruu: string | undefined;
  tempGruu: string | undefined;
  /** RFC 5626 §4.2.1: the registrar uses outbound for this flow. */
  outbound: boolean;
  /** RFC 5626 §4.4.1 Flow-Timer, seconds, when given. */
  flowTimer: number | undefined;
}

function isOurs(c: ContactValue, ourUri: Uri, instanceId: string): boolean {
  const inst = c.instance ?? c.params.get('+sip.instance');
  if (inst !== undefined && inst.replace(/^"?<|>"?$/g, '') === instanceId) return true;
  return urisEqual(c.uri, ourUri);
}

/** §10.2.4: our binding in a 2xx: its expires (contact param, else Expires, else what we asked). */
export function bindingFrom(response: SipMessage, ourUri: Uri, instanceId: string, requested: number): BindingInfo {
  const contacts = response.get(HeaderId.Contact)?.contacts ?? [];
  const ours = contacts.find((c) => isOurs(c, ourUri, instanceId));
  const expires = ours?.expires ?? response.get(HeaderId.Expires) ?? requested;
  const unquote = (v: string | undefined): string | undefined => (v === undefined ? undefined : v.replace(/^"|"$/g, ''));
  const require = (response.get(HeaderId.Require) ?? []).map((t) => t.toLowerCase());
  const supported = (response.get(HeaderId.Supported) ?? []).map((t) => t.toLowerCase());
  const flow = response.header('Flow-Timer');
  const flowTimer = flow !== undefined && /^\d{1,9}$/.test(flow.trim()) ? Number(flow.trim()) : undefined;
  return {
    expires,
    pubGruu: unquote(ours?.params.get('pub-gruu')),
    tempGruu: unquote(ours?.params.get('temp-gruu')),
    outbound: require.includes('outbound') || supported.includes('outbound'),
    flowTimer,
  };
}

/** When to refresh a binding of `expires` seconds: half-way for short ones, a minute early otherwise. */
export function refreshDelayMs(expires: number): number {
  return Math.max(expires / 2, expires - 60) * 1000;
}

export function aorText(aor: SipUri): string {
  return formatUri(aor);
}

const transportParams: Record<string, TransportKind> = { udp: 'udp', tcp: 'tcp', tls: 'tls', ws: 'ws', wss: 'wss' };

/** RFC 3263 query for a proxy/registrar URI (sips + tcp means TLS; sips + ws means WSS). */
export function targetQuery(uri: SipUri, forced: TransportKind | undefined): SipTargetQuery {
  const secure = uri.scheme === 'sips';
  const param = uriParam(uri, 'transport');
  let transport = forced ?? (typeof param === 'string' ? transportParams[param.toLowerCase()] : undefined);
  if (secure && transport === 'tcp') transport = 'tls';
  if (secure && transport === 'ws') transport = 'wss';
  const host = bareHost(uri.host);
  const q: SipTargetQuery = { host, secure, isIp: uri.hostKind !== 'domain' };
  if (uri.port !== undefined) q.port = uri.port;
  if (transport !== undefined) q.transport = transport;
  return q;
}

export function refusalText(r: DigestRefusal): string {
  switch (r.refused) {
    case 'credentials-rejected':
      return `credentials rejected for realm "${r.realm}" (wrong user name or password)`;
    case 'realm-not-configured':
      return `challenged for realm "${r.realm}", which is not configured for this account`;
    case 'unsupported-scheme':
      return `unsupported authentication scheme ${r.scheme}`;
    case 'unsupported-algorithm':
      return `unsupported digest algorithm ${r.algorithm}`;
    case 'unsupported-qop':
      return `unsupported qop ${r.qop}`;
    case 'malformed-challenge':
      return `malformed challenge: ${r.reason}`;
    case 'no-challenge':
      return 'authentication required but no challenge given';
  }
}
