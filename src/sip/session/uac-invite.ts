// The UAC side of the initial INVITE (RFC 3261 §13.2): early dialogs and forking, early media,
// reliable provisionals and PRACK (RFC 3262 §4), the 2xx and its ACK, retransmitted 2xx,
// 2xx from other forks (ACK + BYE, §13.2.2.4), CANCEL and its race with a 2xx (§9.1),
// redirects and failures, 422 (RFC 4028 §7.4).
import { randomToken } from '../../util/index.js';
import type { Destination } from '../../net/index.js';
import { Dialog } from '../dialog/index.js';
import { HeaderId, createRequest, isSipUri, parseUri, uriParam, type HeaderLines, type SipMessage, type Uri } from '../message/index.js';
import type { ClientRequest } from '../ua/index.js';
import { reasonForStatus } from './end-reasons.js';
import { dialogNextHop, type SessionContext } from './session-context.js';
import type { OutgoingCallOptions, SessionBody } from './session-types.js';
import { bodyOf, type InviteSession } from './invite-session.js';

const PLACEHOLDER_VIA = 'SIP/2.0/UDP invalid;branch=z9hG4bKplaceholder';

export class UacInvite {
  private cseq = 1;
  private sent: ClientRequest | undefined;
  private provisional = false;
  private final = false;
  private cancelWanted = false;
  private cancelSent = false;
  private readonly early = new Map<string, { dialog: Dialog; rseq: number | undefined; media: Buffer | undefined }>();
  private confirmedTag: string | undefined;
  private ack: { message: SipMessage; destination: Destination } | undefined;
  private retried422 = 0;
  private readonly target: string;
  /** Where the INVITE went (the outbound proxy, or the target). */
  private nextHop: Uri | undefined;
  readonly offer: SessionBody | undefined;

  constructor(private readonly s: InviteSession, private readonly ctx: SessionContext, private readonly o: OutgoingCallOptions) {
    this.target = o.target;
    this.offer = o.offer;
  }

  /** The last INVITE sent (after the stack added its Via). */
  get invite(): SipMessage | undefined {
    return this.sent?.request;
  }

  start(): void {
    const uri = parseUri(this.target);
    if (!uri.ok) return this.s.end('failed', undefined, `bad target: ${uri.error}`);
    const nextHop = this.ctx.outboundRoute?.uri ?? uri.value;
    this.nextHop = nextHop;
    this.ctx.sender.send(nextHop, (auth, kind) => this.build(auth, kind), {
      response: (res) => this.onResponse(res),
      failed: (why, detail) => {
        if (this.final) return;
        this.final = true;
        this.s.end(this.noAnswer ? 'no-answer' : this.cancelWanted ? 'cancelled' : why, undefined, detail);
      },
    }, (sent) => {
      this.sent = sent;
      if (this.cancelWanted && this.provisional) this.sendCancel();
    });
    if (this.o.noAnswerTimeoutMs !== undefined) {
      this.s.timers.set('no-answer', this.o.noAnswerTimeoutMs, () => {
        if (!this.final) {
          this.noAnswer = true;
          this.cancel();
        }
      });
    }
  }

  private noAnswer = false;

  /** The INVITE (§8.1.1, §13.2.1); each attempt (auth, 422) takes the next CSeq (§8.1.3.5). */
  private build(auth: HeaderLines, kind: Destination['transport']): SipMessage {
    const h: Array<readonly [string, string]> = [['Via', PLACEHOLDER_VIA]];
    if (this.ctx.outboundRoute) h.push(['Route', this.ctx.outboundRoute.value]);
    h.push(
      ['Max-Forwards', '70'],
      ['From', `${this.ctx.identity};tag=${this.s.localTag}`],
      ['To', `<${this.target}>`],
      ['Call-ID', this.s.callId],
      ['CSeq', `${this.cseq++} INVITE`],
      ['Contact', this.ctx.contact(kind)],
      ['Allow', this.ctx.allow],
      ['Supported', this.ctx.supported],
    );
    if (this.ctx.prack === 'required') h.push(['Require', '100rel']);
    h.push(...this.s.sessionTimer.requestHeaders(false));
    if (this.o.replaces !== undefined) h.push(['Replaces', this.o.replaces]);
    if (this.o.referredBy !== undefined) h.push(['Referred-By', this.o.referredBy]);
    h.push(...(this.o.headers ?? []), ...auth);
    if (this.offer) h.push(['Content-Type', this.offer.contentType]);
    const init: Parameters<typeof createRequest>[0] = { method: 'INVITE', uri: this.target, headers: h };
    if (this.offer) init.body = this.offer.body;
    return createRequest(init);
  }

  /** §9.1: CANCEL once a provisional response came; before that it waits. */
  cancel(): void {
    if (this.final || this.cancelWanted) return;
    this.cancelWanted = true;
    if (this.provisional && this.sent) this.sendCancel();
  }

