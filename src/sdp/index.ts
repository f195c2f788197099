// sdp/: SDP parse/serialize (RFC 8866) and offer/answer (RFC 3264). Imports util/ only.
export type { Direction, SdpAttribute, SdpBandwidth, SdpConnection, SdpMedia, SdpOrigin, SdpTiming, SessionDescription } from './types.js';
export { malformed, notAcceptable, type SdpError, type SdpMalformed, type SdpNotAcceptable } from './errors.js';
export { parseSdp, maxSdpBytes } from './parse.js';
export { serializeSdp } from './serialize.js';
export {
  attributeValues, hasAttribute, mediaDirection, mediaConnection, isNullConnection, mediaFormats,
  parseRtpmap, parseFmtp, fmtpParameters, parseTelephoneEvents, formatTelephoneEvents, parseRtcpAttribute, parseMilliseconds, mediaMilliseconds,
  isTelephoneEvent, isComfortNoise, isAuxiliary,
  type Rtpmap, type Fmtp, type RtcpAttribute, type MediaFormat,
} from './attributes.js';
export {
  parseCrypto, formatCrypto, newCrypto, mediaCryptos, srtpSuites, isSrtpSuite, systemRandom,
  type SrtpSuite, type SdesCrypto, type SdesKey, type RandomSource,
} from './crypto.js';
export { staticPayloadType, staticNumberOf, type StaticPayloadType } from './static-payload-types.js';
export {
  defaultSrtpSuites,
  type CodecCapability, type LocalCapabilities, type SrtpPolicy, type NegotiatedCodec, type NegotiatedTelephoneEvent,
  type SrtpKeyMaterial, type NegotiatedSrtp, type NegotiatedMedia, type StreamOutcome, type Negotiation,
} from './capabilities.js';
export { createOffer, holdDirection } from './offer.js';
export { createAnswer, applyAnswer, type AnswerResult } from './answer.js';
