// The library's public face (package main export): the Phone API for bots, IVRs and tests, and the
// parsers people build on.
export {
  startPhone, Phone, Account, Call, describeEnd, endedNormally, setHold, sendDtmf, sendFlash,
  blindTransfer, attendedTransfer, Conference, startRecording, stopRecording, CallHistory, phoneCommands,
} from './phone/index.js';
export type {
  StartPhoneOptions, PhoneOptions, PhoneEvents, DialOptions, AccountSettings, CallDirection, CallState, CallEnd,
  CallEndReason, CallEvents, DtmfVia, HistoryRow,
} from './phone/index.js';
export { parseMessage, serializeMessage, SipMessage, StreamFramer, parseUri, formatUri, urisEqual } from './sip/index.js';
export type { ParseResult, ParseOptions, Uri, SipUri, TelUri } from './sip/index.js';
export { parseSdp, serializeSdp, createOffer, createAnswer, applyAnswer } from './sdp/index.js';
export type { SessionDescription } from './sdp/index.js';
