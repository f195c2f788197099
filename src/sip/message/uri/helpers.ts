import { parseHost } from './host.js';
import type { SipUri, TelUri, Uri, UriHeader, UriParam } from './types.js';

/**
 * Value of a URI parameter looked up case-insensitively (RFC 3261 §19.1.4): the value,
 * null for a parameter without a value (`;lr`), undefined when absent (or not sip/sips/tel).
 */
export function uriParam(uri: Uri, name: string): string | null | undefined {
  if (!('params' in uri)) return undefined;
  const lower = name.toLowerCase();
  for (const p of uri.params) if (p.name.toLowerCase() === lower) return p.value;
  return undefined;
}

/** A copy of the URI with the parameter set (replacing any of that name), or removed when `value` is undefined. */
export function withUriParam<T extends SipUri | TelUri>(uri: T, name: string, value: string | null | undefined): T {
  const lower = name.toLowerCase();
  const params = uri.params.filter((p) => p.name.toLowerCase() !== lower);
  if (value !== undefined) params.push({ name, value });
  return { ...uri, params };
}

export interface SipUriParts {
  scheme?: 'sip' | 'sips';
  user?: string;
  password?: string;
  /** A domain name, an IPv4 address, or an IPv6 address with or without brackets. */
  host: string;
  port?: number;
  params?: UriParam[] | Record<string, string | null>;
  headers?: UriHeader[];
}

/**
 * Builds a SipUri from unescaped parts (defaults: scheme sip, no params or headers).
 * Throws a RangeError for a host or port that no URI can carry: a programmer error.
 */
export function sipUri(parts: SipUriParts): SipUri {
  const raw = parts.host.includes(':') && !parts.host.startsWith('[') ? `[${parts.host}]` : parts.host;
  const host = parseHost(raw, 0, raw.length);
  if (!host.ok) throw new RangeError(`sipUri: ${host.error}`);
  if (parts.port !== undefined && !(Number.isInteger(parts.port) && parts.port >= 0 && parts.port <= 65535)) {
    throw new RangeError(`sipUri: invalid port ${parts.port}`);
  }
  const params = Array.isArray(parts.params)
    ? parts.params.map((p) => ({ ...p }))
    : Object.entries(parts.params ?? {}).map(([name, value]) => ({ name, value }));
  const uri: SipUri = {
    scheme: parts.scheme ?? 'sip',
    host: host.value.host,
    hostKind: host.value.hostKind,
    params,
    headers: (parts.headers ?? []).map((h) => ({ ...h })),
  };
  if (parts.user !== undefined) uri.user = parts.user;
  if (parts.password !== undefined) uri.password = parts.password;
  if (parts.port !== undefined) uri.port = parts.port;
  return uri;
}
