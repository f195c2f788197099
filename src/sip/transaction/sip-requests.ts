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

/** A request inside the INVITE's own transaction: same Request-URI, Call-ID, From, CSeq number, top Via only (same branch), Route copied. */
function inviteTransactionRequest(invite: SipMessage, method: 'ACK' | 'CANCEL', to: string): SipMessage {
  return createRequest({
    method,
    uri: invite.requestUriText,
    headers: [
      ['Via', topViaText(invite)],
      ...routeLines(invite),
      ['Max-Forwards', '70'],
      ['From', invite.header(HeaderId.From) ?? ''],
      ['To', to],
      ['Call-ID', invite.callId],
      ['CSeq', `${invite.cseq} ${method}`],
    ],
  });
}

/** The ACK for a non-2xx final response to `invite` (RFC 3261 §17.1.1.3): To from the response, with its tag. */
export function buildAckForNon2xx(invite: SipMessage, response: SipMessage): SipMessage {
  return inviteTransactionRequest(invite, 'ACK', response.header(HeaderId.To) ?? '');
}

/** A CANCEL for `invite` (RFC 3261 §9.1): To as in the INVITE. */
export function buildCancel(invite: SipMessage): SipMessage {
  return inviteTransactionRequest(invite, 'CANCEL', invite.header(HeaderId.To) ?? '');
}

/** 100 Trying for a new INVITE (§17.2.1, §8.2.6.1). */
export function buildTrying(invite: SipMessage): SipMessage {
  return createResponse(invite, 100);
}
