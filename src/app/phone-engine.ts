// The HandsetEngine on a real Phone: the page's commands become Phone calls and features, its
// state is read off the phone's calls, history and registration, and the page's audio is joined
// to the live call (phone-engine-audio.ts). The echo test, settings and contacts are the local
// engine's (LocalHandsetEngine), which this one wraps instead of repeating.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  attendedTransfer, blindTransfer, Conference, phoneCommands, setHold, startRecording, stopRecording, type Call, type Phone,
} from '../phone/index.js';
import type {
  AudioSession, EngineCommand, EngineCommandResult, HandsetEngine, HandsetSettings, HandsetState, HandsetStateDelta, RegistrationStatus,
} from '../ui/index.js';
import type { RegistrationEvent } from '../sip/index.js';
import { ECHO_TEST_NUMBER, LocalHandsetEngine } from './local-engine.js';
import { arg } from './local-engine-commands.js';
import { CallAudioBridge } from './phone-engine-audio.js';
import { accountViews, callView, historyView, rtpViews, type CallNotes } from './phone-engine-views.js';

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

/** How long the transfer target gets to end the replaced consultation call before we do. */
const CONSULTATION_GRACE_MS = 1000;

const ok = (value?: unknown): EngineCommandResult => ({ ok: true, value });
const fail = (error: string, field?: string): EngineCommandResult => (field === undefined ? { ok: false, error } : { ok: false, error, field });

export class PhoneHandsetEngine implements HandsetEngine {
  readonly commands: readonly EngineCommand[];
  readonly phone: Phone;
  private readonly local: LocalHandsetEngine;
  private readonly listeners = new Set<(d: HandsetStateDelta) => void>();
  private readonly notes = new WeakMap<Call, CallNotes>();
  private registration: RegistrationStatus = 'unregistered';
  private registrationDetail = '';
  private lastDialled: string | undefined;
  private readonly unsubscribe: Array<() => void> = [];
  private statsTimer: NodeJS.Timeout | undefined;
  /** The audio session that last sent a microphone frame (the headset in use). */
  private headset: CallAudioBridge | undefined;

  constructor(private readonly options: PhoneEngineOptions) {
    this.phone = options.phone;
    this.local = new LocalHandsetEngine(options.now);
    const account = this.phone.account;
    if (account?.settings.password !== undefined) {
      this.registration = 'registering';
      this.registrationDetail = `registering at ${account.settings.proxy ?? account.aor.host}`;
    }
    this.unsubscribe.push(this.local.onChange((d) => this.forwardLocal(d)));
    const onCall = (call: Call): void => this.track(call);
    const onIncoming = (call: Call): void => this.directCallPolicy(call);
    const onRegistration = (e: RegistrationEvent): void => this.onRegistration(e);
    this.phone.on('call', onCall);
    this.phone.on('incoming', onIncoming);
    this.phone.on('registration', onRegistration);
    this.unsubscribe.push(() => this.phone.off('call', onCall), () => this.phone.off('incoming', onIncoming), () => this.phone.off('registration', onRegistration));
    const interval = options.statsIntervalMs ?? 1000;
    if (interval > 0) {
      this.statsTimer = setInterval(() => this.phone.activeCalls.length > 0 && this.emit({ calls: this.callViews(), rtp: rtpViews(this.phone.activeCalls) }), interval);
      this.statsTimer.unref();
    }
    this.commands = this.buildCommands();
  }

  // --- state ----------------------------------------------------------------------------------

