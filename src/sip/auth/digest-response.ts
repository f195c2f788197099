import { digestHash, lookupAlgorithm, type DigestAlgorithm } from './digest-algorithm.js';

/** Everything the response computation needs; all strings are the unquoted values. */
export interface DigestInputs {
  algorithm: DigestAlgorithm;
  username: string;
  realm: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  /** Absent for RFC 2069/2617 compatibility mode (challenge without qop). */
  qop?: 'auth' | 'auth-int';
  /** Eight hex digits, e.g. `00000001`; required with qop. */
  nc?: string;
  /** Required with qop and with -sess algorithms. */
  cnonce?: string;
  /** Message body for auth-int (empty body when absent). */
  body?: Buffer | string;
}

export interface DigestValues {
  ha1: string;
  ha2: string;
  response: string;
}

/** HA1 per RFC 7616 §3.4.2: H(user:realm:pass), and for -sess H(that:nonce:cnonce). */
export function digestHa1(i: Pick<DigestInputs, 'algorithm' | 'username' | 'realm' | 'password' | 'nonce' | 'cnonce'>): string {
  const base = digestHash(i.algorithm, `${i.username}:${i.realm}:${i.password}`);
  if (!lookupAlgorithm(i.algorithm)!.sess) return base;
  return digestHash(i.algorithm, `${base}:${i.nonce}:${i.cnonce ?? ''}`);
}

/** HA2 per RFC 7616 §3.4.3: H(method:uri) or, for auth-int, H(method:uri:H(body)). */
export function digestHa2(i: Pick<DigestInputs, 'algorithm' | 'method' | 'uri' | 'qop' | 'body'>): string {
  if (i.qop === 'auth-int') {
    const bodyHash = digestHash(i.algorithm, i.body ?? '');
    return digestHash(i.algorithm, `${i.method}:${i.uri}:${bodyHash}`);
  }
  return digestHash(i.algorithm, `${i.method}:${i.uri}`);
}

/** The response from an already computed HA1 (lets -sess reuse the session key). */
export function digestResponseFromHa1(ha1: string, i: Omit<DigestInputs, 'password' | 'username' | 'realm'>): DigestValues {
  const ha2 = digestHa2(i);
  // RFC 7616 §3.4.1; without qop the RFC 2069 form of RFC 2617 §3.2.2.1.
  const response =
    i.qop === undefined
      ? digestHash(i.algorithm, `${ha1}:${i.nonce}:${ha2}`)
      : digestHash(i.algorithm, `${ha1}:${i.nonce}:${i.nc ?? ''}:${i.cnonce ?? ''}:${i.qop}:${ha2}`);
  return { ha1, ha2, response };
}

/** HA1, HA2 and the response for one set of inputs. */
export function computeDigest(i: DigestInputs): DigestValues {
  return digestResponseFromHa1(digestHa1(i), i);
}

/** The hashed username of RFC 7616 §3.4.4: H(username:realm). */
export function digestUserhash(algorithm: DigestAlgorithm, username: string, realm: string): string {
  return digestHash(algorithm, `${username}:${realm}`);
}
