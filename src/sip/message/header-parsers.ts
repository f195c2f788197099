// Which parser reads which header, and what type it gives. List headers merge every line of
// that header in order (RFC 3261 §7.3.1: repeated lines equal one comma-separated list).
import { utf8 } from './bytes.js';
import { HeaderId, headerNameOf } from './header-names.js';
import type {
  AuthValue, Contacts, CSeqValue, EventValue, InfoValue, MediaType, NameAddr, RAckValue, ReasonValue,
  ReplacesValue, RetryAfterValue, SessionExpiresValue, SubscriptionStateValue, TokenWithParams, Via, WarningValue,
} from './header-types.js';
import type { SipMessage } from './message.js';
import { splitOffset } from './scan-params.js';
import {
  ParsedNameAddr, parseContactList, parseInfoList, parseViaListAfterTop, parseNameAddr, parseNameAddrList, parseRouteList, parseViaList, type ListParser,
} from './parse-address-headers.js';
import { parseAuthInfo, parseAuthList, parseSipDate } from './parse-auth-headers.js';
import {
  parseAcceptList, parseCSeq, parseEvent, parseMediaType, parseNumber, parseRAck, parseReasonList, parseReplaces,
  parseRetryAfter, parseSessionExpires, parseSubscriptionState, parseTokenList, parseTokenWithParams, parseWarningList,
} from './parse-simple-headers.js';

/** The type `SipMessage.get(id)` gives for each typed header. */
export interface HeaderTypes {
  [HeaderId.Via]: Via[];
  [HeaderId.From]: NameAddr;
  [HeaderId.To]: NameAddr;
  [HeaderId.CallId]: string;
  [HeaderId.CSeq]: CSeqValue;
  [HeaderId.ContentLength]: number;
  [HeaderId.MaxForwards]: number;
  [HeaderId.Contact]: Contacts;
  [HeaderId.Route]: NameAddr[];
  [HeaderId.RecordRoute]: NameAddr[];
  [HeaderId.Path]: NameAddr[];
  [HeaderId.ServiceRoute]: NameAddr[];
  [HeaderId.ContentType]: MediaType;
  [HeaderId.ContentDisposition]: TokenWithParams;
  [HeaderId.ContentEncoding]: string[];
  [HeaderId.ContentLanguage]: string[];
  [HeaderId.Expires]: number;
  [HeaderId.MinExpires]: number;
  [HeaderId.Allow]: string[];
  [HeaderId.Supported]: string[];
  [HeaderId.Require]: string[];
  [HeaderId.ProxyRequire]: string[];
  [HeaderId.Unsupported]: string[];
  [HeaderId.AllowEvents]: string[];
  [HeaderId.AcceptEncoding]: string[];
  [HeaderId.AcceptLanguage]: string[];
  [HeaderId.WwwAuthenticate]: AuthValue[];
  [HeaderId.ProxyAuthenticate]: AuthValue[];
  [HeaderId.Authorization]: AuthValue[];
  [HeaderId.ProxyAuthorization]: AuthValue[];
  [HeaderId.AuthenticationInfo]: Map<string, string>;
  [HeaderId.Event]: EventValue;
  [HeaderId.SubscriptionState]: SubscriptionStateValue;
  [HeaderId.ReferTo]: NameAddr;
  [HeaderId.ReferredBy]: NameAddr;
  [HeaderId.Replaces]: ReplacesValue;
  [HeaderId.RSeq]: number;
  [HeaderId.RAck]: RAckValue;
  [HeaderId.SessionExpires]: SessionExpiresValue;
  [HeaderId.MinSE]: SessionExpiresValue;
  [HeaderId.RetryAfter]: RetryAfterValue;
  [HeaderId.Reason]: ReasonValue[];
  [HeaderId.Warning]: WarningValue[];
  [HeaderId.UserAgent]: string;
  [HeaderId.Server]: string;
  [HeaderId.Subject]: string;
  [HeaderId.Organization]: string;
  [HeaderId.CallInfo]: InfoValue[];
  [HeaderId.AlertInfo]: InfoValue[];
  [HeaderId.ErrorInfo]: InfoValue[];
  [HeaderId.PAssertedIdentity]: NameAddr[];
  [HeaderId.PPreferredIdentity]: NameAddr[];
  [HeaderId.Accept]: MediaType[];
  [HeaderId.Date]: Date;
}

type One = (b: Buffer, s: number, e: number) => unknown;
type Entry = { list: false; parse: One } | { list: true; parse: ListParser<unknown> };

const one = (parse: One): Entry => ({ list: false, parse });
const list = <T>(parse: ListParser<T>): Entry => ({ list: true, parse: parse as ListParser<unknown> });
const text: One = (b, s, e) => utf8(b, s, e);

