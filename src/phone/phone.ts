// The phone: one SIP stack with a session agent per account (account-lines.ts) and one for direct
// calls, the calls and their media, the incoming-call policy, history and typed events. Faces
// (CLI, UI, library) drive it through its methods or the command table (commands.ts).
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type { Clock } from '../util/index.js';
import { HeaderId, hostForUri, parseUri, type IncomingRequest, type RegistrationEvent, type SipStack } from '../sip/index.js';
import type { AudioCodec } from '../codecs/index.js';
import type { DatagramPort } from '../media/index.js';
import type { SrtpPolicy } from '../sdp/index.js';
import type { IncomingCall, InviteSession, PrackMode, SessionAgent, SessionAgentOptions, SessionEvent } from './sip-api.js';
import { CallMedia, type MediaSettings } from './call-media.js';
import { Call, type CallContext } from './call.js';
import type { Account, AccountSettings } from './account.js';
import { AccountLines, refuseByPolicy, type PhoneLine } from './account-lines.js';
import { nextRedirect, type RedirectTargets } from './redirect-targets.js';
import { CallHistory } from './call-history.js';
import { startRecording, stopRecording } from './recording.js';
import { followRefer, type ReferPolicy } from './transfer.js';
import { toneSource, type CallAudioSource } from './call-audio.js';
import type { DtmfMode } from './dtmf.js';
import { tonePlanFor, tonePlans } from '../media/index.js';

export interface PhoneOptions {
  stack: SipStack;
  clock: Clock;
  media: {
    /** Address written in SDP. */
    address: string;
    codecs: readonly AudioCodec[];
    srtp?: SrtpPolicy;
    telephoneEvent?: boolean;
    bindPort(address: string): Promise<DatagramPort>;
  };
  /** The default account (the first; calls with no account named use it). */
  account?: AccountSettings;
  /** More accounts, each registering on its own; `addAccount` adds more at run time. */
  accounts?: AccountSettings[];
  /** From for direct calls with no account (default sip:handset@<our address>). */
  identity?: string;
  /** Calls at once (default 2: one plus call waiting); more INVITEs get 486 (or busy forwarding). */
  maxLines?: number;
  /** End an active call after this long without RTP (default 30 s; 0 = never). */
  rtpTimeoutMs?: number;
  dtmfMode?: DtmfMode;
  referPolicy?: ReferPolicy;
  /** 3xx redirects followed per call (default 5). */
  maxRedirects?: number;
  /** Record every call from its start into this folder (two-channel WAV, one file per call). */
  recordDir?: string;
  /** Detect DTMF digits the peer sends as audio (reported as `dtmf` with via 'inband'). */
  inbandDtmf?: boolean;
  /** Tone plan region for ringback / call waiting (default 'us'). */
  toneRegion?: string;
  prack?: PrackMode;
  sessionTimer?: SessionAgentOptions['sessionTimer'];
  locate?: SessionAgentOptions['locate'];
  random?: () => number;
}

export interface PhoneEvents {
  /** Any new call, either direction. */
  call: [Call];
  /** An incoming call that rings (policy let it through). */
  incoming: [Call];
  /** A registration event of one account. */
  registration: [RegistrationEvent, Account];
  /** An account was added or removed (the accounts now). */
  accounts: [Account[]];
  /** An INVITE refused before ringing (scanner defense, DND, busy, forwarding); `account`: the account id it was for. */
  refused: [{ from: string; source: string; status: number; reason: string; account: string | undefined }];
  /** close() finished. */
  closed: [];
}

export interface DialOptions {
  /** Audio to send once the media is up. */
  source?: CallAudioSource;
  headers?: Array<readonly [string, string]>;
  /** RFC 3891 Replaces header value (attended transfer target side). */
  replaces?: string;
  referredBy?: string;
  noAnswerTimeoutMs?: number;
  /** The calling account (an Account, its id or its AOR); default: the default account, or a direct call when there is none. */
  account?: Account | string;
}

