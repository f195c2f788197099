/** A URI parameter (`;name=value`); `value` is null for a bare `;name`. Name and value are unescaped. */
export interface UriParam {
  name: string;
  value: string | null;
}

/** A URI header (`?name=value&...`), name and value unescaped. */
export interface UriHeader {
  name: string;
  value: string;
}

/**
 * A SIP or SIPS URI (RFC 3261 §19.1). `user`, `password`, parameter and header names and
 * values are stored unescaped once (RFC 4475 §3.1.1.3: `%25%34%31` becomes `%41`).
 * `host` is as written (case kept); an IPv6 reference keeps its brackets: `[2001:db8::10]`.
 */
export interface SipUri {
  scheme: 'sip' | 'sips';
  user?: string;
  password?: string;
  host: string;
  hostKind: 'domain' | 'ipv4' | 'ipv6';
  port?: number;
  params: UriParam[];
  headers: UriHeader[];
}

/**
 * A tel URI (RFC 3966). `number` is the number as written, visual separators kept, with its
 * leading `+` when global (`+1-201-555-0123`, `7042;...` local numbers have no `+`).
 */
export interface TelUri {
  scheme: 'tel';
  number: string;
  isGlobal: boolean;
  params: UriParam[];
}

/** Any other scheme, kept opaque: `value` is everything after the first `:`. Scheme as written. */
export interface OpaqueUri {
  scheme: string;
  value: string;
}

export type Uri = SipUri | TelUri | OpaqueUri;