const table: (Entry | undefined)[] = [];
const set = (ids: HeaderId[], entry: Entry): void => ids.forEach((id) => (table[id] = entry));
set([HeaderId.Via], list(parseViaList));
set([HeaderId.From, HeaderId.To, HeaderId.ReferTo, HeaderId.ReferredBy], one(parseNameAddr));
set([HeaderId.CallId, HeaderId.UserAgent, HeaderId.Server, HeaderId.Subject, HeaderId.Organization], one(text));
set([HeaderId.CSeq], one(parseCSeq));
set([HeaderId.ContentLength, HeaderId.Expires, HeaderId.MinExpires, HeaderId.RSeq], one((b, s, e) => parseNumber(b, s, e)));
set([HeaderId.MaxForwards], one((b, s, e) => parseNumber(b, s, e, 255)));
set([HeaderId.Contact], list(parseContactList));
set([HeaderId.Route, HeaderId.RecordRoute, HeaderId.Path, HeaderId.ServiceRoute], list(parseRouteList));
set([HeaderId.PAssertedIdentity, HeaderId.PPreferredIdentity], list(parseNameAddrList));
set([HeaderId.ContentType], one(parseMediaType));
set([HeaderId.ContentDisposition], one(parseTokenWithParams));
set(
  [HeaderId.ContentEncoding, HeaderId.ContentLanguage, HeaderId.Allow, HeaderId.Supported, HeaderId.Require,
    HeaderId.ProxyRequire, HeaderId.Unsupported, HeaderId.AllowEvents, HeaderId.AcceptEncoding, HeaderId.AcceptLanguage],
  list(parseTokenList),
);
set([HeaderId.WwwAuthenticate, HeaderId.ProxyAuthenticate, HeaderId.Authorization, HeaderId.ProxyAuthorization], list(parseAuthList));
set([HeaderId.AuthenticationInfo], one(parseAuthInfo));
set([HeaderId.Event], one(parseEvent));
set([HeaderId.SubscriptionState], one(parseSubscriptionState));
set([HeaderId.Replaces], one(parseReplaces));
set([HeaderId.RAck], one(parseRAck));
set([HeaderId.SessionExpires, HeaderId.MinSE], one(parseSessionExpires));
set([HeaderId.RetryAfter], one(parseRetryAfter));
set([HeaderId.Reason], list(parseReasonList));
set([HeaderId.Warning], list(parseWarningList));
set([HeaderId.CallInfo, HeaderId.AlertInfo, HeaderId.ErrorInfo], list(parseInfoList));
set([HeaderId.Accept], list(parseAcceptList));
set([HeaderId.Date], one(parseSipDate));

/** True when `id` has a typed parser. */
export function isTypedHeader(id: HeaderId): id is keyof HeaderTypes {
  return table[id] !== undefined;
}

/** Why a present header does not parse (the cached outcome of a failed typed read). */
export class HeaderFault {
  constructor(readonly reason: string, readonly offset: number | undefined) {}
}

function fault(id: HeaderId, text: string): HeaderFault {
  const { reason, offset } = splitOffset(text);
  return new HeaderFault(`${headerNameOf(id)}: ${reason}`, offset);
}

/**
 * Parses header `id` of `msg` whose first line is field `i`: the typed value, a HeaderFault
 * naming the header, or null when `id` has no typed form.
 */
export function parseHeaderValue(msg: SipMessage, id: HeaderId, i: number): unknown {
  const entry = table[id];
  if (entry === undefined) return null;
  if (!entry.list) {
    // From/To were scanned by parseMessage: build from those ranges unless edited since.
    if (msg.edits === undefined && (id === HeaderId.From || id === HeaderId.To)) {
      const r = id === HeaderId.From ? msg.fromRanges : msg.toRanges;
      if (r !== undefined) return new ParsedNameAddr(msg.buf, r);
    }
    const v = entry.parse(msg.source(i), msg.h[i * 4 + 2]!, msg.h[i * 4 + 3]!);
    return typeof v === 'string' && id !== HeaderId.CallId && !isTextHeader(id) ? fault(id, v) : v;
  }
  if (id === HeaderId.Contact) return contacts(msg, i);
  const out: unknown[] = [];
  if (id === HeaderId.Via && msg.edits === undefined && msg.viaTop !== undefined && i === msg.iVia) {
    const bad = parseViaListAfterTop(msg.buf, msg.viaTop, msg.h[i * 4 + 3]!, out as Via[]);
    if (bad !== undefined) return fault(id, bad);
    i = msg.firstIndex(id, i + 1);
  }
  for (; i >= 0; i = msg.firstIndex(id, i + 1)) {
    const bad = entry.parse(msg.source(i), msg.h[i * 4 + 2]!, msg.h[i * 4 + 3]!, out);
    if (bad !== undefined) return fault(id, bad);
  }
  return out;
}

function isTextHeader(id: HeaderId): boolean {
  return id === HeaderId.UserAgent || id === HeaderId.Server || id === HeaderId.Subject || id === HeaderId.Organization;
}

/** Contact: `*` alone (RFC 3261 §10.2.2) or name-addr / addr-spec values. */
function contacts(msg: SipMessage, first: number): unknown {
  const out: Contacts = { wildcard: false, contacts: [] };
  let lines = 0;
  for (let i = first; i >= 0; i = msg.firstIndex(HeaderId.Contact, i + 1)) {
    lines++;
    const b = msg.source(i);
    const s = msg.h[i * 4 + 2]!;
    const e = msg.h[i * 4 + 3]!;
    if (e - s === 1 && b[s] === 0x2a) {
      out.wildcard = true;
      continue;
    }
    const bad = parseContactList(b, s, e, out.contacts);
    if (bad !== undefined) return fault(HeaderId.Contact, bad);
  }
  if (out.wildcard && lines > 1) return fault(HeaderId.Contact, '"*" must be the only Contact value');
  return out;
}