export class Phone extends EventEmitter<PhoneEvents> {
  readonly history: CallHistory;
  readonly calls: Call[] = [];
  readonly options: PhoneOptions;
  private readonly lines: AccountLines;
  /** The line each call runs on (its redirects, transfers and consultation calls stay there). */
  private readonly lineOf = new WeakMap<Call, PhoneLine>();
  private readonly redirectSets = new WeakMap<Call, RedirectTargets>();
  private readonly arrivals = new WeakMap<object, IncomingRequest['arrival']>();
  private readonly unsubscribe: Array<() => void> = [];
  private readonly callContext: CallContext;
  private started = false;

  constructor(options: PhoneOptions) {
    super();
    this.options = options;
    const stack = options.stack;
    this.history = new CallHistory(() => options.clock.now());
    // Registered before the agents so it sees INVITEs first: notes where they came from, picks
    // the account, refuses scanners before any session exists (no ring, no history row).
    this.unsubscribe.push(stack.onRequest((incoming) => this.guard(incoming)));
    const local = stack.localAddress('udp');
    const base: ConstructorParameters<typeof AccountLines>[0] = { stack, identity: options.identity ?? `<sip:handset@${hostForUri(local.host)}>` };
    if (options.prack) base.prack = options.prack;
    if (options.sessionTimer !== undefined) base.sessionTimer = options.sessionTimer;
    if (options.locate) base.locate = options.locate;
    if (options.random) base.random = options.random;
    this.lines = new AccountLines(base, (line, c) => void this.onIncoming(line, c));
    for (const a of [...(options.account ? [options.account] : []), ...(options.accounts ?? [])]) this.lines.add(a);
    this.callContext = {
      clock: options.clock,
      rtpTimeoutMs: options.rtpTimeoutMs ?? 30_000,
      redirect: (call, end) => this.followRedirect(call, end),
      referred: (call, refer) => followRefer(call, refer, options.referPolicy ?? 'accept', (target, replaces, referredBy) => {
        const o: DialOptions = {};
        if (replaces !== undefined) o.replaces = replaces;
        if (referredBy !== undefined) o.referredBy = referredBy;
        const account = this.lineOf.get(call)?.account;
        if (account !== undefined) o.account = account;
        return this.dial(target, o);
      }),
    };
  }

  /** The default account: the first one (undefined when there is none). */
  get account(): Account | undefined {
    return this.lines.default.account;
  }

  /** Every account, the default first. */
  get accounts(): Account[] {
    return this.lines.accounts;
  }

  /** The session agent of the default account (or of direct calls when there is no account). */
  get agent(): SessionAgent {
    return this.lines.default.agent;
  }

  /** Starts registration (of every account that has one). */
  start(): void {
    this.started = true;
    for (const a of this.accounts) this.register(a);
  }

  /**
   * Adds an account at run time: it gets its own agent (identity, credentials, outbound proxy)
   * and registers at once when the phone is started. Throws when the AOR or proxy is not a SIP
   * URI or the id is taken (check input first).
   */
  addAccount(settings: AccountSettings): Account {
    const account = this.lines.add(settings).account!;
    if (this.started) this.register(account);
    this.emit('accounts', this.accounts);
    return account;
  }

  /**
   * Removes an account (an Account, its id or its AOR): its calls are hung up, it unregisters,
   * its agent stops once its calls' BYE/CANCEL finished. Resolves false when there is no such account.
   */
  async removeAccount(account: Account | string): Promise<boolean> {
    const line = this.lines.find(account);
    if (line === undefined) return false;
    this.lines.remove(line);
    this.emit('accounts', this.accounts);
    for (const c of this.calls.filter((x) => this.lineOf.get(x) === line)) c.hangup();
    await this.drain([line]);
    await line.account!.stop();
    line.agent.close();
    return true;
  }

  private register(account: Account): void {
    account.register(this.options.stack, (e) => this.emit('registration', e, account));
  }

  get activeCalls(): Call[] {
    return this.calls.filter((c) => c.state !== 'ended');
  }

  /** The full target URI: `bob` → sip:bob@<account domain> (the named account, else the default); a URI as it is. */
  resolveTarget(target: string, account?: Account | string): string | undefined {
    if (/^sips?:/i.test(target)) return parseUri(target).ok ? target : undefined;
    const line = account === undefined ? this.lines.default : this.lines.find(account);
    const domain = line?.account?.aor.host;
    if (domain === undefined) return target.includes('@') && parseUri(`sip:${target}`).ok ? `sip:${target}` : undefined;
    const uri = target.includes('@') ? `sip:${target}` : `sip:${target}@${domain}`;
    return parseUri(uri).ok ? uri : undefined;
  }