  private sendCancel(): void {
    if (this.cancelSent || this.sent === undefined) return;
    this.cancelSent = true;
    this.ctx.sender.sendCancel(this.sent);
    // §9.1: no final response 64*T1 after the CANCEL: the INVITE transaction is given up.
    this.s.timers.set('cancel-limit', 64 * this.ctx.sender.timers.t1, () => {
      if (this.final) return;
      this.final = true;
      this.s.end(this.noAnswer ? 'no-answer' : 'cancelled', undefined, 'no answer to CANCEL');
    });
  }

  private onResponse(res: SipMessage): void {
    if (res.status < 200) return this.onProvisional(res);
    if (res.status < 300) return this.on2xx(res);
    if (this.final) return;
    if (res.status === 422 && this.retried422 < 2 && this.s.sessionTimer.on422(res)) {
      // RFC 4028 §7.4: retry with a Session-Expires at least the peer's Min-SE.
      this.retried422++;
      return this.start();
    }
    this.final = true;
    this.dropEarly();
    if (this.cancelWanted && res.status === 487) return this.s.end(this.noAnswer ? 'no-answer' : 'cancelled', 487, res.reason);
    this.s.end(reasonForStatus(res.status), res.status, res.reason, res.status < 400 ? redirectTargets(res) : []);
  }

  private onProvisional(res: SipMessage): void {
    if (this.final) return;
    this.provisional = true;
    if (this.cancelWanted) this.sendCancel();
    if (res.status === 100) return;
    const tag = res.toTag;
    let entry = tag === undefined ? undefined : this.early.get(tag);
    if (tag !== undefined && entry === undefined && this.sent) {
      const dialog = Dialog.fromUacResponse(this.sent.request, res);
      if (dialog !== undefined) {
        entry = { dialog, rseq: undefined, media: undefined };
        this.early.set(tag, entry);
        this.s.bind(dialog);
        // The first early dialog is the session's until a 2xx picks one (UPDATE, Replaces in early state).
        this.s.dialog ??= dialog;
      }
    } else entry?.dialog.updateFromResponse(res);
    if (entry !== undefined && this.s.state === 'calling') this.s.state = 'early';
    const rseq = res.get(HeaderId.RSeq);
    const reliable = rseq !== undefined && (res.get(HeaderId.Require) ?? []).some((t) => t.toLowerCase() === '100rel');
    if (reliable && entry !== undefined) {
      // RFC 3262 §4: a retransmission (RSeq not above the last) is not passed on again.
      if (entry.rseq !== undefined && rseq <= entry.rseq) return;
      entry.rseq = rseq;
    }
    const body = bodyOf(res);
    let prackBody: SessionBody | undefined;
    // A repeated 1xx with the same SDP (retransmission) is not new early media.
    if (body !== undefined && tag !== undefined && entry !== undefined && (entry.media === undefined || !entry.media.equals(body.body))) {
      entry.media = body.body;
      if (this.offer === undefined && reliable) {
        // RFC 3262 §5: an offer in a reliable 1xx to an offerless INVITE; the PRACK answers.
        prackBody = this.s.answer(body);
      }
      this.s.remote = body;
      this.s.emit({ type: 'early-media', body, toTag: tag });
    }
    if (reliable && entry !== undefined) this.sendPrack(entry.dialog, rseq!, res.cseq, prackBody);
    this.s.emit({ type: 'progress', status: res.status, reason: res.reason, toTag: tag, response: res });
  }

  /** RFC 3262 §7.1: PRACK in the early dialog, RAck = RSeq, CSeq number and method of the INVITE. */
  private sendPrack(dialog: Dialog, rseq: number, inviteCseq: number, body: SessionBody | undefined): void {
    const headers: HeaderLines = [['RAck', `${rseq} ${inviteCseq} INVITE`]];
    this.s.sendInDialog(dialog, 'PRACK', headers, body, () => undefined);
  }

