// One INVITE session (RFC 3261 §13-15) in either role: its dialog, state, events and the
// requests within it. The initial INVITE is handled by UacInvite / UasInvite, in-dialog
// offers by OfferExchange, REFER/NOTIFY by Referral, RFC 4028 by SessionTimer.
import { randomToken } from '../../util/index.js';
import type { Dialog } from '../dialog/index.js';
import { HeaderId, type HeaderLines, type SipMessage } from '../message/index.js';
import type { IncomingRequest } from '../ua/index.js';
import { DTMF, DTMF_RELAY, dtmfOfInfo, formatDtmf, formatDtmfRelay } from './dtmf-info.js';
import type { EndReason } from './end-reasons.js';
import { OfferExchange } from './offer-exchange.js';
import { Referral } from './refer.js';
import { dialogNextHop, SessionTimers, type SessionContext } from './session-context.js';
import { SessionTimer } from './session-timer.js';
import type {
  InviteSessionLike, OfferAnswerHooks, OutgoingCallOptions, SessionBody, SessionEvent, SessionRole, SessionState,
} from './session-types.js';
import { UacInvite } from './uac-invite.js';
import { UasInvite, type ProgressOptions, type AcceptOptions } from './uas-invite.js';

/** The body of a message as a SessionBody, when it has one. */
export function bodyOf(m: SipMessage): SessionBody | undefined {
  if (m.body.length === 0) return undefined;
  const t = m.get(HeaderId.ContentType);
  return { contentType: t === undefined ? 'application/sdp' : `${t.type}/${t.subtype}`, body: Buffer.from(m.body) };
}

export type FinalResponse = (status: number, reason: string | undefined, headers: HeaderLines, body: SessionBody | undefined) => void;

export class InviteSession implements InviteSessionLike {
  state: SessionState;
  /** The confirmed (or, for a UAS, early) dialog. */
  dialog: Dialog | undefined;
  hooks: OfferAnswerHooks | undefined;
  /** Our and the peer's current session descriptions. */
  local: SessionBody | undefined;
  remote: SessionBody | undefined;
  /** Methods the peer allows (Allow of its INVITE or 2xx). */
  peerAllow: string[] = [];
  /** UAS: the session this one replaces (INVITE with Replaces, RFC 3891). */
  replaces: InviteSession | undefined;
  readonly localTag: string;
  /** @internal */ readonly timers: SessionTimers;
  /** @internal */ readonly sessionTimer: SessionTimer;
  /** @internal */ readonly offers: OfferExchange;
  /** @internal */ readonly referral: Referral;
  private readonly uac: UacInvite | undefined;
  private readonly uas: UasInvite | undefined;
  private readonly listeners = new Set<(e: SessionEvent) => void>();
  private readonly byeInFlight = new Set<Dialog>();
  private readonly bound = new Set<Dialog>();

  /** @internal the agent makes sessions: `SessionAgent.call` and incoming INVITEs. */
  constructor(
    readonly role: SessionRole,
    readonly callId: string,
    /** @internal */ readonly ctx: SessionContext,
    init: { outgoing: OutgoingCallOptions; hooks?: OfferAnswerHooks } | { incoming: IncomingRequest; localTag: string },
  ) {
    this.timers = new SessionTimers(ctx.stack.clock);
    this.sessionTimer = new SessionTimer(ctx.sessionTimer, ctx.stack.clock, {
      refresh: () => this.offers.refresh(),
      expire: () => {
        if (this.dialog) this.hangup(this.dialog, [['Reason', 'SIP;cause=408;text="Session expired"']]);
        this.end('session-expired', undefined, 'session interval expired');
      },
      changed: (intervalS, weRefresh) => this.emit({ type: 'session-timer', intervalS, weRefresh }),
    });
    this.offers = new OfferExchange(this, ctx);
    this.referral = new Referral(this, ctx);
    if ('outgoing' in init) {
      this.state = 'calling';
      this.localTag = randomToken(10);
      this.hooks = init.hooks;
      this.local = init.outgoing.offer;
      this.uac = new UacInvite(this, ctx, init.outgoing);
    } else {
      this.state = 'incoming';
      this.localTag = init.localTag;
      this.uas = new UasInvite(this, ctx, init.incoming);
    }
  }

  /** The INVITE that started the session (UAS: as received; UAC: the last one sent). */
  get request(): SipMessage | undefined {
    return this.uas?.request ?? this.uac?.invite;
  }

