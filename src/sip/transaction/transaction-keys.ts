/** The Via fields matching needs (the message layer's `Via` fits). */
export interface ViaView {
  transport: string;
  host: string;
  port: number | undefined;
}

/**
 * The fields of a SIP message that transactions read. The message layer's `SipMessage` fits
 * structurally: for a response `method` is the CSeq method.
 */
export interface TransactionMessage {
  readonly isRequest: boolean;
  readonly method: string;
  readonly status: number;
  readonly cseq: number;
  readonly callId: string;
  readonly fromTag: string | undefined;
  readonly toTag: string | undefined;
  readonly branch: string | undefined;
  readonly topVia: ViaView | undefined;
  readonly requestUriText: string;
}

/** RFC 3261 §8.1.1.7: branches made by RFC 3261 elements start with this cookie. */
export const magicCookie = 'z9hG4bK';

const defaultPort = (transport: string): number => (transport === 'TLS' || transport === 'WSS' ? 5061 : 5060);

/** sent-by of a Via, host lower-cased, port defaulted by transport. */
export function sentBy(via: ViaView): string {
  return `${via.host.toLowerCase()}:${via.port ?? defaultPort(via.transport.toUpperCase())}`;
}

/**
 * Client transaction key (§17.1.3): top Via branch + CSeq method. CANCEL gets its own
 * transaction although it shares the INVITE's branch, because the method differs.
 */
export function clientKey(branch: string, method: string): string {
  return `${branch}\u0000${method}`;
}

/**
 * Server transaction key for a request (§17.2.3). With the magic cookie: branch + sent-by +
 * method, ACK keyed as INVITE so it finds the INVITE's transaction. Without it (RFC 2543
 * fallback): Request-URI, From tag, Call-ID, CSeq number and method, top Via. The To tag is left
 * out: the INVITE had none, its ACK carries ours. `method` overrides the request's (CANCEL → INVITE).
 * Undefined when the request has no top Via.
 */
export function serverKey(m: TransactionMessage, method = m.method): string | undefined {
  const via = m.topVia;
  if (via === undefined) return undefined;
  const keyMethod = method === 'ACK' ? 'INVITE' : method;
  const b = m.branch;
  if (b !== undefined && b.startsWith(magicCookie)) return `${b}\u0000${sentBy(via)}\u0000${keyMethod}`;
  // §17.2.3 RFC 2543 fallback.
  return [
    '2543',
    m.requestUriText,
    m.fromTag ?? '',
    m.callId,
    m.cseq,
    keyMethod,
    via.transport.toUpperCase(),
    sentBy(via),
    b ?? '',
  ].join('\u0000');
}
