// The phone: one SIP stack with its session agent, an optional account, the calls and their
// media, the incoming-call policy, history and typed events. Faces (CLI, UI, library) drive it
// through its methods or the command table (commands.ts).
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type { Clock } from '../util/index.js';
import { HeaderId, parseUri, type IncomingRequest, type RegistrationEvent, type SipStack } from '../sip/index.js';
import type { AudioCodec } from '../codecs/index.js';
import type { DatagramPort } from '../media/index.js';
import type { SrtpPolicy } from '../sdp/index.js';
import { DigestClient, SessionAgent, type IncomingCall, type InviteSession, type PrackMode, type SessionAgentOptions } from './sip-api.js';
import { CallMedia, type MediaSettings } from './call-media.js';
import { Call, type CallContext } from './call.js';
import { Account, type AccountSettings } from './account.js';
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
  account?: AccountSettings;
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
  registration: [RegistrationEvent];
  /** An INVITE refused before ringing (scanner defense, DND, busy, forwarding). */
  refused: [{ from: string; source: string; status: number; reason: string }];
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
}

export class Phone extends EventEmitter<PhoneEvents> {
  readonly account: Account | undefined;
  readonly agent: SessionAgent;
  readonly history: CallHistory;
  readonly calls: Call[] = [];
  readonly options: PhoneOptions;
  private readonly arrivals = new WeakMap<object, IncomingRequest['arrival']>();
  private readonly unsubscribe: Array<() => void> = [];
  private readonly callContext: CallContext;

  constructor(options: PhoneOptions) {
    super();
    this.options = options;
    const stack = options.stack;
    this.account = options.account ? new Account(options.account) : undefined;
    this.history = new CallHistory(() => options.clock.now());
    // Registered before the agent so it sees INVITEs first: notes where they came from and
    // refuses scanners before any session exists (no ring, no history row).
    this.unsubscribe.push(stack.onRequest((incoming) => this.guard(incoming)));
    const local = stack.localAddress('udp');
    const aor = this.account?.aor;
    const agentOptions: SessionAgentOptions = {
      stack,
      identity: aor ? `<${aor.scheme}:${aor.user ? `${aor.user}@` : ''}${aor.host}>` : (options.identity ?? `<sip:handset@${hostText(local.host)}>`),
      contactUser: this.account?.user ?? 'handset',
    };
    const s = this.account?.settings;
    if (s?.password !== undefined) {
      agentOptions.digest = new DigestClient({ credentials: { username: s.username ?? aor?.user ?? '', password: s.password }, realms: [aor!.host] });
    }
    if (this.account?.outboundProxy) agentOptions.outboundProxy = this.account.outboundProxy;
    if (options.prack) agentOptions.prack = options.prack;
    if (options.sessionTimer !== undefined) agentOptions.sessionTimer = options.sessionTimer;
    if (options.locate) agentOptions.locate = options.locate;
    if (options.random) agentOptions.random = options.random;
    this.agent = new SessionAgent(agentOptions);
    this.unsubscribe.push(this.agent.onIncoming((c) => void this.onIncoming(c)));
    this.callContext = {
      clock: options.clock,
      rtpTimeoutMs: options.rtpTimeoutMs ?? 30_000,
      redirect: (call, targets) => this.followRedirect(call, targets),
      referred: (call, refer) => followRefer(call, refer, options.referPolicy ?? 'accept', (target, replaces, referredBy) => {
        const o: DialOptions = {};
        if (replaces !== undefined) o.replaces = replaces;
        if (referredBy !== undefined) o.referredBy = referredBy;
        return this.dial(target, o);
      }),
    };
  }

  /** Starts registration (when the account has one). */
  start(): void {
    this.account?.register(this.options.stack, (e) => this.emit('registration', e));
  }

  get activeCalls(): Call[] {
    return this.calls.filter((c) => c.state !== 'ended');
  }

  /** The full target URI: `bob` → sip:bob@<account domain>; a URI as it is. */
  resolveTarget(target: string): string | undefined {
    if (/^sips?:/i.test(target)) return parseUri(target).ok ? target : undefined;
    const domain = this.account?.aor.host;
    if (domain === undefined) return target.includes('@') && parseUri(`sip:${target}`).ok ? `sip:${target}` : undefined;
    const uri = target.includes('@') ? `sip:${target}` : `sip:${target}@${domain}`;
    return parseUri(uri).ok ? uri : undefined;
  }

  /** Places a call. Resolves once the INVITE is on its way (the call's events tell the rest), or to an error text. */
  async dial(target: string, o: DialOptions = {}): Promise<Call | string> {
    const uri = this.resolveTarget(target);
    if (uri === undefined) return `not a SIP address: "${target}"`;
    const media = await CallMedia.open(this.mediaSettings());
    const outgoing: Parameters<SessionAgent['call']>[0] = { target: uri, offer: media.createOffer(), hooks: media };
    if (o.headers) outgoing.headers = o.headers;
    if (o.replaces !== undefined) outgoing.replaces = o.replaces;
    if (o.referredBy !== undefined) outgoing.referredBy = o.referredBy;
    if (o.noAnswerTimeoutMs !== undefined) outgoing.noAnswerTimeoutMs = o.noAnswerTimeoutMs;
    const session = this.agent.call(outgoing);
    const call = new Call('outgoing', uri, session, this.callContext, this.account?.settings.aor);
    call.setMedia(media);
    if (o.source) call.play(o.source);
    this.adopt(call);
    return call;
  }

