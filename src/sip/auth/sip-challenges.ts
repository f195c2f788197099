import { HeaderId, type SipMessage } from '../message/index.js';
import type { DigestRequest } from './digest-authorization.js';
import type { DigestChallenges } from './digest-client.js';

/**
 * The challenges of a 401/407 `SipMessage`, as `DigestClient.answer` takes them. A header that
 * does not parse is left out (the client then refuses with `no-challenge` if nothing is left).
 */
export function digestChallengesOf(response: SipMessage): DigestChallenges {
  const www = response.get(HeaderId.WwwAuthenticate);
  const proxy = response.get(HeaderId.ProxyAuthenticate);
  return { ...(www ? { wwwAuthenticate: www } : {}), ...(proxy ? { proxyAuthenticate: proxy } : {}) };
}

/** Method, Request-URI (the digest `uri`, RFC 3261 §22.4) and body of a request. */
export function digestRequestOf(request: SipMessage): DigestRequest {
  return { method: request.method, uri: request.requestUriText, body: request.body };
}
