// Offers inside a dialog: re-INVITE (RFC 3261 §14) and UPDATE (RFC 3311) both ways, as target
// refresh, media change and RFC 4028 refresh; 491 glare with the §14.1 random back-off; 500 +
// Retry-After for overlapping INVITEs (§14.2); ACK of our re-INVITE's 2xx (resent on retransmission).
import type { Destination } from '../../net/index.js';
import type { HeaderLines, SipMessage } from '../message/index.js';
import type { IncomingRequest } from '../ua/index.js';
import { dialogNextHop, retransmit, stopRetransmit, type SessionContext } from './session-context.js';
import type { SessionBody } from './session-types.js';
import { bodyOf, type InviteSession } from './invite-session.js';

type Method = 'INVITE' | 'UPDATE';
/** `waiting`: between a 491 and the retry, when the peer's own offer is welcome (§14.1). */
type Out = { method: Method; body: SessionBody | undefined; headers: HeaderLines; waiting: boolean; basedOn: SessionBody | undefined };

/**
 * §14.1: the wait before retrying after a 491, in 10 ms units: 2.1-4 s when we own the
 * Call-ID (we sent the dialog's first INVITE), else 0-2 s.
 */
export function glareBackoffMs(ownsCallId: boolean, random: number): number {
  return ownsCallId ? 2100 + Math.floor(random * 191) * 10 : Math.floor(random * 201) * 10;
}

export class OfferExchange {
  /** Our re-INVITE/UPDATE in progress (or waiting out a 491 back-off). */
  private out: Out | undefined;
  /** A peer's re-INVITE we answered with 2xx, waiting for its ACK. */
  private inbound: { cseq: number; offered: boolean; local: SessionBody | undefined; remote: SessionBody | undefined } | undefined;
  private lastAck: { cseq: number; message: SipMessage; destination: Destination } | undefined;

  constructor(private readonly s: InviteSession, private readonly ctx: SessionContext) {}

  get busy(): boolean {
    return this.out !== undefined || this.inbound !== undefined;
  }

  send(method: Method, body: SessionBody | undefined, headers: HeaderLines): boolean {
    const early = method === 'UPDATE' && this.s.state === 'early' && this.s.dialog !== undefined;
    if ((this.s.state !== 'confirmed' && !early) || this.busy) return false;
    this.out = { method, body, headers, waiting: false, basedOn: this.s.local };
    this.go();
    return true;
  }

  /** RFC 4028 §10 refresh: UPDATE without body when the peer allows it, else re-INVITE with our SDP. */
  refresh(): void {
    if (this.s.state !== 'confirmed') return;
    if (this.busy) {
      // Another exchange is on; it refreshes too. Look again shortly if it failed.
      this.s.timers.set('refresh-retry', 2000, () => this.refresh());
      return;
    }
    const update = this.s.peerAllow.some((m) => m.toUpperCase() === 'UPDATE');
    this.send(update ? 'UPDATE' : 'INVITE', update ? undefined : this.s.local, []);
  }

  private go(): void {
    const out = this.out;
    const dialog = this.s.dialog;
    if (out === undefined || dialog === undefined || this.s.state === 'terminated') return;
    const lines: HeaderLines = [['Supported', this.ctx.supported], ...this.s.sessionTimer.requestHeaders(true), ...out.headers];
    this.s.sendInDialog(dialog, out.method, lines, out.body, (res) => this.onFinal(out, res));
  }

  private onFinal(out: Out, res: SipMessage | undefined): void {
    if (res !== undefined && res.status < 300 && out !== this.out) {
      // A retransmitted 2xx of a re-INVITE already ACKed (§13.2.2.4).
      if (res.method === 'INVITE' && this.lastAck?.cseq === res.cseq) this.ctx.sender.resend(this.lastAck.message, this.lastAck.destination);
      return;
    }
    if (out !== this.out || this.s.state === 'terminated') return;
    if (res === undefined || res.status === 481 || res.status === 408) {
      // §12.2.1.2: 481/408/timeout to an in-dialog request ends the dialog.
      this.out = undefined;
      if (this.s.dialog) this.s.hangup(this.s.dialog);
      return this.s.end('dialog-lost', res?.status, res?.reason ?? 'no answer to an in-dialog request');
    }
    if (res.status === 491) {
      // §14.1 glare: wait, then try the same again.
      const wait = glareBackoffMs(this.s.role === 'uac', this.ctx.random());
      out.waiting = true;
      const retry = (): void => {
        // The peer's re-INVITE taken meanwhile is still waiting for its ACK: wait as long again.
        if (this.inbound !== undefined) return this.s.timers.set('glare', wait, retry);
        out.waiting = false;
        // We answered the peer's offer meanwhile: the old offer is stale (its version would go
        // back, RFC 3264 §8); the hooks build it again on the session as it now is.
        if (out.body !== undefined && this.s.local !== out.basedOn) {
          out.body = this.s.hooks?.createOffer() ?? out.body;
          out.basedOn = this.s.local;
        }
        this.go();
      };
      this.s.timers.set('glare', wait, retry);
      return;
    }
    if (res.status === 422 && this.s.sessionTimer.on422(res)) return this.go();
    if (res.status >= 300) {
      this.out = undefined;
      this.s.emit({ type: 'offer-failed', method: out.method, status: res.status, reason: res.reason });
      return;
    }
    this.out = undefined;
    const remote = bodyOf(res);
    let ackBody: SessionBody | undefined;
    if (out.body !== undefined && remote !== undefined) {
      this.s.local = out.body;
      this.s.remote = remote;
      this.s.emit({ type: 'media-changed', local: out.body, remote, method: out.method, direction: 'sent' });
    } else if (out.body === undefined && remote !== undefined && out.method === 'INVITE') {
      // Offerless re-INVITE: the 2xx offers, our ACK answers.
      ackBody = this.s.answer(remote);
      if (ackBody !== undefined) this.s.emit({ type: 'media-changed', local: ackBody, remote, method: 'INVITE', direction: 'received' });
    }
    if (out.method === 'INVITE') void this.ack(res.cseq, ackBody);
    if (this.s.sessionTimer.enabled) this.s.sessionTimer.onResponse(res);
  }

