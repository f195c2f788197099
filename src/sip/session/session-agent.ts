// The INVITE-session user agent on a SipStack: places calls, takes incoming INVITEs (with
// Replaces, RFC 3891 §3), routes in-dialog requests, CANCELs and ACKs to their sessions,
// refuses out-of-dialog REFER (RFC 3515 §2.4.2 leaves it to policy: 403).
import type { TransportKind } from '../../net/index.js';
import type { Dialog } from '../dialog/index.js';
import { HeaderId, parseUri, type SipMessage } from '../message/index.js';
import type { DigestClient } from '../auth/index.js';
import type { TimerConfig } from '../transaction/index.js';
import type { ArrivalInfo } from '../transport/index.js';
import { contactUri, type IncomingRequest, type SipStack, type UaCapabilities } from '../ua/index.js';
import { InviteSession } from './invite-session.js';
import { defaultLocate, RequestSender, type Locate } from './request-sender.js';
import type { SessionContext } from './session-context.js';
import { defaultSessionTimer } from './session-timer.js';
import type { OfferAnswerHooks, OutgoingCallOptions, PrackMode, SessionTimerConfig } from './session-types.js';
import { DTMF, DTMF_RELAY } from './dtmf-info.js';
import { SIPFRAG } from './sipfrag.js';
import { newCallId } from './uac-invite.js';

/** Methods and bodies a stack carrying sessions must let through (pass as SipStackOptions.capabilities). */
export const sessionCapabilities: Readonly<UaCapabilities> = Object.freeze({
  allow: ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'PRACK', 'UPDATE', 'INFO', 'REFER', 'NOTIFY'],
  accept: ['application/sdp', DTMF_RELAY, DTMF, SIPFRAG],
  supported: ['100rel', 'timer', 'replaces', 'outbound', 'gruu', 'path'],
});

export interface SessionAgentOptions {
  stack: SipStack;
  /** Our From value without tag, e.g. `"Alice" <sip:alice@example.com>`. */
  identity: string;
  /** User part of our Contact (default: none). */
  contactUser?: string;
  /** Our Contact header value per transport (GRUU, outbound); default from the stack's listeners. */
  contact?: (kind: TransportKind) => string;
  /** Credentials for 401/407 (only configured realms are answered). */
  digest?: DigestClient;
  /** Where requests for a URI go, targets in order (default: numeric hosts directly, names by RFC 3263). */
  locate?: Locate;
  /** Outbound proxy: first Route of out-of-dialog requests (§8.1.2), e.g. `sip:proxy.example.com;lr`. */
  outboundProxy?: string;
  /** RFC 3262 use: `supported` (default) offers it, `required` asks for it, `off` never. */
  prack?: PrackMode;
  /** RFC 4028 session timers; false turns them off. */
  sessionTimer?: SessionTimerConfig | false;
  timers?: TimerConfig;
  /** [0, 1) for glare back-off and Retry-After (tests fix it). */
  random?: () => number;
  /** Several agents on one stack (accounts): an agent takes only the new INVITEs this says are its own. */
  accepts?: (request: SipMessage) => boolean;
}

export interface IncomingCall {
  session: InviteSession;
  request: SipMessage;
  /** Where the INVITE came from (transport, source address and port): for the phone's scanner defense. */
  arrival: ArrivalInfo;
  /** The session an INVITE with Replaces takes over (already matched per RFC 3891 §3). */
  replaces: InviteSession | undefined;
}

export class SessionAgent {
  private readonly sessions = new Set<InviteSession>();
  private readonly byDialog = new Map<string, InviteSession>();
  /** UAS sessions by their INVITE's server transaction id, for CANCEL (§9.2). */
  private readonly byInvite = new Map<string, InviteSession>();
  private readonly incomingListeners = new Set<(call: IncomingCall) => void>();
  private readonly ctx: SessionContext;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(readonly options: SessionAgentOptions) {
    const stack = options.stack;
    const sender = new RequestSender({ stack, locate: options.locate ?? defaultLocate, digest: options.digest, timers: options.timers });
    let outboundRoute: SessionContext['outboundRoute'];
    if (options.outboundProxy !== undefined) {
      const r = parseUri(options.outboundProxy);
      if (!r.ok) throw new Error(`bad outbound proxy: ${r.error}`);
      outboundRoute = { value: `<${options.outboundProxy}>`, uri: r.value };
    }
    const caps = stack.capabilities;
    this.ctx = {
      stack,
      sender,
      identity: options.identity,
      prack: options.prack ?? 'supported',
      sessionTimer: options.sessionTimer === false ? undefined : (options.sessionTimer ?? defaultSessionTimer),
      outboundRoute,
      allow: caps.allow.join(', '),
      supported: caps.supported.filter((t) => (t === '100rel' ? options.prack !== 'off' : t === 'timer' ? options.sessionTimer !== false : true)).join(', '),
      random: options.random ?? Math.random,
      contact: options.contact ?? ((kind) => {
        const local = stack.localAddress(kind);
        return `<${contactUri(options.contactUser, local.host, local.port, kind)}>`;
      }),
      bind: (dialog, owner) => {
        stack.dialogs.add(dialog);
        this.byDialog.set(dialog.key, owner as InviteSession);
      },
      unbind: (dialog) => this.unbind(dialog),
      ended: (owner) => this.forget(owner as InviteSession),
    };
    this.unsubscribe.push(stack.onRequest((incoming) => this.onRequest(incoming)));
    // §13.3.1.4: the ACK of a 2xx matches no transaction; the stack hands it over with its dialog.
    this.unsubscribe.push(stack.onAck((ack, dialog) => {
      const session = dialog === undefined ? undefined : this.byDialog.get(dialog.key);
      session?.receiveAck(ack);
    }));
  }

