// The typed forms of known header values. Parameter maps have lowercased names and unquoted
// values ('' for a parameter without a value); insertion order is the written order.
import type { Uri } from './uri/index.js';

export type Params = Map<string, string>;

/** name-addr / addr-spec with header parameters (RFC 3261 §20.10, §20.20, §20.39). */
export interface NameAddr {
  /** Display name: unquoted if it was quoted, tokens as written otherwise. */
  readonly displayName: string | undefined;
  /**
   * The URI, parsed on first read. One that does not parse reads as an opaque URI (its scheme
   * and the rest as written) and `uriError` says why (validateMessage reports it).
   */
  readonly uri: Uri;
  /** Why the URI does not parse; undefined when it does. */
  readonly uriError: string | undefined;
  /** The URI exactly as written. */
  readonly uriText: string;
  readonly params: Params;
  /** The `tag` parameter (From/To). */
  readonly tag: string | undefined;
}

/** One Via value (RFC 3261 §20.42, RFC 3581 rport). */
export interface Via {
  /** `SIP/2.0` as written. */
  protocol: string;
  /** Transport, upper-cased (`UDP`, `TCP`, `TLS`, `WS`, `WSS`, `SCTP`, or any token). */
  transport: string;
  /** sent-by host; an IPv6 reference keeps its brackets. */
  host: string;
  port: number | undefined;
  params: Params;
  branch: string | undefined;
  received: string | undefined;
  /** `true` for a bare `;rport`, the number when it has a value, undefined when absent. */
  rport: number | true | undefined;
  maddr: string | undefined;
  ttl: number | undefined;
}

export interface CSeqValue {
  seq: number;
  method: string;
}

/** One Contact value (RFC 3261 §20.10, RFC 5626 §4.1 +sip.instance / reg-id). */
export interface ContactValue extends NameAddr {
  expires: number | undefined;
  q: number | undefined;
  instance: string | undefined;
  regId: number | undefined;
}

/** Contact: `*` (wildcard, only in REGISTER) or a list. */
export interface Contacts {
  wildcard: boolean;
  contacts: ContactValue[];
}

/** media-type (Content-Type, Accept entries), type and subtype lowercased. */
export interface MediaType {
  type: string;
  subtype: string;
  params: Params;
}

/** A token with parameters (Content-Disposition, Event, Subscription-State, Reason ...). */
export interface TokenWithParams {
  value: string;
  params: Params;
}

/** Challenge or credentials (RFC 3261 §20.27, §20.44, §25.1; RFC 7616). */
export interface AuthValue {
  scheme: string;
  params: Map<string, string>;
  /** For a scheme whose credentials are not name=value pairs (e.g. a token68), the raw text. */
  raw: string;
}

export interface EventValue {
  /** event-type (package plus template, e.g. `presence.winfo`), lowercased. */
  type: string;
  id: string | undefined;
  params: Params;
}

export interface SubscriptionStateValue {
  /** `active`, `pending`, `terminated` or an extension, lowercased. */
  state: string;
  expires: number | undefined;
  reason: string | undefined;
  retryAfter: number | undefined;
  params: Params;
}

/** Replaces (RFC 3891 §6.1). */
export interface ReplacesValue {
  callId: string;
  toTag: string;
  fromTag: string;
  earlyOnly: boolean;
  params: Params;
}

/** RAck (RFC 3262 §7.2). */
export interface RAckValue {
  rseq: number;
  cseq: number;
  method: string;
}

/** Session-Expires / Min-SE (RFC 4028 §4, §5). */
export interface SessionExpiresValue {
  seconds: number;
  refresher: string | undefined;
  params: Params;
}

export interface RetryAfterValue {
  seconds: number;
  comment: string | undefined;
  duration: number | undefined;
  params: Params;
}

/** Reason (RFC 3326). */
export interface ReasonValue {
  protocol: string;
  cause: number | undefined;
  text: string | undefined;
  params: Params;
}

/** Warning (RFC 3261 §20.43). */
export interface WarningValue {
  code: number;
  agent: string;
  text: string;
}

/** Call-Info / Alert-Info / Error-Info entries: `<uri>` with parameters. */
export interface InfoValue {
  uriText: string;
  uri: Uri | undefined;
  params: Params;
}
