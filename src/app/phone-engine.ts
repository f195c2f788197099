// The HandsetEngine on a real Phone: the page's commands become Phone calls and features, its
// state is read off the phone's calls, history and registration, and the page's audio is joined
// to the live call (phone-engine-audio.ts). The echo test, settings and contacts are the local
// engine's (LocalHandsetEngine), which this one wraps instead of repeating.
import { SipTrace, type AccountSettings, type Call, type Phone } from '../phone/index.js';
import type {
  AudioSession, EngineCommand, EngineCommandResult, HandsetEngine, HandsetSettings, HandsetState, HandsetStateDelta, RegistrationStatus,
} from '../ui/index.js';
import type { RegistrationEvent } from '../sip/index.js';
import { LocalHandsetEngine } from './local-engine.js';
import { checkAccount } from './local-engine-commands.js';
import { PhoneEngineCommands } from './phone-engine-commands.js';
import { CallAudioBridge } from './phone-engine-audio.js';
import { accountViews, callView, historyView, ladderView, rtpViews, type CallNotes } from './phone-engine-views.js';
import { accountOverTransport, applyMediaSettings, settingsOfPhone } from './phone-settings.js';

export interface PhoneEngineOptions {
  phone: Phone;
  /** Where `record` writes its WAV files (<dataDir>/recordings); without it the bytes are dropped. */
  dataDir?: string;
  /** How often RTP statistics and call quality are refreshed (ms, default 1000; 0 = never). */
  statsIntervalMs?: number;
  now?: () => number;
  /** Closes the current phone and starts one with `account` (account-add); without it account-add is refused. */
  switchAccount?: (account: AccountSettings) => Promise<Phone>;
}

/** How long a forwarded call rings before it goes on (forwardMode no-answer). */
const FORWARD_NO_ANSWER_MS = 20_000;

export class PhoneHandsetEngine implements HandsetEngine {
  readonly commands: readonly EngineCommand[];
  /** The phone behind the page (replaced when an account is added). */
  phone: Phone;
  readonly local: LocalHandsetEngine;
  private readonly listeners = new Set<(d: HandsetStateDelta) => void>();
  private readonly notes = new WeakMap<Call, CallNotes>();
  private registration: RegistrationStatus = 'unregistered';
  private registrationDetail = '';
  private readonly unsubscribe: Array<() => void> = [];
  /** Listeners on the current phone (rebound when account-add replaces it). */
  private phoneUnsubscribe: Array<() => void> = [];
  private statsTimer: NodeJS.Timeout | undefined;
  /** The audio session that last sent a microphone frame (the headset in use). */
  private headset: CallAudioBridge | undefined;
  /** The current phone's recent SIP dialogs (the diagnostics ladder). */
  private trace!: SipTrace;
  private ladderTimer: NodeJS.Timeout | undefined;
  /** A transport change waits for the calls to end (it replaces the phone). */
  private transportPending = false;

  constructor(private readonly options: PhoneEngineOptions) {
    this.phone = options.phone;
    this.local = new LocalHandsetEngine(options.now);
    // The settings start from what the phone does (its --codecs, --srtp, the account's transport).
    this.local.adoptSettings(settingsOfPhone(this.phone));
    this.unsubscribe.push(this.local.onChange((d) => this.forwardLocal(d)));
    this.bindPhone();
    const interval = options.statsIntervalMs ?? 1000;
    if (interval > 0) {
      this.statsTimer = setInterval(() => this.phone.activeCalls.length > 0 && this.emit({ calls: this.callViews(), rtp: rtpViews(this.phone.activeCalls) }), interval);
      this.statsTimer.unref();
    }
    const engine = this;
    this.commands = new PhoneEngineCommands({
      get phone() {
        return engine.phone;
      },
      local: this.local,
      dataDir: options.dataDir,
      now: options.now ?? Date.now,
      talkingCall: () => this.talkingCall(),
      talkOn: (call) => this.headset?.talkOn(call),
      emitCalls: () => this.emitCalls(),
      addAccount: (a) => this.addAccount(a),
    }).build();
  }

  private bindPhone(): void {
    const phone = this.phone;
    const account = phone.account;
    this.registration = account?.settings.password !== undefined ? 'registering' : 'unregistered';
    this.registrationDetail = account?.settings.password !== undefined ? `registering at ${account.settings.proxy ?? account.aor.host}` : '';
    const onCall = (call: Call): void => this.track(call);
    const onIncoming = (call: Call): void => this.directCallPolicy(call);
    const onRegistration = (e: RegistrationEvent): void => this.onRegistration(e);
    phone.on('call', onCall);
    phone.on('incoming', onIncoming);
    phone.on('registration', onRegistration);
    const trace = (this.trace = new SipTrace(phone.options.stack));
    trace.onChange(() => this.scheduleLadder());
    this.phoneUnsubscribe = [() => phone.off('call', onCall), () => phone.off('incoming', onIncoming), () => phone.off('registration', onRegistration), () => trace.close()];
    this.applySettings(this.local.snapshot().settings);
  }

