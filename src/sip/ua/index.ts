// sip/ua: the UA core (SipStack: transport + parser + transactions + transport rules + core
// answers) and registration.
export {
  SipStack,
  type SipStackOptions,
  type SipStackStats,
  type OutgoingRequest,
  type ClientFailure,
  type ClientListener,
  type ClientRequest,
  type IncomingRequest,
} from './sip-stack.js';
export { defaultCapabilities, coreAnswer, capabilityHeaders, type UaCapabilities, type CoreAnswer } from './capabilities.js';
export { looksLikeRequest, malformedRequestResponse } from './malformed-response.js';
export { buildNon2xxAck } from './ack.js';
export { backoffCeilingMs, backoffDelayMs, defaultBackoff, type BackoffConfig } from './backoff.js';
export {
  contactUri, contactValue, bindingFrom, refreshDelayMs, newInstanceId, type AccountConfig, type BindingInfo,
} from './register-request.js';
export { Registration, targetQuery, type RegistrationEvent, type RegistrationOptions, type RegistrationState } from './registration.js';