  private mediaSettings(): MediaSettings {
    const m = this.options.media;
    const s: MediaSettings = { clock: this.options.clock, address: m.address, codecs: m.codecs, srtp: m.srtp ?? 'off', bindPort: m.bindPort };
    if (m.telephoneEvent !== undefined) s.telephoneEvent = m.telephoneEvent;
    return s;
  }

  private adopt(call: Call): void {
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

  /** RFC 3261 §8.1.3.4: try the 3xx Contacts in order, at most `maxRedirects` times per call. */
  private followRedirect(call: Call, targets: string[]): InviteSession | { reason: 'redirected' | 'redirect-loop'; text: string } {
    const max = this.options.maxRedirects ?? 5;
    if (targets.length === 0) return { reason: 'redirected', text: 'redirected without a target' };
    if (call.redirects >= max) return { reason: 'redirect-loop', text: `more than ${max} redirects` };
    const media = call.media!;
    return this.agent.call({ target: targets[0]!, offer: media.createOffer(), hooks: media });
  }

  private guard(incoming: IncomingRequest): boolean {
    const req = incoming.request;
    if (req.method !== 'INVITE' || incoming.dialog !== undefined) return false;
    this.arrivals.set(req, incoming.arrival);
    const busy = this.activeCalls.length >= (this.options.maxLines ?? 2);
    const decision = this.account?.decide(req, incoming.arrival.sourceAddress, busy);
    if (decision === undefined) {
      if (!busy) return false;
      this.options.stack.respond(incoming, 486);
      this.emit('refused', { from: fromOf(req), source: incoming.arrival.sourceAddress, status: 486, reason: 'no free line' });
      return true;
    }
    switch (decision.kind) {
      case 'ring':
        return false;
      case 'refuse':
      case 'reject':
        this.options.stack.respond(incoming, decision.status);
        break;
      case 'forward':
        // Call forwarding: 302 with the target (RFC 3261 §21.3.3).
        this.options.stack.respond(incoming, 302, 'Moved Temporarily', [['Contact', `<${this.resolveTarget(decision.target) ?? decision.target}>`]]);
        break;
    }
    this.emit('refused', { from: fromOf(req), source: incoming.arrival.sourceAddress, status: decision.kind === 'forward' ? 302 : decision.status, reason: decision.reason });
    return true;
  }

  private async onIncoming(c: IncomingCall): Promise<void> {
    const req = c.request;
    const source = this.arrivals.get(req)?.sourceAddress ?? '';
    const decision = this.account?.decide(req, source, false);
    const call = new Call('incoming', fromOf(req), c.session, this.callContext, this.account?.settings.aor);
    this.adopt(call);
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
    const plan = tonePlanFor(this.options.toneRegion ?? 'us') ?? tonePlans.us;
    const waiting = this.activeCalls.some((x) => x !== call && x.state === 'active');
    if (waiting) this.playCallWaiting(plan.tones.callWaiting);
    if (this.account?.settings.earlyMediaRingback) call.ring({ earlyMedia: toneSource(plan.tones.ringback) });
    else call.ring();
    this.emit('incoming', call);
    const ring = decision?.kind === 'ring' ? decision : undefined;
    if (ring?.autoAnswerMs !== undefined) {
      this.options.clock.setTimer(ring.autoAnswerMs, () => call.state === 'ringing' && call.answer());
    }
    if (ring?.forwardNoAnswer !== undefined) {
      const f = ring.forwardNoAnswer;
      this.options.clock.setTimer(f.afterMs, () => {
        if (call.state !== 'ringing') return;
        c.session.reject(302, { headers: [['Contact', `<${this.resolveTarget(f.target) ?? f.target}>`]] });
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
    // Sessions stay in the agent while their BYE/CANCEL is in flight: let those finish (at most 2 s).
    for (let waited = 0; this.agent.active.length > 0 && waited < 2000; waited += 50) {
      await new Promise<void>((r) => this.options.clock.setTimer(50, r));
    }
    await this.account?.stop();
    this.agent.close();
    for (const u of this.unsubscribe.splice(0)) u();
    this.emit('closed');
  }
}

/** How long the call-waiting tone plays over the active call. */
const CALL_WAITING_TONE_MS = 3000;

const hostText = (h: string): string => (h.includes(':') && !h.startsWith('[') ? `[${h}]` : h);

function fromOf(req: IncomingRequest['request']): string {
  const f = req.get(HeaderId.From);
  return f?.uriText ?? 'unknown';
}
