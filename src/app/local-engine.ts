// The HandsetEngine the web handset runs on today: the echo test, settings and in-memory
// contacts. Calls, accounts, history and messages need the phone core (src/phone, issue 5):
// their commands answer that clearly, and `features` tells the UI to show an empty state.
import { randomUUID } from 'node:crypto';
import type {
  AudioSession, CallView, ContactView, EngineCommand, EngineCommandResult, HandsetEngine, HandsetSettings, HandsetState, HandsetStateDelta,
} from '../ui/index.js';
import { EchoTest } from '../media/index.js';
import { applySettings, arg, checkAccount, checkSipUri } from './local-engine-commands.js';

/** What dialling `*43` starts. */
export const ECHO_TEST_NUMBER = '*43';
export const ECHO_DELAY_MS = 1000;
const NO_PHONE = 'not available yet: calls and accounts need the phone core (src/phone), which is not built; dial *43 for the echo test';

const defaultSettings: HandsetSettings = {
  dnd: false, autoAnswer: false, forwardTo: '', forwardMode: 'off', codecOrder: ['PCMU', 'PCMA'], srtp: 'optional', transport: 'udp',
};

interface EchoCall {
  view: CallView;
  delayMs: number;
}

export class LocalHandsetEngine implements HandsetEngine {
  readonly commands: readonly EngineCommand[];
  private state: HandsetState = {
    accounts: [], calls: [], history: [], contacts: [], messages: [], settings: defaultSettings, ladder: [], rtp: [],
    features: { calls: false, accounts: false, history: false, contacts: true, messages: false, diagnostics: false, echoTest: true },
  };
  private readonly listeners = new Set<(d: HandsetStateDelta) => void>();
  private echo: EchoCall | undefined;
  /** Bumped when an echo call starts, so open audio sessions restart their delay line. */
  private echoGeneration = 0;
  private lastDialled: string | undefined;

