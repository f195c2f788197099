// sip/message: SIP message parsing, typed header access, serialization, building and stream
// framing (RFC 3261 §7, §18.3, §20, §25; RFC 5626 §4.4.1). URIs live in ./uri.
export { HeaderId, headerIdOf, headerNameOf } from './header-names.js';
export { defaultParseLimits, type ParseLimits, type Malformed, type ServerResponse } from './limits.js';
export { SipMessage, type HeaderField } from './message.js';
export { parseMessage, parseDatagram, type ParseResult, type ParseOptions } from './parse.js';
export { validateMessage, type ValidateOptions } from './validate.js';
export { serializeMessage } from './serialize.js';
export { setHeader, addHeader, removeHeader, setBody } from './edit.js';
export { createRequest, createResponse, reasonPhrase, type RequestInit, type ResponseInit, type HeaderLines } from './build.js';
export { StreamFramer, framingContentLength } from './stream-framer.js';
export { isKnownMethod } from './start-line.js';
export type { HeaderTypes } from './header-parsers.js';
export type {
  Params, NameAddr, Via, CSeqValue, ContactValue, Contacts, MediaType, TokenWithParams, AuthValue, EventValue,
  SubscriptionStateValue, ReplacesValue, RAckValue, SessionExpiresValue, RetryAfterValue, ReasonValue, WarningValue,
  InfoValue,
} from './header-types.js';
export * from './uri/index.js';
