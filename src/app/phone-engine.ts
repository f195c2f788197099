// The HandsetEngine on a real Phone: the page's commands become Phone calls and features, its
// state is read off the phone's calls, history and accounts (phone-engine-accounts.ts: added,
// edited and removed live, each with its registration), and the page's audio is joined to the
// live call (phone-engine-audio.ts). The echo test, settings and contacts are the local
// engine's (LocalHandsetEngine), which this one wraps instead of repeating.
import { SipTrace, type Call, type Phone } from '../phone/index.js';
import type {
  AudioSession, EngineCommand, HandsetEngine, HandsetSettings, HandsetState, HandsetStateDelta,
} from '../ui/index.js';
import { LocalHandsetEngine } from './local-engine.js';
import { EngineAccounts } from './phone-engine-accounts.js';
import { PhoneEngineCommands } from './phone-engine-commands.js';
import { CallAudioBridge } from './phone-engine-audio.js';
import { callView, historyView, ladderView, rtpViews, type CallNotes } from './phone-engine-views.js';
import { applyMediaSettings, settingsOfPhone } from './phone-settings.js';

export interface PhoneEngineOptions {
  phone: Phone;
  /** Where `record` writes its WAV files (<dataDir>/recordings); without it the bytes are dropped. */
  dataDir?: string;
  /** How often RTP statistics and call quality are refreshed (ms, default 1000; 0 = never). */
  statsIntervalMs?: number;
  now?: () => number;
}

/** How long a forwarded call rings before it goes on (forwardMode no-answer). */
const FORWARD_NO_ANSWER_MS = 20_000;

export class PhoneHandsetEngine implements HandsetEngine {
  readonly commands: readonly EngineCommand[];
  /** The phone behind the page (it runs for the engine's whole life; accounts come and go on it). */
  readonly phone: Phone;
  readonly local: LocalHandsetEngine;
  readonly accounts: EngineAccounts;
  private readonly listeners = new Set<(d: HandsetStateDelta) => void>();
  private readonly notes = new WeakMap<Call, CallNotes>();
  private readonly unsubscribe: Array<() => void> = [];
  private statsTimer: NodeJS.Timeout | undefined;
  /** The audio session that last sent a microphone frame (the headset in use). */
  private headset: CallAudioBridge | undefined;
  /** The phone's recent SIP dialogs (the diagnostics ladder). */
  private readonly trace: SipTrace;
  private ladderTimer: NodeJS.Timeout | undefined;
  /** A transport change waits for the calls to end (the default account registers anew). */
  private transportPending = false;

  constructor(options: PhoneEngineOptions) {
    const phone = (this.phone = options.phone);
    this.local = new LocalHandsetEngine(options.now);
    this.accounts = new EngineAccounts(phone, {
      changed: () => {
        this.applyCallPolicy(this.local.snapshot().settings);
        this.emit({ accounts: this.accounts.views() });
      },
      defaultChanged: (transport) => {
        if (this.local.snapshot().settings.transport !== transport) this.local.adoptSettings({ transport });
      },
    });
    // The settings start from what the phone does (its --codecs, --srtp, the default account's transport).
    this.local.adoptSettings(settingsOfPhone(phone));
    this.unsubscribe.push(this.local.onChange((d) => this.forwardLocal(d)));
    const onCall = (call: Call): void => this.track(call);
    const onIncoming = (call: Call): void => this.directCallPolicy(call);
    phone.on('call', onCall);
    phone.on('incoming', onIncoming);
    this.trace = new SipTrace(phone.options.stack);
    this.trace.onChange(() => this.scheduleLadder());
    this.unsubscribe.push(() => phone.off('call', onCall), () => phone.off('incoming', onIncoming), () => this.trace.close(), () => this.accounts.close());
    this.applySettings(this.local.snapshot().settings);
    const interval = options.statsIntervalMs ?? 1000;
    if (interval > 0) {
      this.statsTimer = setInterval(() => this.phone.activeCalls.length > 0 && this.emit({ calls: this.callViews(), rtp: rtpViews(this.phone.activeCalls) }), interval);
      this.statsTimer.unref();
    }
    this.commands = new PhoneEngineCommands({
      phone,
      local: this.local,
      accounts: this.accounts,
      dataDir: options.dataDir,
      now: options.now ?? Date.now,
      talkingCall: () => this.talkingCall(),
      talkOn: (call) => this.headset?.talkOn(call),
      emitCalls: () => this.emitCalls(),
    }).build();
  }

  /** Settings' transport: the default account registers over it, once no call is up. */
  private switchTransport(transport: HandsetSettings['transport']): void {
    this.transportPending = this.phone.activeCalls.length > 0;
    if (!this.transportPending) void this.accounts.switchTransport(transport);
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
      accounts: this.accounts.views(),
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

  /**
   * Codec order and SRTP act on the next call's offer; the transport re-registers the default
   * account. DND, auto-answer and forwarding act through every account's settings (read per INVITE).
   */
  private applySettings(s: HandsetSettings): void {
    applyMediaSettings(this.phone, s);
    this.switchTransport(s.transport);
    this.applyCallPolicy(s);
  }

  private applyCallPolicy(s: HandsetSettings): void {
    const to = s.forwardTo;
    const forward = s.forwardMode === 'always' ? { always: to } : s.forwardMode === 'busy' ? { busy: to } : s.forwardMode === 'no-answer' ? { noAnswer: { target: to, afterMs: FORWARD_NO_ANSWER_MS } } : undefined;
    for (const { settings: a } of this.phone.accounts) {
      a.dnd = s.dnd ? 486 : false;
      a.autoAnswerMs = s.autoAnswer ? 0 : undefined;
      a.forward = forward;
    }
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
    for (const u of this.unsubscribe.splice(0)) u();
    this.listeners.clear();
    await this.local.close();
  }
}
