// message/sipfrag bodies of REFER's implicit subscription (RFC 3515 §2.4.5, RFC 3420): the
// status line of the referred request's latest response.

export const SIPFRAG = 'message/sipfrag';

export interface SipfragStatus {
  status: number;
  reason: string;
}

/** `SIP/2.0 180 Ringing` (plus CRLF) for a NOTIFY body. */
export function formatSipfrag(status: number, reason: string): string {
  return `SIP/2.0 ${status} ${reason.replace(/[\r\n]/g, ' ')}\r\n`;
}

/** The status line of a sipfrag body; undefined when the first line is not a SIP status line. */
export function parseSipfrag(body: Buffer | string): SipfragStatus | undefined {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  const end = text.indexOf('\n');
  const line = (end < 0 ? text : text.slice(0, end)).replace(/\r$/, '').trim();
  // RFC 3261 §7.2: Status-Line = SIP-Version SP Status-Code SP Reason-Phrase
  if (!line.toUpperCase().startsWith('SIP/2.0 ')) return undefined;
  const rest = line.slice(8);
  const code = rest.slice(0, 3);
  if (!/^[1-6]\d\d$/.test(code) || (rest.length > 3 && rest[3] !== ' ')) return undefined;
  return { status: Number(code), reason: rest.slice(4) };
}
