// Header field names as a numeric enum, so the scanner identifies a header by one table lookup
// over the raw bytes (case-insensitive, compact forms included, RFC 3261 §7.3.1/§7.3.3) without
// building a string.

/** Headers the message layer knows by name. `Other` is any extension header (kept raw). */
export enum HeaderId {
  Other = 0,
  Via, From, To, CallId, CSeq, ContentLength, MaxForwards, Contact, Route, RecordRoute,
  ContentType, ContentDisposition, ContentEncoding, ContentLanguage, Expires, MinExpires,
  Allow, Supported, Require, ProxyRequire, Unsupported,
  WwwAuthenticate, ProxyAuthenticate, Authorization, ProxyAuthorization, AuthenticationInfo,
  Event, AllowEvents, SubscriptionState, ReferTo, ReferredBy, Replaces, RSeq, RAck,
  SessionExpires, MinSE, RetryAfter, Reason, Warning, UserAgent, Server, CallInfo, AlertInfo,
  PAssertedIdentity, PPreferredIdentity, Accept, AcceptEncoding, AcceptLanguage, Date, Subject,
  Path, ServiceRoute, Organization, Priority, Timestamp, ErrorInfo, MimeVersion, InReplyTo,
  ReplyTo, AcceptContact, RejectContact, RequestDisposition, Identity, IdentityInfo,
  ContentTransferEncoding,
}

/** Number of `HeaderId` values (for per-id tables). */
export const HEADER_ID_COUNT = HeaderId.ContentTransferEncoding + 1;

/** Canonical spelling of each known header (index = HeaderId). */
export const canonicalNames: readonly string[] = [
  '', 'Via', 'From', 'To', 'Call-ID', 'CSeq', 'Content-Length', 'Max-Forwards', 'Contact', 'Route',
  'Record-Route', 'Content-Type', 'Content-Disposition', 'Content-Encoding', 'Content-Language',
  'Expires', 'Min-Expires', 'Allow', 'Supported', 'Require', 'Proxy-Require', 'Unsupported',
  'WWW-Authenticate', 'Proxy-Authenticate', 'Authorization', 'Proxy-Authorization',
  'Authentication-Info', 'Event', 'Allow-Events', 'Subscription-State', 'Refer-To', 'Referred-By',
  'Replaces', 'RSeq', 'RAck', 'Session-Expires', 'Min-SE', 'Retry-After', 'Reason', 'Warning',
  'User-Agent', 'Server', 'Call-Info', 'Alert-Info', 'P-Asserted-Identity', 'P-Preferred-Identity',
  'Accept', 'Accept-Encoding', 'Accept-Language', 'Date', 'Subject', 'Path', 'Service-Route',
  'Organization', 'Priority', 'Timestamp', 'Error-Info', 'MIME-Version', 'In-Reply-To', 'Reply-To',
  'Accept-Contact', 'Reject-Contact', 'Request-Disposition', 'Identity', 'Identity-Info',
  'Content-Transfer-Encoding',
];

// RFC 3261 §7.3.3 and the IANA SIP header registry (RFC 3265 o/u, RFC 3515 r, RFC 3892 b,
// RFC 4028 x, RFC 3841 a/j/d, RFC 4474 y/n).
const compactForms: Record<string, HeaderId> = {
  v: HeaderId.Via, f: HeaderId.From, t: HeaderId.To, i: HeaderId.CallId, l: HeaderId.ContentLength,
  m: HeaderId.Contact, c: HeaderId.ContentType, e: HeaderId.ContentEncoding, k: HeaderId.Supported,
  s: HeaderId.Subject, o: HeaderId.Event, u: HeaderId.AllowEvents, r: HeaderId.ReferTo,
  b: HeaderId.ReferredBy, x: HeaderId.SessionExpires, a: HeaderId.AcceptContact,
  j: HeaderId.RejectContact, d: HeaderId.RequestDisposition, y: HeaderId.Identity,
  n: HeaderId.IdentityInfo,
};

const byLowerName = new Map<string, HeaderId>();
for (let id = 1; id < HEADER_ID_COUNT; id++) byLowerName.set(canonicalNames[id]!.toLowerCase(), id);
for (const [c, id] of Object.entries(compactForms)) byLowerName.set(c, id);

/** The id of a header name given as a string (any case, compact forms included). */
export function headerIdOf(name: string): HeaderId {
  return byLowerName.get(name.toLowerCase()) ?? HeaderId.Other;
}

/** The canonical name for an id, or `fallback` for `Other`. */
export function headerNameOf(id: HeaderId, fallback = ''): string {
  return id === HeaderId.Other ? fallback : canonicalNames[id]!;
}

// Byte-level lookup: open addressing over a hash of the lowercased name bytes; each slot
// keeps the id, and the candidate is confirmed by comparing bytes (no string is made).
const SLOTS = 1024;
const slotIds = new Int16Array(SLOTS).fill(-1);
const lowerBytes: Uint8Array[] = [];
const single = new Uint8Array(128);

/** The name hash (the parser computes the same while it scans the name). */
function hashBytes(b: Uint8Array, start: number, end: number): number {
  let h = 0;
  for (let i = start; i < end; i++) h = (h * 31 + (b[i]! | 0x20)) & 0xffff;
  return h;
}

for (const [name, id] of byLowerName) {
  if (name.length === 1) {
    single[name.charCodeAt(0)] = id;
    single[name.toUpperCase().charCodeAt(0)] = id;
    continue;
  }
  const bytes = Buffer.from(name, 'latin1');
  lowerBytes[id] = bytes;
  let slot = hashBytes(bytes, 0, bytes.length) & (SLOTS - 1);
  while (slotIds[slot] !== -1) slot = (slot + 1) & (SLOTS - 1);
  slotIds[slot] = id;
}

/**
 * The id of the header name in `b[start, end)` whose hash (`hashBytes`) the parser computed
 * while scanning it. The bytes are token characters, so `| 0x20` lowercases letters and leaves
 * `-`, `.`, digits alone.
 */
export function headerIdOfHash(b: Uint8Array, start: number, end: number, hash: number): HeaderId {
  const len = end - start;
  if (len === 1) return single[b[start]! & 0x7f]!;
  let slot = hash & (SLOTS - 1);
  for (;;) {
    const id = slotIds[slot]!;
    if (id === -1) return HeaderId.Other;
    const cand = lowerBytes[id]!;
    if (cand.length === len) {
      let i = 0;
      while (i < len && (b[start + i]! | 0x20) === cand[i]) i++;
      if (i === len) return id;
    }
    slot = (slot + 1) & (SLOTS - 1);
  }
}
