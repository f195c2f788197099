// Ready-made sipp option sets for the registrar cases of issue 3. Each returns the options
// `runSipp` / `startSippUas` need (scenario + keys); add `localPort`, `t`, timeouts as you like.
import type { SippOptions } from './sipp.js';
import { sippFixture } from './sipp.js';

type ScenarioOptions = Pick<SippOptions, 'scenario' | 'keys' | 'noRetransmissions'>;

/**
 * REGISTER client through a registrar with digest auth (401 or 407, MD5): REGISTER, challenge,
 * REGISTER with credentials, 200. Pass `auth: { user, password }` to runSipp too (sipp's -au/-ap).
 */
export function registerUac(user: string, domain: string, expires = 300): ScenarioOptions {
  return { scenario: { file: sippFixture('register-uac.xml') }, keys: { user, domain, expires } };
}

/**
 * RFC 5626 outbound + GRUU REGISTER client (reg-id=1, +sip.instance) with digest; run it with
 * `transport: 't1'` (kamailio requires STUN keep-alives for outbound over UDP).
 */
export function registerOutboundUac(user: string, domain: string, instance: string, expires = 300): ScenarioOptions {
  return { scenario: { file: sippFixture('register-outbound-uac.xml') }, keys: { user, domain, expires, instance } };
}

/** Registrar: 401 MD5 qop=auth challenge, then 200 if the credentials verify (else 403 and exit 97). */
export function registrar401Then200(user: string, password: string, realm = 'handset.test'): ScenarioOptions {
  return { scenario: { file: sippFixture('registrar-401-then-200.xml') }, keys: { user, password, realm, nonce: `n${Date.now().toString(16)}` } };
}

/** Registrar: 423 with `Min-Expires: minExpires`, then 200. */
export function registrar423Then200(minExpires: number): ScenarioOptions {
  return { scenario: { file: sippFixture('registrar-423-then-200.xml') }, keys: { min_expires: minExpires } };
}

/** Registrar: 503 with `Retry-After: retryAfterS`, then 200 to the next REGISTER of the same Call-ID. */
export function registrar503RetryAfter(retryAfterS: number): ScenarioOptions {
  return { scenario: { file: sippFixture('registrar-503-retry-after.xml') }, keys: { retry_after: retryAfterS } };
}

/**
 * Registrar that stays silent for the first `ignore` REGISTER datagrams (the original and its
 * retransmissions: sipp runs with -nr so retransmissions are not swallowed), then answers 200.
 * Arrival instants are in the result's `messages` (direction 'received', `timeMs`).
 */
export function registrarIgnoreFirst(ignore: number): ScenarioOptions {
  if (!Number.isInteger(ignore) || ignore < 0 || ignore > 64) throw new Error('ignore must be 0..64');
  const recvs = Array.from({ length: ignore }, () => '  <recv request="REGISTER"/>').join('\n');
  const xml = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="registrar-ignore-first-${ignore}">
${recvs}
  <recv request="REGISTER"/>
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      [last_Contact:]
      [last_Expires:]
      Content-Length: 0

    ]]>
  </send>
</scenario>
`;
  return { scenario: { xml }, noRetransmissions: true };
}
