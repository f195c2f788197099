// The web handset's command table on a Phone: the page's names and arguments (src/ui README)
// mapped to the phone's features; the echo test, settings and contacts stay the local engine's,
// and every other command of the phone's shared table (phoneCommands) is offered as the CLI has it.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  attendedTransfer, blindTransfer, Conference, phoneCommands, setHold, startRecording, stopRecording, type Call, type Phone,
} from '../phone/index.js';
import type { EngineCommand, EngineCommandArg, EngineCommandResult } from '../ui/index.js';
import { ECHO_TEST_NUMBER, type LocalHandsetEngine } from './local-engine.js';
import { arg } from './local-engine-commands.js';
import type { EngineAccounts } from './phone-engine-accounts.js';

/** What the commands need from the engine. */
export interface CommandHost {
  readonly phone: Phone;
  readonly local: LocalHandsetEngine;
  readonly accounts: EngineAccounts;
  readonly dataDir: string | undefined;
  now(): number;
  /** The call the headset talks on (newest answered, not held). */
  talkingCall(): Call | undefined;
  /** Sends the headset's microphone to `call` (before a conference takes the call's source). */
  talkOn(call: Call): void;
  emitCalls(): void;
}

/** The account form's fields (required for account-add, each optional for account-edit). */
const accountArgs = (add: boolean): EngineCommandArg[] => [
  arg('aor', 'string', 'address of record, sip:alice@example.com', add), arg('password', 'string', add ? 'password' : 'password (empty: keep)', add),
  arg('displayName', 'string', 'name shown to callees'), arg('proxy', 'string', 'registrar/outbound proxy URI'), arg('transport', 'string', 'udp, tcp, tls, ws, wss'),
];

/** How long the transfer target gets to end the replaced consultation call before we do. */
const CONSULTATION_GRACE_MS = 1000;

const ok = (value?: unknown): EngineCommandResult => ({ ok: true, value });
const fail = (error: string, field?: string): EngineCommandResult => (field === undefined ? { ok: false, error } : { ok: false, error, field });

export class PhoneEngineCommands {
  private lastDialled: { uri: string; account: string | undefined } | undefined;

  constructor(private readonly host: CommandHost) {}

  private echoActive(): boolean {
    return this.host.local.snapshot().calls.length > 0;
  }

  private localCommand(name: string): EngineCommand {
    const c = this.host.local.commands.find((x) => x.name === name);
    if (c === undefined) throw new Error(`local engine has no ${name}`);
    return c;
  }

  /** A call by id, or the newest live one. */
  private pick(callId: unknown, filter: (c: Call) => boolean = () => true): Call | undefined {
    const calls = this.host.phone.activeCalls.filter(filter);
    if (typeof callId === 'string' && callId !== '') return calls.find((c) => c.id === callId);
    return calls[calls.length - 1];
  }

  /** Runs one of the phone's shared commands (string arguments) and turns its result into ours. */
  private async runPhone(name: string, args: Array<string | undefined>): Promise<EngineCommandResult> {
    const c = phoneCommands.find((x) => x.name === name)!;
    const trimmed = [...args];
    while (trimmed.length > 0 && trimmed[trimmed.length - 1] === undefined) trimmed.pop();
    const r = await c.run(this.host.phone, trimmed as string[]);
    this.host.emitCalls();
    return r.ok ? ok(r.data ?? r.message) : fail(`${name}: ${r.message}`);
  }

  /** Calls `uri` from `account` (id or AOR; default: the default account). */
  private async dial(uri: string, account?: string): Promise<EngineCommandResult> {
    this.lastDialled = { uri, account };
    if (uri === ECHO_TEST_NUMBER) return this.localCommand('dial').run({ uri });
    const phone = this.host.phone;
    const from = account === undefined || account === '' ? phone.account : this.host.accounts.find(account);
    if (account !== undefined && account !== '' && from === undefined) return fail(`account: there is no account "${account}"`, 'account');
    const target = phone.resolveTarget(uri, from);
    if (target === undefined) return fail(`uri: "${uri}" is not a SIP address${phone.account ? '' : ' (without an account, dial sip:user@host)'}`, 'uri');
    // A new call puts the one we are talking on on hold (call waiting the other way round).
    const talking = this.host.talkingCall();
    if (talking) setHold(talking, true);
    const r = await phone.dial(target, from === undefined ? {} : { account: from });
    if (typeof r === 'string') return fail(`dial: ${r}`, 'uri');
    return ok(r.id);
  }

