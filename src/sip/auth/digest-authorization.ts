import { err, ok, type Result } from '../../util/index.js';
import { lookupAlgorithm, type DigestAlgorithm } from './digest-algorithm.js';
import { digestHa1, digestResponseFromHa1, digestUserhash } from './digest-response.js';
import { authParam, encodeExtendedValue, needsExtendedValue, quoteString, type AuthChallenge } from './auth-header.js';

/** An account's secret. Keep the object itself out of logs; the client copies the password into a private field. */
export interface DigestCredentials {
  username: string;
  password: string;
  /** When set, only challenges of this realm are answered. */
  realm?: string;
}

/** The request being authorised: method, Request-URI as sent (the `uri` param), body for auth-int. */
export interface DigestRequest {
  method: string;
  uri: string;
  body?: Buffer | string;
}

/** Why a challenge is not answered. Never carries the password. */
export type DigestRefusal =
  | { refused: 'realm-not-configured'; realm: string }
  | { refused: 'credentials-rejected'; realm: string }
  | { refused: 'unsupported-scheme'; scheme: string }
  | { refused: 'unsupported-algorithm'; algorithm: string }
  | { refused: 'unsupported-qop'; qop: string }
  | { refused: 'malformed-challenge'; reason: string }
  | { refused: 'no-challenge' };

/** A challenge reduced to what we will answer with. */
export interface DigestPlan {
  algorithm: DigestAlgorithm;
  /** True when the challenge named the algorithm (we echo it; absent means MD5). */
  algorithmNamed: boolean;
  strength: number;
  sess: boolean;
  realm: string;
  nonce: string;
  opaque?: string;
  qop?: 'auth' | 'auth-int';
  userhash: boolean;
  stale: boolean;
}

function hasControlCharacter(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return true;
  }
  return false;
}

/** Checks a challenge and picks algorithm and qop (RFC 7616 §3.3, RFC 3261 §22.4). */
export function planDigest(challenge: AuthChallenge, preferAuthInt = false): Result<DigestPlan, DigestRefusal> {
  if (challenge.scheme.toLowerCase() !== 'digest') return err({ refused: 'unsupported-scheme', scheme: challenge.scheme });
  const p = {
    realm: authParam(challenge, 'realm'),
    nonce: authParam(challenge, 'nonce'),
    algorithm: authParam(challenge, 'algorithm'),
    qop: authParam(challenge, 'qop'),
    opaque: authParam(challenge, 'opaque'),
    userhash: authParam(challenge, 'userhash'),
    stale: authParam(challenge, 'stale'),
  };
  // Values are echoed into our request: control characters (CR/LF) would inject header lines.
  for (const [name, v] of Object.entries(p)) {
    if (v !== undefined && hasControlCharacter(v)) return err({ refused: 'malformed-challenge', reason: `control character in ${name}` });
  }
  if (p.realm === undefined) return err({ refused: 'malformed-challenge', reason: 'realm missing' });
  if (p.nonce === undefined) return err({ refused: 'malformed-challenge', reason: 'nonce missing' });
  const info = lookupAlgorithm(p.algorithm);
  if (!info) return err({ refused: 'unsupported-algorithm', algorithm: p.algorithm ?? '' });
  let qop: 'auth' | 'auth-int' | undefined;
  if (p.qop !== undefined) {
    // qop-options is a comma-separated list (RFC 7616 §3.3: qop="auth, auth-int").
    const offered = p.qop.split(',').map((q) => q.trim().toLowerCase());
    const auth = offered.includes('auth');
    const authInt = offered.includes('auth-int');
    if (authInt && (preferAuthInt || !auth)) qop = 'auth-int';
    else if (auth) qop = 'auth';
    else return err({ refused: 'unsupported-qop', qop: p.qop });
  }
  const plan: DigestPlan = {
    algorithm: info.name,
    algorithmNamed: p.algorithm !== undefined,
    strength: info.strength,
    sess: info.sess,
    realm: p.realm,
    nonce: p.nonce,
    userhash: p.userhash?.toLowerCase() === 'true',
    stale: p.stale?.toLowerCase() === 'true',
  };
  if (p.opaque !== undefined) plan.opaque = p.opaque;
  if (qop !== undefined) plan.qop = qop;
  return ok(plan);
}