  /** Live sessions. */
  get active(): InviteSession[] {
    return [...this.sessions];
  }

  onIncoming(listener: (call: IncomingCall) => void): () => void {
    this.incomingListeners.add(listener);
    return () => this.incomingListeners.delete(listener);
  }

  /** Places a call; events tell how it goes. */
  call(options: OutgoingCallOptions & { hooks?: OfferAnswerHooks }): InviteSession {
    const host = this.ctx.stack.localAddress('udp').host;
    const init: { outgoing: OutgoingCallOptions; hooks?: OfferAnswerHooks } = { outgoing: options };
    if (options.hooks) init.hooks = options.hooks;
    const session = new InviteSession('uac', newCallId(host), this.ctx, init);
    this.sessions.add(session);
    session.start();
    return session;
  }

  /** Stops listening (sessions are left as they are). */
  close(): void {
    for (const u of this.unsubscribe.splice(0)) u();
  }

  private unbind(dialog: Dialog): void {
    this.ctx.stack.dialogs.remove(dialog);
    if (this.byDialog.get(dialog.key) !== undefined) {
      const owner = this.byDialog.get(dialog.key)!;
      this.byDialog.delete(dialog.key);
      if (owner.state === 'terminated') this.forget(owner);
    }
  }

  private forget(session: InviteSession): void {
    for (const [k, s] of this.byInvite) if (s === session) this.byInvite.delete(k);
    // Kept while one of its dialogs is still bound (a BYE in flight).
    if ([...this.byDialog.values()].includes(session)) return;
    this.sessions.delete(session);
  }

  private onRequest(incoming: IncomingRequest): boolean {
    const req = incoming.request;
    if (incoming.dialog !== undefined) {
      const session = this.byDialog.get(incoming.dialog.key);
      if (session === undefined) return false;
      session.receive(incoming);
      return true;
    }
    switch (req.method) {
      case 'INVITE':
        if (this.options.accepts !== undefined && !this.options.accepts(req)) return false;
        this.onInvite(incoming);
        return true;
      case 'CANCEL': {
        const session = incoming.cancels === undefined ? undefined : this.byInvite.get(incoming.cancels.id);
        if (session === undefined) return false;
        session.receiveCancel(incoming);
        return true;
      }
      case 'REFER':
        // RFC 3515 §2.4.2: an out-of-dialog REFER is refused by policy.
        this.ctx.stack.respond(incoming, 403, 'Out-of-dialog REFER not accepted');
        return true;
      case 'PRACK':
      case 'UPDATE':
      case 'INFO':
        // In-dialog methods without a dialog (§12.2.2).
        this.ctx.stack.respond(incoming, 481);
        return true;
      default:
        return false;
    }
  }

  private onInvite(incoming: IncomingRequest): void {
    const req = incoming.request;
    let replaced: InviteSession | undefined;
    if (req.has(HeaderId.Replaces)) {
      const r = this.matchReplaces(req);
      if (typeof r === 'number') {
        this.ctx.stack.respond(incoming, r);
        return;
      }
      replaced = r;
    }
    // RFC 4028 §8.1 / §9: a Session-Expires below our Min-SE is refused before anyone rings.
    const se = req.get(HeaderId.SessionExpires);
    const minSE = Math.max(90, this.ctx.sessionTimer?.minSE ?? 90);
    if (this.ctx.sessionTimer !== undefined && se !== undefined && se.seconds < minSE) {
      this.ctx.stack.respond(incoming, 422, undefined, [['Min-SE', String(minSE)]]);
      return;
    }
    if (this.incomingListeners.size === 0) {
      this.ctx.stack.respond(incoming, 480);
      return;
    }
    // The stack gives every response of this INVITE the same To tag: the dialog's local tag (§12.1.1).
    const session = new InviteSession('uas', req.callId, this.ctx, { incoming, localTag: incoming.localTag });
    session.replaces = replaced;
    this.sessions.add(session);
    this.byInvite.set(incoming.transaction.id, session);
    if (replaced !== undefined) {
      replaced.emit({ type: 'replaced', by: session });
      // RFC 3891 §3: once the new dialog is up, the replaced one ends (BYE, or CANCEL if still early).
      const off = session.on((e) => {
        if (e.type === 'answered') replaced.endReplaced();
        if (e.type === 'answered' || e.type === 'ended') off();
      });
    }
    for (const l of [...this.incomingListeners]) l({ session, request: req, arrival: incoming.arrival, replaces: replaced });
  }

  /**
   * RFC 3891 §3: the dialog named by Replaces (our local tag = to-tag). No match → 481; an
   * early dialog we did not start → 481; early-only and confirmed → 486; ended → 603.
   */
  private matchReplaces(req: SipMessage): InviteSession | number {
    const r = req.get(HeaderId.Replaces);
    if (r === undefined) return 400;
    for (const s of this.sessions) {
      const d = s.dialog;
      if (d === undefined || d.id.callId !== r.callId || d.id.localTag !== r.toTag || d.id.remoteTag !== r.fromTag) continue;
      if (s.state === 'terminated') return 603;
      if (s.state === 'early' || s.state === 'calling' || s.state === 'incoming') return s.role === 'uac' ? s : 481;
      if (r.earlyOnly) return 486;
      return s;
    }
    return 481;
  }
}