  constructor(private readonly now: () => number = Date.now) {
    const unavailable = (name: string, description: string, args: EngineCommand['args'] = []): EngineCommand => ({
      name, description, args, run: async () => ({ ok: false, error: `${name}: ${NO_PHONE}` }),
    });
    const ok = (value?: unknown): EngineCommandResult => ({ ok: true, value });
    this.commands = [
      {
        name: 'dial', description: 'call a SIP URI or number (*43: echo test)', args: [arg('uri', 'string', 'sip:user@host, a number, or *43', true)],
        run: async (a) => {
          const uri = (a['uri'] as string).trim();
          if (uri === ECHO_TEST_NUMBER) return this.startEcho(ECHO_DELAY_MS);
          const bad = uri.startsWith('sip') ? checkSipUri('uri', uri) : undefined;
          return bad ?? { ok: false, error: `dial: ${NO_PHONE}` };
        },
      },
      {
        name: 'echo-test', description: 'start the built-in echo test: your voice comes back after about a second',
        args: [arg('delayMs', 'number', 'delay in ms, 0-2000 (default 1000)')],
        run: async (a) => {
          const d = a['delayMs'] === undefined ? ECHO_DELAY_MS : (a['delayMs'] as number);
          if (!Number.isInteger(d) || d < 0 || d > 2000 || d % 20 !== 0) return { ok: false, error: 'delayMs must be a multiple of 20 from 0 to 2000', field: 'delayMs' };
          return this.startEcho(d);
        },
      },
      {
        name: 'hangup', description: 'end the current call', args: [arg('callId', 'string', 'which call (default: the current one)')],
        run: async () => {
          if (this.echo === undefined) return { ok: false, error: 'hangup: there is no call' };
          this.echo = undefined;
          this.emit({ calls: [] });
          return ok();
        },
      },
      {
        name: 'mute', description: 'mute or unmute the microphone in the current call', args: [arg('on', 'boolean', 'true mutes, false unmutes (default: toggle)')],
        run: async (a) => {
          if (this.echo === undefined) return { ok: false, error: 'mute: there is no call' };
          this.echo.view = { ...this.echo.view, muted: a['on'] === undefined ? !this.echo.view.muted : (a['on'] as boolean) };
          this.emit({ calls: [this.echo.view] });
          return ok(this.echo.view.muted);
        },
      },
      {
        name: 'redial', description: 'call the last number again', args: [],
        run: async () => (this.lastDialled === ECHO_TEST_NUMBER ? this.startEcho(ECHO_DELAY_MS) : { ok: false, error: this.lastDialled === undefined ? 'redial: nothing dialled yet' : `redial: ${NO_PHONE}` }),
      },
      {
        name: 'dtmf', description: 'send DTMF digits in the current call', args: [arg('digits', 'string', '0-9, *, #, A-D', true)],
        run: async (a) => {
          if (!/^[0-9*#A-D]+$/.test(a['digits'] as string)) return { ok: false, error: 'digits may hold only 0-9, *, #, A-D', field: 'digits' };
          if (this.echo !== undefined) return ok('echo test: the tones are heard locally and echoed back');
          return { ok: false, error: 'dtmf: there is no call' };
        },
      },
      {
        name: 'dnd', description: 'do not disturb on or off', args: [arg('on', 'boolean', 'default: toggle')],
        run: async (a) => this.setSettings({ dnd: a['on'] === undefined ? !this.state.settings.dnd : a['on'] }),
      },
      {
        name: 'settings-set', description: 'change settings (names the field on a bad value)',
        args: [
          arg('dnd', 'boolean', 'do not disturb'), arg('autoAnswer', 'boolean', 'answer incoming calls at once'),
          arg('forwardMode', 'string', 'off, always, busy, no-answer'), arg('forwardTo', 'string', 'forwarding target URI'),
          arg('codecOrder', 'string', 'comma-separated, e.g. PCMU,PCMA'), arg('srtp', 'string', 'off, optional, mandatory'),
          arg('transport', 'string', 'udp, tcp, tls, ws, wss'),
        ],
        run: async (a) => this.setSettings(a),
      },
      {
        name: 'account-add', description: 'add a SIP account',
        args: [arg('aor', 'string', 'address of record, sip:alice@example.com', true), arg('password', 'string', 'password', true),
          arg('displayName', 'string', 'name shown to callees'), arg('proxy', 'string', 'registrar/outbound proxy URI'), arg('transport', 'string', 'udp, tcp, tls, ws, wss')],
        run: async (a) => checkAccount(a) ?? { ok: false, error: `account-add: ${NO_PHONE}` },
      },
      {
        name: 'contact-save', description: 'add or edit a contact (kept in memory until the store exists)',
        args: [arg('id', 'string', 'the contact to edit (omit to add)'), arg('name', 'string', 'name', true), arg('uri', 'string', 'SIP URI', true)],
        run: async (a) => this.saveContact(a),
      },
      {
        name: 'contact-remove', description: 'remove a contact', args: [arg('id', 'string', 'the contact', true)],
        run: async (a) => {
          const contacts = this.state.contacts.filter((c) => c.id !== a['id']);
          if (contacts.length === this.state.contacts.length) return { ok: false, error: 'no such contact', field: 'id' };
          this.emit({ contacts });
          return ok();
        },
      },
      unavailable('answer', 'answer the ringing call'),
      unavailable('hold', 'hold or resume the current call'),
      unavailable('transfer', 'transfer the current call (blind, or attended with a consultation call)',
        [arg('target', 'string', 'where to transfer', true), arg('attended', 'boolean', 'consult first')]),
      unavailable('flash', 'send a hook flash'),
      unavailable('conference', 'merge the held and the current call'),
      unavailable('swap', 'swap between two lines'),
      unavailable('record', 'start or stop recording the current call'),
      unavailable('message-send', 'send an instant message', [arg('to', 'string', 'SIP URI', true), arg('text', 'string', 'text', true)]),
    ];
  }

  snapshot(): HandsetState {
    return this.state;
  }

  onChange(listener: (delta: HandsetStateDelta) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  openAudio(options: { sampleRate: number; frameSamples: number }): AudioSession {
    const { sampleRate, frameSamples } = options;
    let line: EchoTest | undefined;
    let generation = -1;
    const silence = new Int16Array(frameSamples);
    const muted = new Int16Array(frameSamples);
    return {
      sampleRate,
      frameSamples,
      process: (mic) => {
        const echo = this.echo;
        if (echo === undefined) return silence;
        if (generation !== this.echoGeneration) {
          generation = this.echoGeneration;
          line = new EchoTest({ sampleRate, delayMs: echo.delayMs, frameMs: (frameSamples * 1000) / sampleRate });
        }
        return line!.process(echo.view.muted ? muted : mic, new Int16Array(frameSamples));
      },
      close: () => {
        line = undefined;
      },
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }

  private startEcho(delayMs: number): EngineCommandResult {
    this.lastDialled = ECHO_TEST_NUMBER;
    this.echoGeneration++;
    this.echo = {
      delayMs,
      view: {
        id: `echo-${randomUUID()}`, direction: 'outgoing', state: 'active', account: '', remoteUri: ECHO_TEST_NUMBER, remoteName: 'Echo test',
        answeredAt: this.now(), codec: 'L16/16000', hd: true, muted: false, recording: false, quality: null,
      },
    };
    this.emit({ calls: [this.echo.view] });
    return { ok: true, value: this.echo.view.id };
  }

  /** Settings that come from the phone's own options (codecs, SRTP, the account's transport). */
  adoptSettings(s: Partial<HandsetSettings>): void {
    this.emit({ settings: { ...this.state.settings, ...s } });
  }

  private setSettings(a: Readonly<Record<string, unknown>>): EngineCommandResult {
    const next = applySettings(this.state.settings, a);
    if ('ok' in next) return next;
    this.emit({ settings: next });
    return { ok: true, value: next };
  }

  private saveContact(a: Readonly<Record<string, unknown>>): EngineCommandResult {
    const name = (a['name'] as string).trim();
    if (name === '') return { ok: false, error: 'name is required', field: 'name' };
    const bad = checkSipUri('uri', a['uri']);
    if (bad) return bad;
    const id = (a['id'] as string | undefined) ?? randomUUID();
    if (a['id'] !== undefined && !this.state.contacts.some((c) => c.id === id)) return { ok: false, error: 'no such contact', field: 'id' };
    const contact: ContactView = { id, name, uri: a['uri'] as string, presence: null };
    const contacts = a['id'] === undefined ? [...this.state.contacts, contact] : this.state.contacts.map((c) => (c.id === id ? contact : c));
    this.emit({ contacts });
    return { ok: true, value: id };
  }

  private emit(delta: HandsetStateDelta): void {
    this.state = { ...this.state, ...delta };
    for (const l of this.listeners) l(delta);
  }
}
