// The parts of sip/'s session and auth sublayers the phone uses.
export {
  SessionAgent, sessionCapabilities, InviteSession, reasonForStatus,
  type SessionAgentOptions, type IncomingCall, type SessionBody, type OfferAnswerHooks, type SessionEvent, type EndReason,
  type IncomingRefer, type OutgoingCallOptions, type PrackMode,
} from '../sip/index.js';
export { DigestClient } from '../sip/index.js';