  build(): EngineCommand[] {
    const callIdArg = arg('callId', 'string', 'which call (default: the current one)');
    const own: EngineCommand[] = [
      {
        name: 'dial', description: 'call a SIP URI, a user of the account domain, or *43 (echo test)',
        args: [arg('uri', 'string', 'sip:user@host, a user name, or *43', true), arg('account', 'string', 'the calling account, id or AOR (default: the default account)')],
        run: (a) => this.dial((a['uri'] as string).trim(), a['account'] as string | undefined),
      },
      {
        name: 'answer', description: 'answer the ringing call', args: [callIdArg],
        run: async (a) => {
          const c = this.pick(a['callId'], (x) => x.direction === 'incoming' && x.state === 'ringing');
          if (c === undefined) return fail('answer: no call is ringing');
          const talking = this.host.talkingCall();
          if (talking) setHold(talking, true);
          return c.answer() ? (this.host.emitCalls(), ok(c.id)) : fail(`answer: ${c.id} cannot be answered now`);
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
          this.host.emitCalls();
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
          for (const c of this.host.phone.activeCalls) if (c !== to && c.state === 'active' && !c.held.local) setHold(c, true);
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
          const live = this.host.phone.activeCalls.filter((c) => c.state === 'active');
          if (live.length < 2) return fail('conference: two answered calls are needed');
          const talking = this.host.talkingCall() ?? live[live.length - 1]!;
          const other = [...live].reverse().find((c) => c !== talking)!;
          // The talking call first: its source (the headset) becomes the conference's voice.
          this.host.talkOn(talking);
          new Conference(this.host.phone.options.clock, [talking, other]);
          this.host.emitCalls();
          return ok([talking.id, other.id]);
        },
      },
      {
        name: 'redial', description: 'call the last number again', args: [],
        run: async () => (this.lastDialled === undefined ? fail('redial: nothing dialled yet') : this.dial(this.lastDialled.uri, this.lastDialled.account)),
      },
      {
        name: 'account-add', description: 'add a SIP account: it registers at once, beside the others (the first is the default)',
        args: [...accountArgs(true)],
        run: (a) => this.host.accounts.add(a),
      },
      {
        name: 'account-edit', description: 'change an account (it registers anew; not while it is in a call)',
        args: [arg('account', 'string', 'the account, id or AOR', true), ...accountArgs(false)],
        run: (a) => this.host.accounts.edit(a),
      },
      {
        name: 'account-remove', description: 'remove an account: its calls end and it unregisters',
        args: [arg('account', 'string', 'the account, id or AOR', true)],
        run: (a) => this.host.accounts.remove(a['account']),
      },
      { name: 'record', description: 'start or stop recording the current call (two-channel WAV)', args: [callIdArg], run: (a) => this.record(a['callId']) },
    ];
    const names = new Set(own.map((c) => c.name));
    // The echo test, settings, contacts, accounts and messages are the local engine's.
    const local = this.host.local.commands.filter((c) => !names.has(c.name));
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
    // A bare user name is taken in the domain of the current call's account.
    const current = this.pick(callId, (x) => x.state === 'active');
    const account = current === undefined ? undefined : this.host.phone.accountOf(current);
    const target = this.host.phone.resolveTarget(targetText.trim(), account);
    if (target === undefined) return fail(`transfer: "${targetText}" is not a SIP address`, 'target');
    if (!attended) {
      const c = current;
      if (c === undefined) return fail('transfer: there is no answered call');
      return blindTransfer(c, target) ? (this.host.emitCalls(), ok(c.id)) : fail(`transfer: ${c.id} is not active`);
    }
    // Attended, second step: a consultation call to the target is up, so connect the other call to it.
    const consultation = this.host.phone.activeCalls.find((c) => c.state === 'active' && c.remoteUri === target);
    if (consultation !== undefined) {
      const held = this.pick(callId, (x) => x !== consultation && x.state === 'active');
      if (held === undefined) return fail('transfer: no other call to connect to the consultation');
      if (!attendedTransfer(held, consultation)) return fail('transfer: both calls must be answered');
      this.dropConsultationAfterTransfer(held, consultation);
      this.host.emitCalls();
      return ok(held.id);
    }
    // First step: hold the current call and call the target from the same account.
    return this.dial(target, account?.id);
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
      this.host.phone.options.clock.setTimer(CONSULTATION_GRACE_MS, () => consultation.hangup());
    };
    held.on('transfer-progress', onProgress);
  }

  /** Toggles recording into <data dir>/recordings (the system temp folder without a data dir). */
  private async record(callId: unknown): Promise<EngineCommandResult> {
    const c = this.pick(callId, (x) => x.state === 'active');
    if (c === undefined) return fail('record: there is no answered call');
    if (c.pump.recorder !== undefined) {
      const file = await stopRecording(c);
      this.host.emitCalls();
      return ok(file);
    }
    const dir = join(this.host.dataDir ?? tmpdir(), 'recordings');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${new Date(this.host.now()).toISOString().replace(/[:.]/g, '-')}-${c.id}.wav`);
    const started = await startRecording(c, file);
    this.host.emitCalls();
    return started.ok ? ok('recording') : fail(`record: ${started.error}`);
  }

}
