// The UAS side of the initial INVITE (RFC 3261 §13.3): provisional responses and early
// dialogs, reliable provisionals (RFC 3262 §3), the 2xx retransmitted until the ACK
// (§13.3.1.4; no ACK in 64*T1 ends the call with BYE), rejection, CANCEL → 487 (§9.2).
import { randomUint32 } from '../../util/index.js';
import { Dialog } from '../dialog/index.js';
import { HeaderId, type HeaderLines, type SipMessage } from '../message/index.js';
import type { IncomingRequest } from '../ua/index.js';
import { retransmit, stopRetransmit, type SessionContext } from './session-context.js';
import type { SessionBody } from './session-types.js';
import { bodyOf, type InviteSession } from './invite-session.js';

export interface ProgressOptions {
  /** Early media SDP (an answer to the INVITE's offer, or an offer when it had none and the 1xx is reliable). */
  body?: SessionBody;
  /** Send reliably (RFC 3262) when the caller supports 100rel; forced when it requires it. */
  reliable?: boolean;
  headers?: HeaderLines;
}

export interface AcceptOptions {
  /** Answer (or offer for an offerless INVITE); when absent the session's hooks are asked. */
  body?: SessionBody;
  headers?: HeaderLines;
}

const hasTag = (list: string[] | undefined, tag: string): boolean => (list ?? []).some((t) => t.toLowerCase() === tag);

export class UasInvite {
  readonly request: SipMessage;
  private final = false;
  private rseq = randomUint32() % 0x7fffffff;
  /** The reliable 1xx awaiting its PRACK, and those queued behind it (RFC 3262 §3: one at a time). */
  private unacked: { rseq: number; offer: boolean; sdp: boolean } | undefined;
  /** RFC 3262 §3: a 2xx waits for the PRACK of a reliable 1xx that carried SDP. */
  private deferredAccept: (() => void) | undefined;
  private readonly queued: Array<() => void> = [];
  /** Our answer went in a reliable 1xx: the 2xx carries no SDP (RFC 3262 §5); after an unreliable 183 it repeats it. */
  private answerFinal = false;
  /** We offered in a reliable 1xx or the 2xx (offerless INVITE): the PRACK or ACK answers. */
  private offeredIn: '1xx' | '2xx' | undefined;

  constructor(private readonly s: InviteSession, private readonly ctx: SessionContext, private readonly incoming: IncomingRequest) {
    this.request = incoming.request;
    s.remote = bodyOf(this.request);
    s.peerAllow = this.request.get(HeaderId.Allow) ?? [];
  }

  private get kind(): IncomingRequest['arrival']['transport'] {
    return this.incoming.arrival.transport;
  }

  private send(status: number, reason: string | undefined, headers: HeaderLines, body: SessionBody | undefined): void {
    this.s.respond(this.incoming, status, reason, headers, body);
  }

  /** The early (or confirmed) dialog of our responses (§12.1.1). */
  private dialogFor(state: 'early' | 'confirmed'): Dialog | undefined {
    if (this.s.dialog !== undefined) {
      if (state === 'confirmed') this.s.dialog.state = 'confirmed';
      return this.s.dialog;
    }
    const d = Dialog.fromUasRequest(this.request, this.s.localTag, state);
    if (d === undefined) return undefined;
    this.s.dialog = d;
    this.s.bind(d);
    return d;
  }

  progress(status: number, o: ProgressOptions): void {
    if (this.final || this.s.state === 'terminated') throw new Error('progress() after the final response');
    if (status < 101 || status > 199) throw new Error(`progress() takes 101-199, not ${status}`);
    if (this.dialogFor('early') === undefined) return this.reject(400, 'Missing Contact', []);
    this.s.state = 'early';
    const requires = hasTag(this.request.get(HeaderId.Require), '100rel');
    const supports = requires || hasTag(this.request.get(HeaderId.Supported), '100rel');
    const reliable = requires || (supports && this.ctx.prack !== 'off' && (o.reliable ?? this.ctx.prack === 'required'));
    const headers: Array<readonly [string, string]> = [['Contact', this.ctx.contact(this.kind)], ['Allow', this.ctx.allow], ...(o.headers ?? [])];
    if (o.body) {
      if (this.s.remote === undefined && !reliable) throw new Error('an offer in a 1xx needs a reliable provisional (RFC 3262 §5)');
      this.s.local = o.body;
    }
    if (!reliable) {
      this.send(status, undefined, headers, o.body);
      return;
    }
    const go = (): void => {
      if (this.final || this.s.state === 'terminated') return;
      const rseq = ++this.rseq;
      const offer = o.body !== undefined && this.s.remote === undefined;
      if (offer) this.offeredIn = '1xx';
      else if (o.body !== undefined) this.answerFinal = true;
      this.unacked = { rseq, offer, sdp: o.body !== undefined };
      const lines: HeaderLines = [...headers, ['Require', '100rel'], ['RSeq', String(rseq)]];
      const t = this.ctx.sender.timers;
      // RFC 3262 §3: retransmit at T1, doubling, until the PRACK; after 64*T1 reject with 5xx.
      retransmit(this.s.timers, 'reliable', { first: t.t1, limit: 64 * t.t1 }, () => this.send(status, undefined, lines, o.body), () => {
        this.final = true;
        this.send(504, 'No PRACK', [], undefined);
        this.s.end('no-prack', 504, 'no PRACK for a reliable provisional response');
      });
    };
    if (this.unacked !== undefined) this.queued.push(go);
    else go();
  }

