// sip/message/uri: SIP, SIPS and tel URIs (RFC 3261 §19.1, RFC 3966, RFC 5118); other schemes opaque.
export type { SipUri, TelUri, OpaqueUri, Uri, UriParam, UriHeader } from './types.js';
export { parseUri, parseUriAt } from './parse-uri.js';
export { formatUri, isSipUri, isTelUri } from './format-uri.js';
export { urisEqual } from './compare-uri.js';
export { uriParam, withUriParam, sipUri, type SipUriParts } from './helpers.js';
export { parseHost, type ParsedHost } from './host.js';
