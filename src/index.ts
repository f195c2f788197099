// The library's public face (package main export): the parsers people build on. The `Phone`
// API joins here when the phone layer lands.
export { parseMessage, serializeMessage, SipMessage, StreamFramer, parseUri, formatUri, urisEqual } from './sip/index.js';
export type { ParseResult, ParseOptions, Uri, SipUri, TelUri } from './sip/index.js';
export { parseSdp, serializeSdp, createOffer, createAnswer, applyAnswer } from './sdp/index.js';
export type { SessionDescription } from './sdp/index.js';
