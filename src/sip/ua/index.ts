// sip/ua: the UA core (SipStack: transport + parser + transactions + transport rules + core
// answers) and registration.
export { SipStack } from './sip-stack.js';
export type { SipTraceEntry, SipTraceListener } from './sip-trace.js';
export {
  type SipStackOptions,
  type SipStackStats,
  type OutgoingRequest,
  type ClientFailure,
  type ClientListener,
  type ClientRequest,
  type IncomingRequest,
} from './stack-types.js';
export { defaultCapabilities, coreAnswer, capabilityHeaders, type UaCapabilities, type CoreAnswer } from './capabilities.js';
export { looksLikeRequest, malformedRequestResponse } from './malformed-response.js';
export { buildNon2xxAck } from './ack.js';
export { backoffCeilingMs, backoffDelayMs, defaultBackoff, type BackoffConfig } from './backoff.js';
export {
  contactUri, contactValue, bindingFrom, refreshDelayMs, newInstanceId, targetQuery, refusalText, type AccountConfig, type BindingInfo,
} from './register-request.js';
export { Registration, type RegistrationEvent, type RegistrationOptions, type RegistrationState } from './registration.js';