  /**
   * account-add: one account per Phone, so the phone is replaced by one with the new account
   * (through `switchAccount`, which closes the old one). Only while no call is up. Calls history
   * starts afresh with the new phone (history is in memory until the store exists).
   */
  private async addAccount(a: Readonly<Record<string, unknown>>): Promise<EngineCommandResult> {
    const bad = checkAccount(a);
    if (bad) return bad;
    if (this.options.switchAccount === undefined) return { ok: false, error: 'account-add: this engine cannot change its account (start handset serve with --user/--password/--proxy)' };
    if (this.phone.activeCalls.length > 0) return { ok: false, error: 'account-add: hang up first (the phone restarts with the new account)' };
    let proxy = (a['proxy'] as string | undefined) || undefined;
    const transport = a['transport'] as string | undefined;
    if (proxy !== undefined && transport !== undefined && transport !== 'udp' && !/;transport=/i.test(proxy)) proxy = `${proxy};transport=${transport}`;
    const account: AccountSettings = { aor: a['aor'] as string, password: a['password'] as string, directCalls: proxy === undefined };
    if (proxy !== undefined) account.proxy = proxy;
    const r = await this.replacePhone(account);
    return r.ok ? { ok: true, value: 'account-1' } : { ok: false, error: `account-add: ${r.error}` };
  }

  /** A new phone with `account` (through `switchAccount`); the page's settings carry over. */
  private async replacePhone(account: AccountSettings): Promise<EngineCommandResult> {
    for (const u of this.phoneUnsubscribe.splice(0)) u();
    try {
      this.phone = await this.options.switchAccount!(account);
    } catch (e) {
      this.bindPhone();
      return { ok: false, error: (e as Error).message };
    }
    this.local.adoptSettings({ transport: this.phone.account?.transport ?? 'udp' });
    this.bindPhone();
    this.emit({ accounts: accountViews(this.phone, this.registration, this.registrationDetail), calls: this.callViews(), history: historyView(this.phone.history.rows, this.local.snapshot().contacts), ladder: ladderView(this.trace.dialogs()) });
    return { ok: true };
  }

  /** Settings' transport: the account registers over it (a new phone), once no call is up. */
  private switchTransport(transport: HandsetSettings['transport']): void {
    const account = accountOverTransport(this.phone, transport);
    if (account === undefined || this.options.switchAccount === undefined) return;
    this.transportPending = this.phone.activeCalls.length > 0;
    if (!this.transportPending) void this.replacePhone(account);
  }

  private scheduleLadder(): void {
    if (this.ladderTimer !== undefined) return;
    // Messages come in bursts (INVITE, 100, 180, 200, ACK): one delta per burst.
    this.ladderTimer = setTimeout(() => {
      this.ladderTimer = undefined;
      this.emit({ ladder: ladderView(this.trace.dialogs()) });
    }, 100);
    this.ladderTimer.unref();
  }

  // --- state ----------------------------------------------------------------------------------

  snapshot(): HandsetState {
    const contacts = this.local.snapshot().contacts;
    return {
      ...this.local.snapshot(),
      accounts: accountViews(this.phone, this.registration, this.registrationDetail),
      calls: this.callViews(),
      history: historyView(this.phone.history.rows, contacts),
      ladder: ladderView(this.trace.dialogs()),
      rtp: rtpViews(this.phone.activeCalls),
      features: { calls: true, accounts: true, history: true, contacts: true, messages: false, diagnostics: true, echoTest: true },
    };
  }