  /** RFC 3262 §3: the PRACK of our reliable 1xx (RAck = RSeq, CSeq, method). */
  receivePrack(incoming: IncomingRequest): void {
    const rack = incoming.request.get(HeaderId.RAck);
    const u = this.unacked;
    if (rack === undefined || u === undefined || rack.rseq !== u.rseq || rack.cseq !== this.request.cseq || rack.method !== 'INVITE') {
      return this.s.respond(incoming, 481, 'No Matching Reliable Provisional');
    }
    stopRetransmit(this.s.timers, 'reliable');
    this.unacked = undefined;
    const body = bodyOf(incoming.request);
    if (body !== undefined && u.offer) {
      // RFC 3262 §5: the PRACK answers the offer of our reliable 1xx.
      this.s.remote = body;
      this.offeredIn = undefined;
      this.s.respond(incoming, 200);
      this.s.emit({ type: 'media-changed', local: this.s.local!, remote: body, method: 'PRACK', direction: 'sent' });
    } else if (body !== undefined) {
      // A new offer in the PRACK: answered in its 2xx.
      const answer = this.s.answer(body);
      if (answer === undefined) this.s.respond(incoming, 488);
      else {
        this.s.respond(incoming, 200, undefined, [], answer);
        this.s.emit({ type: 'media-changed', local: answer, remote: body, method: 'PRACK', direction: 'received' });
      }
    } else this.s.respond(incoming, 200);
    const deferred = this.deferredAccept;
    this.deferredAccept = undefined;
    if (deferred !== undefined) deferred();
    else this.queued.shift()?.();
  }

  accept(o: AcceptOptions): void {
    if (this.final || this.s.state === 'terminated') throw new Error('accept() after the final response');
    if (this.unacked?.sdp) {
      // RFC 3262 §3: no 2xx before the PRACK of a reliable 1xx with a session description.
      this.queued.length = 0;
      this.deferredAccept = () => this.accept(o);
      return;
    }
    let body = o.body;
    // §13.2.1: an answer given only in an unreliable 183 is not final: the 2xx carries it again.
    if (body === undefined && this.s.remote !== undefined && this.s.local !== undefined && !this.answerFinal && this.offeredIn === undefined) body = this.s.local;
    if (body === undefined && this.offeredIn === undefined && this.s.local === undefined) {
      // No answer given: ask the hooks (offerless INVITE → our offer, else our answer).
      if (this.s.remote === undefined) body = this.s.hooks?.createOffer();
      else {
        body = this.s.answer(this.s.remote);
        if (body === undefined) return this.reject(488, undefined, []);
      }
    }
    if (body !== undefined) {
      if (this.s.remote === undefined) this.offeredIn = '2xx';
      this.s.local = body;
    } else if (this.s.local === undefined) {
      // §13.2.1: the 2xx to an offerless INVITE must offer.
      throw new Error('accept() of an offerless INVITE needs an offer (a body, or hooks)');
    }
    const timer = this.s.sessionTimer.onRequest(this.request);
    if (timer.kind === 'reject') return this.reject(timer.status, undefined, timer.headers);
    if (this.dialogFor('confirmed') === undefined) return this.reject(400, 'Missing Contact', []);
    this.final = true;
    this.queued.length = 0;
    stopRetransmit(this.s.timers, 'reliable');
    this.s.state = 'accepted';
    const headers: HeaderLines = [['Contact', this.ctx.contact(this.kind)], ['Allow', this.ctx.allow], ['Supported', this.ctx.supported], ...timer.headers, ...(o.headers ?? [])];
    const t = this.ctx.sender.timers;
    // §13.3.1.4: the 2xx again at T1, doubling to T2, until the ACK; none in 64*T1 → BYE.
    retransmit(this.s.timers, '2xx', { first: t.t1, cap: t.t2, limit: 64 * t.t1 }, () => this.send(200, undefined, headers, body), () => {
      if (this.s.dialog) this.s.hangup(this.s.dialog, [['Reason', 'SIP;cause=408;text="ACK timeout"']]);
      this.s.end('no-ack', undefined, 'no ACK for our 2xx');
    });
    timer.commit?.();
  }

  /** A BYE asked for before the ACK (§15): sent when the ACK comes (no ACK: the give-up BYEs). */
  deferBye(headers: HeaderLines): void {
    this.pendingBye = headers;
  }

  private pendingBye: HeaderLines | undefined;

  /** §13.3.1.4: the ACK of our 2xx (true when it was). */
  receiveAck(ack: SipMessage): boolean {
    if (this.s.state !== 'accepted' || ack.cseq !== this.request.cseq) return false;
    stopRetransmit(this.s.timers, '2xx');
    this.s.state = 'confirmed';
    if (this.pendingBye !== undefined) {
      this.s.bye(this.pendingBye);
      return true;
    }
    const body = bodyOf(ack);
    if (this.offeredIn === '2xx') {
      // §13.2.1: the ACK carries the answer to the offer in our 2xx.
      this.offeredIn = undefined;
      if (body !== undefined) this.s.remote = body;
    }
    this.s.emit({ type: 'answered', remote: this.s.remote });
    return true;
  }

  reject(status: number, reason: string | undefined, headers: HeaderLines): void {
    if (this.final) return;
    if (status < 300 || status > 699) throw new Error(`reject() takes 300-699, not ${status}`);
    this.final = true;
    this.send(status, reason, headers, undefined);
    this.s.end('rejected', status, reason ?? 'rejected');
  }

  /** §9.2: the caller cancelled: 487 for the INVITE (the CANCEL got its 200). */
  cancelled(reason: string | undefined): void {
    if (this.final) return;
    this.final = true;
    this.send(487, undefined, [], undefined);
    this.s.end('remote-cancelled', 487, reason ?? 'the caller cancelled');
  }

  /** §15: a BYE in the early dialog ends the INVITE with 487. */
  byeBeforeAnswer(): void {
    if (!this.final) {
      this.final = true;
      this.send(487, undefined, [], undefined);
    }
  }
}