/** Per-request values: the client nonce and the nonce count (1 for the first use of a nonce). */
export interface DigestCounter {
  cnonce: string;
  nc: number;
}

/** nc as eight lower-case hex digits (RFC 7616 §3.4). */
export const formatNonceCount = (nc: number): string => nc.toString(16).padStart(8, '0');

/**
 * Builds the Authorization / Proxy-Authorization value for a plan, given HA1 (so -sess keys
 * can be reused). Parameters in RFC 3261 §22.4 order; opaque echoed unchanged (RFC 7616 §3.4).
 */
export function formatDigestCredentials(plan: DigestPlan, ha1: string, username: string, request: DigestRequest, counter: DigestCounter): string {
  const withCnonce = plan.qop !== undefined || plan.sess;
  const nc = formatNonceCount(counter.nc);
  const { response } = digestResponseFromHa1(ha1, {
    algorithm: plan.algorithm,
    method: request.method,
    uri: request.uri,
    nonce: plan.nonce,
    ...(plan.qop !== undefined ? { qop: plan.qop, nc } : {}),
    ...(withCnonce ? { cnonce: counter.cnonce } : {}),
    ...(request.body !== undefined ? { body: request.body } : {}),
  });
  const parts: string[] = [];
  // RFC 7616 §3.4.4: hashed username; otherwise username* (RFC 8187) when it is not plain ASCII.
  if (plan.userhash) parts.push(`username=${quoteString(digestUserhash(plan.algorithm, username, plan.realm))}`);
  else if (needsExtendedValue(username)) parts.push(`username*=${encodeExtendedValue(username)}`);
  else parts.push(`username=${quoteString(username)}`);
  parts.push(`realm=${quoteString(plan.realm)}`, `nonce=${quoteString(plan.nonce)}`, `uri=${quoteString(request.uri)}`);
  parts.push(`response=${quoteString(response)}`);
  if (plan.algorithmNamed) parts.push(`algorithm=${plan.algorithm}`);
  if (withCnonce) parts.push(`cnonce=${quoteString(counter.cnonce)}`);
  if (plan.opaque !== undefined) parts.push(`opaque=${quoteString(plan.opaque)}`);
  if (plan.qop !== undefined) parts.push(`qop=${plan.qop}`, `nc=${nc}`);
  if (plan.userhash) parts.push('userhash=true');
  return 'Digest ' + parts.join(', ');
}

/** Session key for a plan: HA1 (RFC 7616 §3.4.2). */
export function planHa1(plan: DigestPlan, credentials: DigestCredentials, cnonce: string): string {
  return digestHa1({
    algorithm: plan.algorithm,
    username: credentials.username,
    realm: plan.realm,
    password: credentials.password,
    nonce: plan.nonce,
    cnonce,
  });
}

/**
 * One-shot answer to one challenge: the Authorization header value, or why not.
 * Refuses a realm other than `credentials.realm` when that is set.
 */
export function buildDigestAuthorization(
  challenge: AuthChallenge,
  credentials: DigestCredentials,
  request: DigestRequest,
  counter: DigestCounter,
  preferAuthInt = false,
): Result<string, DigestRefusal> {
  const planned = planDigest(challenge, preferAuthInt);
  if (!planned.ok) return planned;
  const plan = planned.value;
  if (credentials.realm !== undefined && credentials.realm !== plan.realm) return err({ refused: 'realm-not-configured', realm: plan.realm });
  return ok(formatDigestCredentials(plan, planHa1(plan, credentials, counter.cnonce), credentials.username, request, counter));
}
