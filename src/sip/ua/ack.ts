// The ACK for a non-2xx final response to an INVITE (RFC 3261 §17.1.1.3): same Request-URI,
// Call-ID, From, CSeq number and top Via as the INVITE, To from the response, Route copied.
import { HeaderId, createRequest, type SipMessage } from '../message/index.js';
import { viaText } from '../transport/index.js';

export function buildNon2xxAck(invite: SipMessage, response: SipMessage): SipMessage {
  const lines: [string, string][] = [['Via', viaText(invite.topVia!)]];
  for (const r of invite.headerAll(HeaderId.Route)) lines.push(['Route', r]);
  lines.push(
    ['Max-Forwards', invite.header(HeaderId.MaxForwards) ?? '70'],
    ['From', invite.header(HeaderId.From)!],
    ['To', response.header(HeaderId.To)!],
    ['Call-ID', invite.callId],
    ['CSeq', `${invite.cseq} ACK`],
  );
  return createRequest({ method: 'ACK', uri: invite.requestUriText, headers: lines });
}