  /**
   * Places a call from `o.account` (default: the default account; a direct call when the phone
   * has none). Resolves once the INVITE is on its way (the call's events tell the rest), or to an error text.
   */
  async dial(target: string, o: DialOptions = {}): Promise<Call | string> {
    const line = o.account === undefined ? this.lines.default : this.lines.find(o.account);
    if (line === undefined) return `no account "${typeof o.account === 'string' ? o.account : o.account!.id}"`;
    const uri = this.resolveTarget(target, line.account);
    if (uri === undefined) return `not a SIP address: "${target}"`;
    const media = await CallMedia.open(this.mediaSettings());
    const outgoing: Parameters<SessionAgent['call']>[0] = { target: uri, offer: media.createOffer(), hooks: media };
    if (o.headers) outgoing.headers = o.headers;
    if (o.replaces !== undefined) outgoing.replaces = o.replaces;
    if (o.referredBy !== undefined) outgoing.referredBy = o.referredBy;
    if (o.noAnswerTimeoutMs !== undefined) outgoing.noAnswerTimeoutMs = o.noAnswerTimeoutMs;
    const session = line.agent.call(outgoing);
    const call = new Call('outgoing', uri, session, this.callContext, line.account?.settings.aor);
    call.setMedia(media);
    if (o.source) call.play(o.source);
    this.adopt(call, line);
    return call;
  }

  /** The account a call belongs to (undefined: a direct call). */
  accountOf(call: Call): Account | undefined {
    return this.lineOf.get(call)?.account;
  }

  private mediaSettings(): MediaSettings {
    const m = this.options.media;
    const s: MediaSettings = { clock: this.options.clock, address: m.address, codecs: m.codecs, srtp: m.srtp ?? 'off', bindPort: m.bindPort };
    if (m.telephoneEvent !== undefined) s.telephoneEvent = m.telephoneEvent;
    return s;
  }

