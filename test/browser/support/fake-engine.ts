// A HandsetEngine whose state the test sets (ringing, in call...) and which records commands,
// for driving the page into states the real engine cannot reach yet.
import type { AudioSession, CallView, EngineCommand, EngineCommandArg, HandsetEngine, HandsetState, HandsetStateDelta } from '../../../src/ui/index.js';

export const idleState: HandsetState = {
  accounts: [{ id: 'a1', aor: 'sip:alice@example.com', displayName: 'Alice', transport: 'udp', proxy: '', registration: 'registered', detail: '' }],
  calls: [], history: [], contacts: [], messages: [], ladder: [], rtp: [],
  settings: { dnd: false, autoAnswer: false, forwardTo: '', forwardMode: 'off', codecOrder: ['PCMU', 'PCMA'], srtp: 'optional', transport: 'udp' },
  features: { calls: true, accounts: true, history: true, contacts: true, messages: false, diagnostics: true, echoTest: true },
};

export const ringingCall: CallView = {
  id: 'c1', direction: 'incoming', state: 'incoming', account: 'sip:alice@example.com', remoteUri: 'sip:bob@example.com', remoteName: 'Bob Example',
  answeredAt: null, codec: '', hd: false, muted: false, recording: false, quality: null,
};

export const NAMES = ['dial', 'answer', 'hangup', 'mute', 'hold', 'dnd', 'transfer', 'flash', 'conference', 'redial', 'record', 'dtmf', 'echo-test', 'swap'];

const optional = (name: string, type: EngineCommandArg['type']): EngineCommandArg => ({ name, type, required: false, description: name });
/** The fake accepts every argument the page sends; the real table declares each command's own. */
const ANY_ARGS = [optional('uri', 'string'), optional('digits', 'string'), optional('on', 'boolean'), optional('callId', 'string'), optional('target', 'string'), optional('attended', 'boolean'), optional('account', 'string')];

export class FakeEngine implements HandsetEngine {
  readonly commands: EngineCommand[];
  readonly calls: { name: string; args: Readonly<Record<string, unknown>> }[] = [];
  private state: HandsetState = idleState;
  private readonly listeners = new Set<(d: HandsetStateDelta) => void>();

  constructor() {
    this.commands = NAMES.map((name) => ({
      name, description: name, args: ANY_ARGS,
      run: async (args) => {
        this.calls.push({ name, args });
        return { ok: true };
      },
    }));
  }

  set(delta: HandsetStateDelta): void {
    this.state = { ...this.state, ...delta };
    for (const l of this.listeners) l(delta);
  }

  snapshot(): HandsetState {
    return this.state;
  }

  onChange(listener: (delta: HandsetStateDelta) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  openAudio(o: { sampleRate: number; frameSamples: number }): AudioSession {
    const silence = new Int16Array(o.frameSamples);
    return { ...o, process: () => silence, close: () => undefined };
  }

  async close(): Promise<void> {}
}