  onChange(listener: (delta: HandsetStateDelta) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private callViews(): HandsetState['calls'] {
    const contacts = this.local.snapshot().contacts;
    return [...this.local.snapshot().calls, ...this.phone.activeCalls.map((c) => callView(c, this.notes.get(c), contacts))];
  }

  private emit(delta: HandsetStateDelta): void {
    for (const l of this.listeners) l(delta);
  }

  private emitCalls(): void {
    this.emit({ calls: this.callViews(), rtp: rtpViews(this.phone.activeCalls) });
  }

  /** The local engine's deltas, with its calls (the echo test) joined to the phone's. */
  private forwardLocal(d: HandsetStateDelta): void {
    const out: { -readonly [K in keyof HandsetState]?: HandsetState[K] } = { ...d };
    if (d.calls !== undefined) out.calls = this.callViews();
    if (d.settings !== undefined) this.applySettings(d.settings);
    if (d.contacts !== undefined) {
      out.calls = this.callViews();
      out.history = historyView(this.phone.history.rows, d.contacts);
    }
    this.emit(out);
  }

  private track(call: Call): void {
    const notes: CallNotes = { codec: '', earlyMedia: false };
    this.notes.set(call, notes);
    call.on('state', () => this.emitCalls());
    call.on('held', () => this.emitCalls());
    call.on('ringing', (r) => {
      notes.earlyMedia = r.earlyMedia;
      this.emitCalls();
    });
    call.on('media', (m) => {
      notes.codec = m.codec;
      this.emitCalls();
    });
    call.once('ended', () => {
      // The phone drops the call from its list in its own 'ended' listener: read the list after it.
      queueMicrotask(() => {
        this.emit({ calls: this.callViews(), history: historyView(this.phone.history.rows, this.local.snapshot().contacts), rtp: rtpViews(this.phone.activeCalls) });
        if (this.transportPending && this.phone.activeCalls.length === 0) this.switchTransport(this.local.snapshot().settings.transport);
      });
    });
    this.emit({ calls: this.callViews(), history: historyView(this.phone.history.rows, this.local.snapshot().contacts) });
  }

  /** Without an account the phone applies no DND or auto-answer: the settings act here, once it rings. */
  private directCallPolicy(call: Call): void {
    if (this.phone.account !== undefined) return;
    const s = this.local.snapshot().settings;
    if (s.dnd) call.reject(486);
    else if (s.autoAnswer) call.answer();
  }

  private onRegistration(e: RegistrationEvent): void {
    if (e.type === 'registered') {
      this.registration = 'registered';
      this.registrationDetail = `registered for ${e.expires} s`;
    } else if (e.type === 'registration-failed') {
      this.registration = e.permanent ? 'failed' : 'registering';
      this.registrationDetail = e.reason;
    } else {
      this.registration = 'unregistered';
      this.registrationDetail = e.reason ?? '';
    }
    this.emit({ accounts: accountViews(this.phone, this.registration, this.registrationDetail) });
  }

  /**
   * Codec order and SRTP act on the next call's offer; the transport re-registers. DND,
   * auto-answer and forwarding act through the account's settings (read per INVITE).
   */
  private applySettings(s: HandsetSettings): void {
    applyMediaSettings(this.phone, s);
    this.switchTransport(s.transport);
    const a = this.phone.account?.settings;
    if (a === undefined) return;
    a.dnd = s.dnd ? 486 : false;
    a.autoAnswerMs = s.autoAnswer ? 0 : undefined;
    const to = s.forwardTo;
    a.forward = s.forwardMode === 'always' ? { always: to } : s.forwardMode === 'busy' ? { busy: to } : s.forwardMode === 'no-answer' ? { noAnswer: { target: to, afterMs: FORWARD_NO_ANSWER_MS } } : undefined;
  }

  // --- audio ----------------------------------------------------------------------------------

  openAudio(options: { sampleRate: number; frameSamples: number }): AudioSession {
    const echo = this.local.openAudio(options);
    const bridge = new CallAudioBridge(options.sampleRate, options.frameSamples);
    return {
      sampleRate: options.sampleRate,
      frameSamples: options.frameSamples,
      process: (mic) => {
        this.headset = bridge;
        if (this.local.snapshot().calls.length > 0) {
          bridge.process(mic, undefined);
          return echo.process(mic);
        }
        const talking = this.talkingCall();
        return bridge.process(mic, talking, talking === undefined ? [] : this.conferencedWith(talking));
      },
      close: () => {
        echo.close();
        bridge.close();
        if (this.headset === bridge) this.headset = undefined;
      },
    };
  }

  /** Queue delays of the headset's audio path (see CallAudioBridge.queueDelayMs); undefined before any frame. */
  audioQueueDelayMs(): ReturnType<CallAudioBridge['queueDelayMs']> | undefined {
    return this.headset?.queueDelayMs();
  }

  /** The call the headset talks on: the newest answered one not on hold. */
  private talkingCall(): Call | undefined {
    const calls = this.phone.activeCalls;
    for (let i = calls.length - 1; i >= 0; i--) {
      const c = calls[i]!;
      if (c.state === 'active' && !c.held.local) return c;
    }
    return undefined;
  }

  /** The other calls merged with `call` in a local conference (their pumps share our frame). */
  private conferencedWith(call: Call): Call[] {
    if (call.pump.localFrame === undefined) return [];
    return this.phone.activeCalls.filter((c) => c !== call && c.state === 'active' && c.pump.localFrame !== undefined);
  }

  async close(): Promise<void> {
    if (this.statsTimer) clearInterval(this.statsTimer);
    if (this.ladderTimer) clearTimeout(this.ladderTimer);
    for (const u of [...this.unsubscribe.splice(0), ...this.phoneUnsubscribe.splice(0)]) u();
    this.listeners.clear();
    await this.local.close();
  }
}