  private adopt(call: Call, line: PhoneLine): void {
    this.lineOf.set(call, line);
    if (this.options.inbandDtmf) call.pump.detectInband(true);
    const dir = this.options.recordDir;
    if (dir !== undefined) void startRecording(call, join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${call.id}.wav`));
    this.calls.push(call);
    this.history.track(call);
    call.once('ended', () => {
      // A recording ends with its call: the file is finished, not left for a crash to cut.
      if (call.pump.recorder) void stopRecording(call);
      const i = this.calls.indexOf(call);
      if (i >= 0) this.calls.splice(i, 1);
    });
    this.emit('call', call);
  }

  /** The next attempt after an unanswered one (redirect-targets.ts), on the call's line. */
  private followRedirect(call: Call, end: Extract<SessionEvent, { type: 'ended' }>): InviteSession | { reason: 'redirected' | 'redirect-loop'; text: string } | undefined {
    const next = nextRedirect(this.redirectSets, call, end, this.options.maxRedirects ?? 5);
    if (next === undefined || 'reason' in next) return next;
    const media = call.media!;
    return (this.lineOf.get(call) ?? this.lines.default).agent.call({ target: next.target, offer: media.createOffer(), hooks: media });
  }

  /** Picks the account of a new INVITE and applies its policy before anything rings. */
  private guard(incoming: IncomingRequest): boolean {
    const req = incoming.request;
    if (req.method !== 'INVITE' || incoming.dialog !== undefined) return false;
    const source = incoming.arrival.sourceAddress;
    this.arrivals.set(req, incoming.arrival);
    // An INVITE with Replaces belongs to the line of the call it replaces (RFC 3891 §3).
    const replaces = req.get(HeaderId.Replaces);
    const replaced = replaces === undefined ? undefined : this.calls.find((c) => c.session.callId === replaces.callId);
    const line = this.lines.attribute(req, source, replaced === undefined ? undefined : this.lineOf.get(replaced));
    const busy = this.activeCalls.length >= (this.options.maxLines ?? 2);
    const account = line.account;
    const refusal = refuseByPolicy(this.options.stack, incoming, account?.decide(req, source, busy), busy, (t) => this.resolveTarget(t, account) ?? t);
    if (refusal === undefined) return false;
    this.emit('refused', { from: fromOf(req), source, ...refusal, account: account?.id });
    return true;
  }

  private async onIncoming(line: PhoneLine, c: IncomingCall): Promise<void> {
    const req = c.request;
    const account = line.account;
    const source = this.arrivals.get(req)?.sourceAddress ?? '';
    const decision = account?.decide(req, source, false);
    const call = new Call('incoming', fromOf(req), c.session, this.callContext, account?.settings.aor);
    this.adopt(call, line);
    let media: CallMedia;
    try {
      media = await CallMedia.open(this.mediaSettings());
    } catch {
      call.reject(500);
      return;
    }
    if (c.session.state === 'terminated') {
      media.close();
      return;
    }
    call.setMedia(media);
    // An INVITE with Replaces takes over the named call at once (RFC 3891 §3).
    if (c.replaces !== undefined) {
      const old = this.calls.find((x) => x.session === c.replaces);
      call.answer();
      if (old && old.state !== 'ended') {
        old.endReason = { reason: 'replaced', text: 'replaced (RFC 3891)' };
        old.hangup();
      }
      this.emit('incoming', call);
      return;
    }
    // A call answered at once (a listener answering in its handler, auto-answer after 0 ms) gets
    // its 200 as the first response: no 180 before it (RFC 3261 §13.3.1.1, ringing is optional).
    this.emit('incoming', call);
    const ring = decision?.kind === 'ring' ? decision : undefined;
    if (ring?.autoAnswerMs === 0 && call.state === 'ringing') call.answer();
    if (call.state !== 'ringing') return;
    const plan = tonePlanFor(this.options.toneRegion ?? 'us') ?? tonePlans.us;
    const waiting = this.activeCalls.some((x) => x !== call && x.state === 'active');
    if (waiting) this.playCallWaiting(plan.tones.callWaiting);
    if (account?.settings.earlyMediaRingback) call.ring({ earlyMedia: toneSource(plan.tones.ringback) });
    else call.ring();
    if (ring?.autoAnswerMs !== undefined) {
      this.options.clock.setTimer(ring.autoAnswerMs, () => call.state === 'ringing' && call.answer());
    }
    if (ring?.forwardNoAnswer !== undefined) {
      const f = ring.forwardNoAnswer;
      this.options.clock.setTimer(f.afterMs, () => {
        if (call.state !== 'ringing') return;
        c.session.reject(302, { headers: [['Contact', `<${this.resolveTarget(f.target, account) ?? f.target}>`]] });
      });
    }
  }

  /** Call waiting: the waiting tone mixed into what we hear on the active call. */
  private playCallWaiting(spec: Parameters<typeof toneSource>[0]): void {
    const active = this.activeCalls.find((x) => x.state === 'active');
    if (!active) return;
    const tone = toneSource(spec, -20);
    active.pump.overlay = tone;
    this.options.clock.setTimer(CALL_WAITING_TONE_MS, () => {
      if (active.pump.overlay === tone) active.pump.overlay = undefined;
    });
  }

  /** Unregisters, ends every call, stops listening. */
  async close(): Promise<void> {
    for (const c of [...this.calls]) c.hangup();
    const lines = this.lines.all;
    await this.drain(lines);
    await Promise.all(this.accounts.map((a) => a.stop()));
    for (const l of lines) l.agent.close();
    for (const u of this.unsubscribe.splice(0)) u();
    this.emit('closed');
  }

  /** Sessions stay in their agent while their BYE/CANCEL is in flight: lets those finish (at most 2 s). */
  private async drain(lines: PhoneLine[]): Promise<void> {
    for (let waited = 0; lines.some((l) => l.agent.active.length > 0) && waited < 2000; waited += 50) {
      await new Promise<void>((r) => this.options.clock.setTimer(50, r));
    }
  }
}

/** How long the call-waiting tone plays over the active call. */
const CALL_WAITING_TONE_MS = 3000;


function fromOf(req: IncomingRequest['request']): string {
  const f = req.get(HeaderId.From);
  return f?.uriText ?? 'unknown';
}