  on(listener: (e: SessionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** @internal */
  hasListeners(): boolean {
    return this.listeners.size > 0;
  }

  /** @internal */
  emit(e: SessionEvent): void {
    for (const l of [...this.listeners]) l(e);
  }

  /** @internal */
  start(): void {
    this.uac?.start();
  }

  // --- the phone's commands --------------------------------------------------------------

  /** UAS: a provisional response (180 by default; 183 with `body` for early media). */
  progress(status = 180, options: ProgressOptions = {}): void {
    this.requireUas('progress').progress(status, options);
  }

  /** UAS: 200 with our answer (or offer, when the INVITE had none). */
  accept(options: AcceptOptions = {}): void {
    this.requireUas('accept').accept(options);
  }

  /** UAS: a final refusal (486 by default; 3xx with a Contact header for forwarding). */
  reject(status = 486, options: { reason?: string; headers?: HeaderLines } = {}): void {
    this.requireUas('reject').reject(status, options.reason, options.headers ?? []);
  }

  /** UAC: CANCEL the INVITE (§9.1); a 2xx that crosses it is ACKed and hung up. */
  cancel(): void {
    if (this.uac === undefined) throw new Error('cancel() is for outgoing sessions');
    if (this.state === 'calling' || this.state === 'early') this.uac.cancel();
  }

  /** Ends the session whatever its state: CANCEL, 480/603 reject, or BYE. */
  terminate(): void {
    if (this.state === 'terminated') return;
    if (this.role === 'uac' && (this.state === 'calling' || this.state === 'early')) return this.cancel();
    if (this.role === 'uas' && (this.state === 'incoming' || this.state === 'early')) return this.reject(603);
    this.bye();
  }

  /** BYE (§15.1); the session ends at once (`local-bye`). */
  bye(headers: HeaderLines = []): void {
    if (this.state !== 'confirmed' && this.state !== 'accepted') throw new Error(`bye() in state ${this.state}`);
    // §15: the callee sends no BYE before the ACK of its 2xx (or the give-up): it goes when the ACK comes.
    if (this.state === 'accepted' && this.uas !== undefined) return this.uas.deferBye(headers);
    if (this.dialog) this.hangup(this.dialog, headers);
    this.end('local-bye', undefined, 'hung up');
  }

  /** re-INVITE (§14.1) with a new offer, or offerless (the 2xx offers, the ACK answers). False while another offer is pending. */
  reinvite(options: { body?: SessionBody; headers?: HeaderLines } = {}): boolean {
    return this.offers.send('INVITE', options.body, options.headers ?? []);
  }

  /** UPDATE (RFC 3311) with an offer, or without body as a session refresh. */
  update(options: { body?: SessionBody; headers?: HeaderLines } = {}): boolean {
    return this.offers.send('UPDATE', options.body, options.headers ?? []);
  }

  /** INFO (RFC 6086) in the dialog. */
  info(contentType: string, body: Buffer | string, headers: HeaderLines = []): void {
    const dialog = this.requireDialog('info');
    this.sendInDialog(dialog, 'INFO', headers, { contentType, body: Buffer.from(body) }, () => undefined);
  }

  /** A key (0-9 * # A-D) or `hf` (hook flash) by INFO, as application/dtmf-relay or application/dtmf. */
  sendDtmfInfo(signal: string, options: { durationMs?: number; type?: 'dtmf-relay' | 'dtmf' } = {}): void {
    if (options.type === 'dtmf') this.info(DTMF, formatDtmf(signal));
    else this.info(DTMF_RELAY, formatDtmfRelay(signal, options.durationMs));
  }

  /** @internal RFC 3891 §3: an INVITE with Replaces took over and is answered. */
  endReplaced(): void {
    if (this.state === 'terminated') return;
    // (Early dialogs the peer started are never matched: 481, RFC 3891 §3.)
    if (this.role === 'uac' && (this.state === 'calling' || this.state === 'early')) this.uac?.cancel();
    else if (this.dialog) this.hangup(this.dialog, [['Reason', 'SIP;cause=200;text="Call replaced"']]);
    this.end('replaced', undefined, 'replaced by another call (RFC 3891)');
  }

  /** REFER (RFC 3515): blind transfer to `target`, or attended with `replaces` (RFC 3891). */
  refer(target: string, options: { replaces?: InviteSession; headers?: HeaderLines } = {}): void {
    this.referral.send(target, options.replaces, options.headers ?? []);
  }

  /** The Replaces value naming this session's dialog at the peer (RFC 3891 §6.1). */
  replacesValue(): string {
    const d = this.requireDialog('replacesValue');
    return `${d.id.callId};to-tag=${d.id.remoteTag};from-tag=${d.id.localTag}`;
  }

  // --- from the agent --------------------------------------------------------------------

  /** @internal an in-dialog request (or PRACK/UPDATE in an early dialog). */
  receive(incoming: IncomingRequest): void {
    const req = incoming.request;
    if (this.state === 'terminated') return this.respond(incoming, 481);
    switch (req.method) {
      case 'BYE':
        this.respond(incoming, 200);
        this.uas?.byeBeforeAnswer();
        return this.end('remote-bye', undefined, req.header(HeaderId.Reason) ?? 'the peer hung up');
      case 'INVITE':
        return this.offers.receive(incoming);
      case 'UPDATE':
        return this.offers.receive(incoming);
      case 'PRACK':
        return this.uas ? this.uas.receivePrack(incoming) : this.respond(incoming, 481);
      case 'INFO':
        return this.receiveInfo(incoming);
      case 'REFER':
        return this.referral.receiveRefer(incoming);
      case 'NOTIFY':
        return this.referral.receiveNotify(incoming);
      default:
        return this.respond(incoming, 405, undefined, [['Allow', this.ctx.allow]]);
    }
  }

  /** @internal */
  receiveAck(ack: SipMessage): void {
    if (this.uas?.receiveAck(ack)) return;
    this.offers.receiveAck(ack);
  }

  /** @internal a CANCEL for our INVITE server transaction. */
  receiveCancel(incoming: IncomingRequest): void {
    this.respond(incoming, 200);
    // RFC 3326: e.g. `SIP;cause=200;text="Call completed elsewhere"` tells a missed call from one taken elsewhere.
    this.uas?.cancelled(incoming.request.header(HeaderId.Reason));
  }

  private receiveInfo(incoming: IncomingRequest): void {
    const body = bodyOf(incoming.request);
    this.respond(incoming, 200);
    const type = body?.contentType.toLowerCase() ?? '';
    this.emit({ type: 'info', contentType: type, body: body?.body ?? Buffer.alloc(0), request: incoming.request });
    const dtmf = body === undefined ? undefined : dtmfOfInfo(type, body.body);
    if (dtmf !== undefined) this.emit({ type: 'dtmf-info', dtmf });
  }

  // --- internals the helpers share ---------------------------------------------------------

  /** @internal answers a peer offer through the hooks; undefined when refused or no hooks. */
  answer(offer: SessionBody): SessionBody | undefined {
    const a = this.hooks?.answerOffer(offer);
    if (a !== undefined) {
      this.remote = offer;
      this.local = a;
    }
    return a;
  }

  /** @internal */
  respond(incoming: IncomingRequest, status: number, reason?: string, headers: HeaderLines = [], body?: SessionBody): void {
    const lines = body ? [...headers, ['Content-Type', body.contentType] as const] : headers;
    this.ctx.stack.respond(incoming, status, reason, lines, body?.body);
  }

  /** @internal a request in `dialog` (CSeq + 1, route set), with digest retries. */
  sendInDialog(dialog: Dialog, method: string, headers: HeaderLines, body: SessionBody | undefined, done: (res: SipMessage | undefined) => void): void {
    const refresh = method === 'INVITE' || method === 'UPDATE' || method === 'REFER' || method === 'NOTIFY' || method === 'SUBSCRIBE';
    this.ctx.sender.send(dialogNextHop(dialog), (auth, kind) => {
      const lines: Array<readonly [string, string]> = [];
      if (refresh) lines.push(['Contact', this.ctx.contact(kind)]);
      lines.push(...headers, ...auth);
      if (body) lines.push(['Content-Type', body.contentType]);
      const init: Parameters<Dialog['createRequest']>[0] = { method, via: 'SIP/2.0/UDP invalid;branch=z9hG4bKplaceholder', headers: lines };
      if (body) init.body = body.body;
      return dialog.createRequest(init);
    }, {
      response: (res) => {
        if (res.status < 200) return; // 1xx to an in-dialog request: nothing to do (no early media mid-call)
        // §12.2.1.2: a 2xx to a target refresh replaces the remote target.
        dialog.receiveResponse(method, res);
        done(res);
      },
      failed: () => done(undefined),
    });
  }

  /** @internal BYE in `dialog`; the dialog leaves the table when the BYE is answered. */
  hangup(dialog: Dialog, headers: HeaderLines = []): void {
    if (dialog.state === 'terminated' || this.byeInFlight.has(dialog)) return;
    this.byeInFlight.add(dialog);
    this.sendInDialog(dialog, 'BYE', headers, undefined, () => {
      this.byeInFlight.delete(dialog);
      this.ctx.unbind(dialog);
    });
  }

  /** @internal */
  bind(dialog: Dialog): void {
    this.bound.add(dialog);
    this.ctx.bind(dialog, this);
  }

  /** @internal ends the session once: timers stop, dialogs leave the table (unless a BYE is in flight). */
  end(reason: EndReason, status: number | undefined, text: string, targets: string[] = []): void {
    if (this.state === 'terminated') return;
    this.state = 'terminated';
    this.timers.clearAll();
    this.sessionTimer.stop();
    this.uac?.dispose();
    for (const d of this.bound) if (!this.byeInFlight.has(d)) this.ctx.unbind(d);
    this.ctx.ended(this);
    this.emit({ type: 'ended', reason, status, text, targets });
  }

  private requireUas(what: string): UasInvite {
    if (this.uas === undefined) throw new Error(`${what}() is for incoming sessions`);
    return this.uas;
  }

  private requireDialog(what: string): Dialog {
    if (this.dialog === undefined || this.state === 'terminated') throw new Error(`${what}() needs an established dialog`);
    return this.dialog;
  }
}
