/** The SDP data model (RFC 8866 §5): every line kept, attributes in received order. */

export interface SdpOrigin {
  username: string;
  /** Kept as digits: peers use values beyond 2^53. */
  sessionId: string;
  sessionVersion: string;
  netType: string;
  addrType: string;
  address: string;
}

/** c= (RFC 8866 §5.7). `ttl` only for IP4 multicast, `count` for multicast address ranges. */
export interface SdpConnection {
  netType: string;
  addrType: string;
  address: string;
  ttl?: number;
  count?: number;
}

/** b=<bwtype>:<bandwidth> (RFC 8866 §5.8). */
export interface SdpBandwidth {
  type: string;
  value: number;
}

/** t= with its r= lines (RFC 8866 §5.9, §5.10); times kept as text (NTP seconds, may exceed 2^32). */
export interface SdpTiming {
  start: string;
  stop: string;
  repeats: string[];
}

/** a=<name>[:<value>]; `value` is undefined for property attributes (a=rtcp-mux). */
export interface SdpAttribute {
  name: string;
  value?: string;
  /** 1-based line in the parsed text; absent on attributes we built. */
  line?: number;
}

/** One m= section (RFC 8866 §5.14). */
export interface SdpMedia {
  type: string;
  port: number;
  portCount?: number;
  proto: string;
  formats: string[];
  title?: string;
  connections: SdpConnection[];
  bandwidths: SdpBandwidth[];
  key?: string;
  attributes: SdpAttribute[];
  /** 1-based line of the m= line in the parsed text. */
  line?: number;
}

export interface SessionDescription {
  origin: SdpOrigin;
  sessionName: string;
  info?: string;
  uri?: string;
  emails: string[];
  phones: string[];
  connection?: SdpConnection;
  bandwidths: SdpBandwidth[];
  timings: SdpTiming[];
  zone?: string;
  key?: string;
  attributes: SdpAttribute[];
  media: SdpMedia[];
}

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
