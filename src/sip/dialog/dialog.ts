// A dialog (RFC 3261 §12): identity, state, route set, sequence numbers, remote target, and
// the requests sent within it.
import { HeaderId, createRequest, type SipMessage, type Uri, type HeaderLines } from '../message/index.js';
import { applyRouteSet, DEFAULT_MAX_FORWARDS, routeEntry, type RouteEntry } from '../transport/index.js';

export type DialogState = 'early' | 'confirmed' | 'terminated';

/** §12: Call-ID + local tag + remote tag. */
export interface DialogId {
  callId: string;
  localTag: string;
  remoteTag: string;
}

export function dialogKey(id: DialogId): string {
  return `${id.callId}\u0000${id.localTag}\u0000${id.remoteTag}`;
}

/** Methods whose requests (and 2xx) replace the remote target (§12.2, RFC 3311, RFC 6665 §4.1). */
const targetRefresh = new Set(['INVITE', 'UPDATE', 'SUBSCRIBE', 'NOTIFY', 'REFER']);

export interface InDialogRequestInit {
  method: string;
  /** The top Via value (the transport layer makes it). */
  via: string;
  /** Extra header lines (Contact, Content-Type ...), after the dialog's own. */
  headers?: HeaderLines;
  body?: Buffer | string;
  /** For ACK and CANCEL: the CSeq number of the INVITE (§13.2.2.4, §9.1). */
  cseq?: number;
}

/** What the dialog says about a request received in it (§12.2.2). */
export type InDialogVerdict = { accept: true } | { accept: false; status: number; reason: string };

export class Dialog {
  state: DialogState;
  readonly id: DialogId;
  /** §12.1: local sequence number (undefined until we send a request in a UAS dialog). */
  localSeq: number | undefined;
  remoteSeq: number | undefined;
  /** Our From (UAC) / To (UAS) value, with our tag. */
  readonly localUri: string;
  /** The peer's To (UAC) / From (UAS) value as received, with its tag. */
  readonly remoteUri: string;
  remoteTarget: Uri;
  routeSet: RouteEntry[];
  /** §12.1.1: sips Request-URI and TLS on the hop. */
  readonly secure: boolean;

  private constructor(init: {
    state: DialogState; id: DialogId; localSeq: number | undefined; remoteSeq: number | undefined;
    localUri: string; remoteUri: string; remoteTarget: Uri; routeSet: RouteEntry[]; secure: boolean;
  }) {
    this.state = init.state;
    this.id = init.id;
    this.localSeq = init.localSeq;
    this.remoteSeq = init.remoteSeq;
    this.localUri = init.localUri;
    this.remoteUri = init.remoteUri;
    this.remoteTarget = init.remoteTarget;
    this.routeSet = init.routeSet;
    this.secure = init.secure;
  }

  get key(): string {
    return dialogKey(this.id);
  }

  /**
   * §12.1.2 UAC: from a 1xx (with To tag) or 2xx to our request. Route set = Record-Route
   * reversed; remote target = Contact. Undefined when the response cannot make a dialog.
   */
  static fromUacResponse(request: SipMessage, response: SipMessage): Dialog | undefined {
    const remoteTag = response.toTag;
    const localTag = request.fromTag;
    const contact = response.get(HeaderId.Contact)?.contacts[0];
    if (remoteTag === undefined || localTag === undefined || response.status < 101 || response.status >= 300) return undefined;
    if (contact === undefined) return undefined;
    const rr = response.get(HeaderId.RecordRoute) ?? [];
    return new Dialog({
      state: response.status >= 200 ? 'confirmed' : 'early',
      id: { callId: request.callId, localTag, remoteTag },
      localSeq: request.cseq,
      remoteSeq: undefined,
      localUri: request.header(HeaderId.From)!,
      remoteUri: response.header(HeaderId.To)!,
      remoteTarget: contact.uri,
      routeSet: [...rr].reverse().map(routeEntry),
      secure: request.requestUri?.scheme === 'sips',
    });
  }

