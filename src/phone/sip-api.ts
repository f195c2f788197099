// The parts of sip/ the phone uses. sip/index.ts does not yet re-export session/ and auth/, so
// this one file reaches into them; it becomes `export ... from '../sip/index.js'` when it does.
export {
  SessionAgent, sessionCapabilities, InviteSession, reasonForStatus,
  type SessionAgentOptions, type IncomingCall, type SessionBody, type OfferAnswerHooks, type SessionEvent, type EndReason,
  type IncomingRefer, type OutgoingCallOptions, type PrackMode,
} from '../sip/session/index.js';
export { DigestClient } from '../sip/auth/index.js';