  private on2xx(res: SipMessage): void {
    const tag = res.toTag ?? '';
    if (this.confirmedTag === tag && this.ack !== undefined) {
      // §13.2.2.4: a retransmitted 2xx gets the same ACK again.
      this.ctx.sender.resend(this.ack.message, this.ack.destination);
      return;
    }
    if (this.sent === undefined) return;
    const held = this.early.get(tag)?.dialog;
    // An early dialog dropped when another fork won is made again from its 2xx.
    const known = held?.state === 'terminated' ? undefined : held;
    const dialog = known ?? Dialog.fromUacResponse(this.sent.request, res);
    if (dialog === undefined) {
      // §13.2.2.4 needs the 2xx's Contact for the ACK: without it no dialog can be made.
      if (!this.final) {
        this.final = true;
        this.dropEarly();
        this.s.end('failed', res.status, '2xx without Contact or To tag');
      }
      return;
    }
    dialog.updateFromResponse(res);
    if (this.confirmedTag !== undefined || this.s.state === 'terminated') {
      // §13.2.2.4: a 2xx from another fork (or after we gave up): ACK it, then BYE it.
      if (known === undefined) this.s.bind(dialog);
      void this.sendAck(dialog, res.cseq, undefined).then(() => this.s.hangup(dialog));
      return;
    }
    this.final = true;
    this.confirmedTag = tag;
    if (known === undefined) this.s.bind(dialog);
    this.s.dialog = dialog;
    // Other early dialogs end with the INVITE transaction (§13.2.2.4 keeps only 2xx dialogs).
    for (const [t, e] of this.early) if (t !== tag) this.ctx.unbind(e.dialog);
    const remote = bodyOf(res);
    let ackBody: SessionBody | undefined;
    let refused = false;
    if (this.offer === undefined && remote !== undefined && this.s.local === undefined) {
      // §13.2.1 late offer: the 2xx offers, the ACK answers.
      ackBody = this.s.answer(remote);
      refused = ackBody === undefined;
    }
    if (remote !== undefined) this.s.remote = remote;
    this.s.peerAllow = res.get(HeaderId.Allow) ?? this.s.peerAllow;
    void this.sendAck(dialog, res.cseq, ackBody);
    if (this.cancelWanted || refused) {
      // §9.1 race: the 2xx crossed our CANCEL; the call is ACKed and hung up at once.
      this.s.hangup(dialog, refused ? [['Reason', 'SIP;cause=488;text="Not Acceptable Here"']] : []);
      this.s.end(refused ? 'codec-mismatch' : this.noAnswer ? 'no-answer' : 'cancelled', res.status, refused ? 'offer in 2xx not acceptable' : 'answered after CANCEL');
      return;
    }
    this.s.timers.clear('no-answer');
    this.s.state = 'confirmed';
    this.s.sessionTimer.onResponse(res);
    // The answer may have come in a reliable 1xx already (RFC 3262 §5).
    this.s.emit({ type: 'answered', remote: remote ?? this.s.remote });
  }

  private async sendAck(dialog: Dialog, cseq: number, body: SessionBody | undefined): Promise<void> {
    const build = (via: string): SipMessage => {
      const headers: HeaderLines = body ? [['Content-Type', body.contentType]] : [];
      const init: Parameters<Dialog['createRequest']>[0] = { method: 'ACK', via, cseq, headers };
      if (body) init.body = body.body;
      return dialog.createRequest(init);
    };
    const hop = dialogNextHop(dialog);
    const flow = this.sent !== undefined && this.nextHop !== undefined && sameHop(hop, this.nextHop) ? this.sent : undefined;
    // §13.2.2.4: the ACK goes to the dialog's next hop. When that is where the INVITE went (the
    // peer answered from the address we called, or the route set starts at our proxy) it takes
    // the INVITE's destination and flow at once: no location again, so it leaves before the
    // call is reported answered (and before a new process has compiled what that runs).
    const sent = flow !== undefined
      ? this.ctx.sender.sendStatelessTo(flowDestination(flow), build)
      : await this.ctx.sender.sendStateless(hop, build);
    if (dialog === this.s.dialog) this.ack = sent;
  }

  private dropEarly(): void {
    for (const e of this.early.values()) this.ctx.unbind(e.dialog);
    this.early.clear();
  }

  /** Stops everything (session end). */
  dispose(): void {
    this.final = true;
  }
}

/** The INVITE's destination, on its connection when it went on one (§18.1.1). */
function flowDestination(sent: ClientRequest): Destination {
  const d: Destination = { ...sent.destination };
  if (sent.flow?.connectionId !== undefined) d.connectionId = sent.flow.connectionId;
  return d;
}

/**
 * Two next hops that RFC 3263 locates alike: scheme, host, port, transport and maddr, a numeric
 * host's absent port and transport read as their defaults (§4.1, §4.2). Users do not matter.
 */
function sameHop(a: Uri, b: Uri): boolean {
  const key = (u: Uri): string | undefined => {
    if (!isSipUri(u)) return undefined;
    const numeric = u.hostKind !== 'domain';
    const t = uriParam(u, 'transport');
    const transport = typeof t === 'string' ? t.toLowerCase() : numeric ? (u.scheme === 'sips' ? 'tls' : 'udp') : '';
    const port = u.port ?? (numeric ? (transport === 'tls' || transport === 'wss' ? 5061 : 5060) : '');
    return `${u.scheme}|${u.host.toLowerCase()}|${port}|${transport}|${uriParam(u, 'maddr') ?? ''}`;
  };
  const ka = key(a);
  return ka !== undefined && ka === key(b);
}

/** §8.1.3.4: Contact URIs of a 3xx, highest q first. */
function redirectTargets(res: SipMessage): string[] {
  const list = res.get(HeaderId.Contact)?.contacts ?? [];
  return list.map((c, i) => ({ uri: c.uriText, q: c.q ?? 1, i })).sort((a, b) => b.q - a.q || a.i - b.i).map((c) => c.uri);
}

export const newCallId = (host: string): string => `${randomToken(20)}@${host}`;
