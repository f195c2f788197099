import { HeaderId, createRequest, createResponse, type SipMessage } from '../message/index.js';

/** The first value of the first Via line (a line may carry several comma-separated values). */
function topViaText(msg: SipMessage): string {
  const line = msg.header(HeaderId.Via) ?? '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) return line.slice(0, i).trim();
  }
  return line.trim();
}

/** Route lines of a request, in order (§17.1.1.3, §9.1: copied into ACK and CANCEL). */
function routeLines(msg: SipMessage): [string, string][] {
  return msg.headerAll(HeaderId.Route).map((v) => ['Route', v]);
}

/**
 * The ACK for a non-2xx final response to `invite` (RFC 3261 §17.1.1.3): same Request-URI,
 * Call-ID, From, top Via only, To from the response (with its tag), CSeq number with method ACK,
 * Route copied from the INVITE.
 */
export function buildAckForNon2xx(invite: SipMessage, response: SipMessage): SipMessage {
  return createRequest({
    method: 'ACK',
    uri: invite.requestUriText,
    headers: [
      ['Via', topViaText(invite)],
      ...routeLines(invite),
      ['Max-Forwards', '70'],
      ['From', invite.header(HeaderId.From) ?? ''],
      ['To', response.header(HeaderId.To) ?? ''],
      ['Call-ID', invite.callId],
      ['CSeq', `${invite.cseq} ACK`],
    ],
  });
}

/**
 * A CANCEL for `invite` (RFC 3261 §9.1): same Request-URI, Call-ID, To, From, CSeq number,
 * top Via only (same branch), Route copied.
 */
export function buildCancel(invite: SipMessage): SipMessage {
  return createRequest({
    method: 'CANCEL',
    uri: invite.requestUriText,
    headers: [
      ['Via', topViaText(invite)],
      ...routeLines(invite),
      ['Max-Forwards', '70'],
      ['From', invite.header(HeaderId.From) ?? ''],
      ['To', invite.header(HeaderId.To) ?? ''],
      ['Call-ID', invite.callId],
      ['CSeq', `${invite.cseq} CANCEL`],
    ],
  });
}

/** 100 Trying for a new INVITE (§17.2.1, §8.2.6.1). */
export function buildTrying(invite: SipMessage): SipMessage {
  return createResponse(invite, 100);
}