  snapshot(): HandsetState {
    const contacts = this.local.snapshot().contacts;
    return {
      ...this.local.snapshot(),
      accounts: accountViews(this.phone, this.registration, this.registrationDetail),
      calls: this.callViews(),
      history: historyView(this.phone.history.rows, contacts),
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
      queueMicrotask(() => this.emit({ calls: this.callViews(), history: historyView(this.phone.history.rows, this.local.snapshot().contacts), rtp: rtpViews(this.phone.activeCalls) }));
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

  /** DND, auto-answer and forwarding act through the account's settings (read per INVITE). */
  private applySettings(s: HandsetSettings): void {
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
    for (const u of this.unsubscribe.splice(0)) u();
    this.listeners.clear();
    await this.local.close();
  }

  // --- commands -------------------------------------------------------------------------------

  private echoActive(): boolean {
    return this.local.snapshot().calls.length > 0;
  }

  private localCommand(name: string): EngineCommand {
    const c = this.local.commands.find((x) => x.name === name);
    if (c === undefined) throw new Error(`local engine has no ${name}`);
    return c;
  }

  /** A call by id, or the newest live one. */
  private pick(callId: unknown, filter: (c: Call) => boolean = () => true): Call | undefined {
    const calls = this.phone.activeCalls.filter(filter);
    if (typeof callId === 'string' && callId !== '') return calls.find((c) => c.id === callId);
    return calls[calls.length - 1];
  }

  /** Runs one of the phone's shared commands (string arguments) and turns its result into ours. */
  private async runPhone(name: string, args: Array<string | undefined>): Promise<EngineCommandResult> {
    const c = phoneCommands.find((x) => x.name === name)!;
    const trimmed = [...args];
    while (trimmed.length > 0 && trimmed[trimmed.length - 1] === undefined) trimmed.pop();
    const r = await c.run(this.phone, trimmed as string[]);
    this.emitCalls();
    return r.ok ? ok(r.data ?? r.message) : fail(`${name}: ${r.message}`);
  }

  private async dial(uri: string): Promise<EngineCommandResult> {
    this.lastDialled = uri;
    if (uri === ECHO_TEST_NUMBER) return this.localCommand('dial').run({ uri });
    const target = this.phone.resolveTarget(uri);
    if (target === undefined) return fail(`"${uri}" is not a SIP address${this.phone.account ? '' : ' (without an account, dial sip:user@host)'}`, 'uri');
    // A new call puts the one we are talking on on hold (call waiting the other way round).
    const talking = this.talkingCall();
    if (talking) setHold(talking, true);
    const r = await this.phone.dial(target);
    if (typeof r === 'string') return fail(`dial: ${r}`, 'uri');
    return ok(r.id);
  }

  private buildCommands(): EngineCommand[] {
    const callIdArg = arg('callId', 'string', 'which call (default: the current one)');
    const own: EngineCommand[] = [
      {
        name: 'dial', description: 'call a SIP URI, a user of the account domain, or *43 (echo test)',
        args: [arg('uri', 'string', 'sip:user@host, a user name, or *43', true)],
        run: (a) => this.dial((a['uri'] as string).trim()),
      },
      {
        name: 'answer', description: 'answer the ringing call', args: [callIdArg],
        run: async (a) => {
          const c = this.pick(a['callId'], (x) => x.direction === 'incoming' && x.state === 'ringing');
          if (c === undefined) return fail('answer: no call is ringing');
          const talking = this.talkingCall();
          if (talking) setHold(talking, true);
          return c.answer() ? (this.emitCalls(), ok(c.id)) : fail(`answer: ${c.id} cannot be answered now`);
        },
      },
      {
        name: 'hangup', description: 'end the current call (CANCEL, refuse or BYE)', args: [callIdArg],
        run: async (a) => {
          if (this.echoActive() && a['callId'] === undefined) return this.localCommand('hangup').run({});
          const c = this.pick(a['callId']);
          if (c === undefined) return fail('hangup: there is no call');
          c.hangup();
          return ok(c.id);
        },
      },
      {
        name: 'mute', description: 'mute or unmute the microphone (local only)', args: [arg('on', 'boolean', 'true mutes, false unmutes (default: toggle)'), callIdArg],
        run: async (a) => {
          if (this.echoActive()) return this.localCommand('mute').run({ on: a['on'] });
          const c = this.pick(a['callId']);
          if (c === undefined) return fail('mute: there is no call');
          c.setMuted(a['on'] === undefined ? !c.muted : (a['on'] as boolean));
          this.emitCalls();
          return ok(c.muted);
        },
      },
      {
        name: 'hold', description: 'hold or resume the current call', args: [arg('on', 'boolean', 'true holds, false resumes (default: toggle)'), callIdArg],
        run: async (a) => {
          const c = this.pick(a['callId'], (x) => x.state === 'active');
          if (c === undefined) return fail('hold: there is no answered call');
          const hold = a['on'] === undefined ? !c.held.local : (a['on'] as boolean);
          return setHold(c, hold) ? ok(hold) : fail(`hold: cannot ${hold ? 'hold' : 'resume'} ${c.id} now (an offer is in progress)`);
        },
      },
      {
        name: 'swap', description: 'talk on another line: the current call goes on hold', args: [arg('callId', 'string', 'the line to talk on', true)],
        run: async (a) => {
          const to = this.pick(a['callId'], (x) => x.state === 'active');
          if (to === undefined) return fail(`swap: no answered call ${String(a['callId'])}`, 'callId');
          for (const c of this.phone.activeCalls) if (c !== to && c.state === 'active' && !c.held.local) setHold(c, true);
          return setHold(to, false) ? ok(to.id) : fail(`swap: cannot resume ${to.id} now`);
        },
      },
      {
        name: 'dtmf', description: 'send DTMF digits in the current call (RFC 4733, or SIP INFO)',
        args: [arg('digits', 'string', '0-9, *, #, A-D', true), callIdArg],
        run: async (a) => {
          if (this.echoActive()) return this.localCommand('dtmf').run({ digits: a['digits'] });
          if (!/^[0-9*#A-Da-d]+$/.test(a['digits'] as string)) return fail('digits may hold only 0-9, *, #, A-D', 'digits');
          return this.runPhone('dtmf', [a['digits'] as string, a['callId'] as string | undefined]);
        },
      },
      { name: 'flash', description: 'hook flash (RFC 4733 event 16, or INFO)', args: [callIdArg], run: (a) => this.runPhone('flash', [a['callId'] as string | undefined]) },
      {
        name: 'transfer', description: 'transfer the current call: blind (REFER), or attended (first a consultation call, then again to connect)',
        args: [arg('target', 'string', 'where to transfer', true), arg('attended', 'boolean', 'consult first'), callIdArg],
        run: (a) => this.transfer(a['target'] as string, a['attended'] === true, a['callId']),
      },
      {
        name: 'conference', description: 'merge the current and the held call into a local 3-way conference', args: [],
        run: async () => {
          const live = this.phone.activeCalls.filter((c) => c.state === 'active');
          if (live.length < 2) return fail('conference: two answered calls are needed');
          const talking = this.talkingCall() ?? live[live.length - 1]!;
          const other = [...live].reverse().find((c) => c !== talking)!;
          // The talking call first: its source (the headset) becomes the conference's voice.
          this.headset?.talkOn(talking);
          new Conference(this.phone.options.clock, [talking, other]);
          this.emitCalls();
          return ok([talking.id, other.id]);
        },
      },
      {
        name: 'redial', description: 'call the last number again', args: [],
        run: async () => (this.lastDialled === undefined ? fail('redial: nothing dialled yet') : this.dial(this.lastDialled)),
      },
      { name: 'record', description: 'start or stop recording the current call (two-channel WAV)', args: [callIdArg], run: async (a) => this.record(a['callId']) },
    ];
    const names = new Set(own.map((c) => c.name));
    // The echo test, settings, contacts, accounts and messages are the local engine's.
    const local = this.local.commands.filter((c) => !names.has(c.name));
    for (const c of local) names.add(c.name);
    // Every other command of the phone's table (reject, resume, unmute, calls, history ...), as the CLI has them.
    const shared = phoneCommands.filter((c) => !names.has(c.name)).map((c): EngineCommand => {
      const argNames = c.args.map((x) => x.replace(/\?$/, ''));
      return {
        name: c.name, description: c.description,
        args: c.args.map((x) => arg(x.replace(/\?$/, ''), 'string', x.endsWith('?') ? `${x.slice(0, -1)} (optional)` : x, !x.endsWith('?'))),
        run: (a) => this.runPhone(c.name, argNames.map((n) => a[n] as string | undefined)),
      };
    });
    return [...own, ...local, ...shared];
  }

  private async transfer(targetText: string, attended: boolean, callId: unknown): Promise<EngineCommandResult> {
    const target = this.phone.resolveTarget(targetText.trim());
    if (target === undefined) return fail(`transfer: "${targetText}" is not a SIP address`, 'target');
    if (!attended) {
      const c = this.pick(callId, (x) => x.state === 'active');
      if (c === undefined) return fail('transfer: there is no answered call');
      return blindTransfer(c, target) ? (this.emitCalls(), ok(c.id)) : fail(`transfer: ${c.id} is not active`);
    }
    // Attended, second step: a consultation call to the target is up, so connect the other call to it.
    const consultation = this.phone.activeCalls.find((c) => c.state === 'active' && c.remoteUri === target);
    if (consultation !== undefined) {
      const held = this.pick(callId, (x) => x !== consultation && x.state === 'active');
      if (held === undefined) return fail('transfer: no other call to connect to the consultation');
      if (!attendedTransfer(held, consultation)) return fail('transfer: both calls must be answered');
      this.dropConsultationAfterTransfer(held, consultation);
      this.emitCalls();
      return ok(held.id);
    }
    // First step: hold the current call and call the target.
    return this.dial(target);
  }

  /**
   * RFC 3891 §3: the target replaces the consultation dialog and should BYE it; some (baresip)
   * only do when the new call is over, so once the transfer succeeded we end it ourselves.
   */
  private dropConsultationAfterTransfer(held: Call, consultation: Call): void {
    const onProgress = (p: { status: number; final: boolean }): void => {
      if (!p.final) return;
      held.off('transfer-progress', onProgress);
      if (p.status >= 300) return;
      this.phone.options.clock.setTimer(CONSULTATION_GRACE_MS, () => consultation.hangup());
    };
    held.on('transfer-progress', onProgress);
  }

  private record(callId: unknown): EngineCommandResult {
    const c = this.pick(callId, (x) => x.state === 'active');
    if (c === undefined) return fail('record: there is no answered call');
    if (c.pump.recorder === undefined) {
      startRecording(c);
      this.emitCalls();
      return ok('recording');
    }
    const wav = stopRecording(c)!;
    this.emitCalls();
    if (this.options.dataDir === undefined) return ok(`recorded ${wav.length} bytes (no data dir: not kept)`);
    const dir = join(this.options.dataDir, 'recordings');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${new Date(this.options.now?.() ?? Date.now()).toISOString().replace(/[:.]/g, '-')}-${c.id}.wav`);
    writeFileSync(file, wav);
    return ok(file);
  }
}