  /** §12.1.1 UAS: from the request we answer with a 1xx/2xx carrying `localTag`. Route set = Record-Route in order. */
  static fromUasRequest(request: SipMessage, localTag: string, state: 'early' | 'confirmed'): Dialog | undefined {
    const remoteTag = request.fromTag;
    const contact = request.get(HeaderId.Contact)?.contacts[0];
    if (contact === undefined) return undefined;
    const rr = request.get(HeaderId.RecordRoute) ?? [];
    return new Dialog({
      state,
      // §12.1.1: an RFC 2543 request without From tag gives an empty remote tag.
      id: { callId: request.callId, localTag, remoteTag: remoteTag ?? '' },
      localSeq: undefined,
      remoteSeq: request.cseq,
      localUri: `${request.header(HeaderId.To)!};tag=${localTag}`,
      remoteUri: request.header(HeaderId.From)!,
      remoteTarget: contact.uri,
      routeSet: rr.map(routeEntry),
      secure: request.requestUri?.scheme === 'sips' && request.topVia?.transport === 'TLS',
    });
  }

  /**
   * §12.1.2 / §13.2.2.4: a later response of the dialog-creating request. A 2xx confirms the
   * dialog and (being a target refresh) updates the remote target and, for an early dialog,
   * the route set.
   */
  updateFromResponse(response: SipMessage): void {
    if (this.state === 'terminated' || response.status < 101 || response.status >= 300) return;
    const contact = response.get(HeaderId.Contact)?.contacts[0];
    if (this.state === 'early') {
      const rr = response.get(HeaderId.RecordRoute);
      if (rr !== undefined) this.routeSet = [...rr].reverse().map(routeEntry);
      if (response.status >= 200) this.state = 'confirmed';
    }
    if (contact !== undefined && (response.status >= 200 || this.state === 'early')) this.remoteTarget = contact.uri;
  }

  /**
   * §12.2.2: an in-dialog request. A CSeq lower than the remote sequence number gets 500;
   * a target refresh replaces the remote target.
   */
  receiveRequest(request: SipMessage): InDialogVerdict {
    if (request.method !== 'ACK' && request.method !== 'CANCEL') {
      if (this.remoteSeq !== undefined && request.cseq <= this.remoteSeq) {
        // Equal CSeq would be a retransmission, which the transaction layer absorbs.
        return { accept: false, status: 500, reason: 'CSeq Out of Order' };
      }
      this.remoteSeq = request.cseq;
    }
    if (targetRefresh.has(request.method)) {
      const contact = request.get(HeaderId.Contact)?.contacts[0];
      if (contact !== undefined) this.remoteTarget = contact.uri;
    }
    return { accept: true };
  }

  /** A 2xx to a target-refresh request we sent in the dialog replaces the remote target (§12.2.1.2). */
  receiveResponse(method: string, response: SipMessage): void {
    if (response.status < 200 || response.status >= 300 || !targetRefresh.has(method)) return;
    const contact = response.get(HeaderId.Contact)?.contacts[0];
    if (contact !== undefined) this.remoteTarget = contact.uri;
  }

  /**
   * §12.2.1.1: a request within the dialog: To = remote URI and tag, From = local URI and tag,
   * Call-ID, CSeq = local + 1 (ACK/CANCEL reuse the INVITE's), Request-URI and Route from the
   * route set (loose or strict), Max-Forwards 70.
   */
  createRequest(init: InDialogRequestInit): SipMessage {
    if (this.state === 'terminated') throw new Error('dialog terminated');
    let cseq: number;
    if (init.method === 'ACK' || init.method === 'CANCEL') {
      if (init.cseq === undefined) throw new Error(`${init.method} needs the INVITE's CSeq`);
      cseq = init.cseq;
    } else {
      // §12.2.1.1: the UAS side starts from an unset local number; any start value works, 1 is clear.
      cseq = (this.localSeq ?? 0) + 1;
      this.localSeq = cseq;
    }
    const routed = applyRouteSet(this.remoteTarget, this.routeSet);
    const lines: Array<readonly [string, string]> = [['Via', init.via]];
    for (const r of routed.routes) lines.push(['Route', r]);
    lines.push(
      ['Max-Forwards', String(DEFAULT_MAX_FORWARDS)],
      ['From', this.localUri],
      ['To', this.remoteUri],
      ['Call-ID', this.id.callId],
      ['CSeq', `${cseq} ${init.method}`],
    );
    if (init.headers) lines.push(...init.headers);
    const req: { method: string; uri: Uri; headers: HeaderLines; body?: Buffer | string } = { method: init.method, uri: routed.requestUri, headers: lines };
    if (init.body !== undefined) req.body = init.body;
    return createRequest(req);
  }

  terminate(): void {
    this.state = 'terminated';
  }
}
