// sip/session: INVITE sessions (RFC 3261 §13-15) and the features within them: PRACK
// (RFC 3262), UPDATE (RFC 3311), session timers (RFC 4028), INFO (RFC 6086), REFER (RFC 3515),
// Replaces (RFC 3891). SDP travels as opaque bodies through hooks.
export { SessionAgent, sessionCapabilities, type SessionAgentOptions, type IncomingCall } from './session-agent.js';
export { InviteSession, bodyOf } from './invite-session.js';
export type { ProgressOptions, AcceptOptions } from './uas-invite.js';
export type {
  SessionBody, OfferAnswerHooks, SessionRole, SessionState, IncomingRefer, ReferProgress, SessionEvent, InviteSessionLike,
  SessionTimerConfig, PrackMode, OutgoingCallOptions,
} from './session-types.js';
export { reasonForStatus, type EndReason } from './end-reasons.js';
export { glareBackoffMs } from './offer-exchange.js';
export { defaultSessionTimer } from './session-timer.js';
export { referToValue, replacesInReferTo, referTarget, REFER_DECISION_MS } from './refer.js';
export { defaultLocate, type Locate } from './request-sender.js';
export {
  DTMF, DTMF_RELAY, formatDtmf, formatDtmfRelay, parseDtmf, parseDtmfRelay, dtmfOfInfo, type DtmfInfo,
} from './dtmf-info.js';
export { SIPFRAG, formatSipfrag, parseSipfrag, type SipfragStatus } from './sipfrag.js';
