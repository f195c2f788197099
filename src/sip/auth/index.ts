// sip/auth: digest authentication client (RFC 3261 §22, RFC 7616, RFC 8760, RFC 2617).
export { parseAuthHeader, authParam, type AuthChallenge, type ParsedChallenge } from './auth-header.js';
export { supportedAlgorithms, digestHash, type DigestAlgorithm } from './digest-algorithm.js';
export { computeDigest, digestUserhash, type DigestInputs, type DigestValues } from './digest-response.js';
export {
  buildDigestAuthorization,
  planDigest,
  formatNonceCount,
  type DigestCredentials,
  type DigestRequest,
  type DigestRefusal,
  type DigestPlan,
  type DigestCounter,
} from './digest-authorization.js';
export {
  DigestClient,
  type DigestClientOptions,
  type DigestChallenges,
  type DigestHeader,
  type DigestAttempt,
  type DigestAnswer,
  type AuthHeaderName,
} from './digest-client.js';
export { digestChallengesOf, digestRequestOf } from './sip-challenges.js';