  private async ack(cseq: number, body: SessionBody | undefined): Promise<void> {
    const dialog = this.s.dialog;
    if (dialog === undefined) return;
    const sent = await this.ctx.sender.sendStateless(dialogNextHop(dialog), (via) => {
      const init: Parameters<typeof dialog.createRequest>[0] = { method: 'ACK', via, cseq, headers: body ? [['Content-Type', body.contentType]] : [] };
      if (body) init.body = body.body;
      return dialog.createRequest(init);
    });
    if (sent !== undefined) this.lastAck = { cseq, ...sent };
  }

  /** A re-INVITE or UPDATE from the peer. */
  receive(incoming: IncomingRequest): void {
    const req = incoming.request;
    const s = this.s;
    const isInvite = req.method === 'INVITE';
    if (isInvite && s.state !== 'confirmed' && s.state !== 'accepted') return s.respond(incoming, 491);
    // §14.2 / RFC 3311 §5.2: our own offer is out → 491; an INVITE still being answered → 500 + Retry-After.
    if (this.out !== undefined && !this.out.waiting && (this.out.body !== undefined || this.out.method === 'INVITE')) return s.respond(incoming, 491);
    if (this.inbound !== undefined || s.state === 'accepted') {
      if (isInvite) return s.respond(incoming, 500, undefined, [['Retry-After', String(Math.floor(this.ctx.random() * 10))]]);
      if (this.inbound?.offered) return s.respond(incoming, 491);
    }
    const timer = s.sessionTimer.onRequest(req);
    if (timer.kind === 'reject') return s.respond(incoming, timer.status, undefined, timer.headers);
    const remote = bodyOf(req);
    let local: SessionBody | undefined;
    if (remote !== undefined) {
      local = s.hooks?.answerOffer(remote);
      if (local === undefined) return s.respond(incoming, 488);
    } else if (isInvite) {
      // §14.2: an offerless re-INVITE: our 2xx offers (a fresh offer, or the current one again).
      local = s.hooks?.createOffer() ?? s.local;
    }
    const kind = incoming.arrival.transport;
    const headers: HeaderLines = [['Contact', this.ctx.contact(kind)], ['Supported', this.ctx.supported], ...timer.headers];
    timer.commit?.();
    if (!isInvite) {
      s.respond(incoming, 200, undefined, headers, local);
      if (remote !== undefined && local !== undefined) {
        s.local = local;
        s.remote = remote;
        s.emit({ type: 'media-changed', local, remote, method: 'UPDATE', direction: 'received' });
      }
      return;
    }
    this.inbound = { cseq: req.cseq, offered: remote === undefined, local, remote };
    const t = this.ctx.sender.timers;
    retransmit(s.timers, 're2xx', { first: t.t1, cap: t.t2, limit: 64 * t.t1 }, () => s.respond(incoming, 200, undefined, headers, local), () => {
      this.inbound = undefined;
      if (s.dialog) s.hangup(s.dialog, [['Reason', 'SIP;cause=408;text="ACK timeout"']]);
      s.end('no-ack', undefined, 'no ACK for our 2xx to a re-INVITE');
    });
  }

  /** The ACK of our 2xx to a peer's re-INVITE. */
  receiveAck(ack: SipMessage): void {
    const inbound = this.inbound;
    if (inbound === undefined || ack.cseq !== inbound.cseq) return;
    this.inbound = undefined;
    stopRetransmit(this.s.timers, 're2xx');
    const remote = inbound.offered ? bodyOf(ack) : inbound.remote;
    if (inbound.local !== undefined && remote !== undefined) {
      this.s.local = inbound.local;
      this.s.remote = remote;
      this.s.emit({ type: 'media-changed', local: inbound.local, remote, method: 'INVITE', direction: 'received' });
    }
  }
}
