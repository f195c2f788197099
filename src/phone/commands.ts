// The command table the faces share (ARCHITECTURE.md: one table drives CLI, web UI and scripts).
// Arguments are strings as typed; a call argument is a call id, or absent for the newest call.
import type { Phone } from './phone.js';
import type { Call } from './call.js';
import { setHold } from './hold.js';
import { swapTo } from './call-waiting.js';
import { sendDtmf, sendFlash } from './dtmf.js';
import { attendedTransfer, blindTransfer } from './transfer.js';
import { Conference } from './conference.js';
import { startRecording, stopRecording } from './recording.js';

export interface CommandResult {
  ok: boolean;
  message: string;
  data?: unknown;
}

export interface PhoneCommand {
  name: string;
  /** Argument names; `?` marks optional ones. */
  args: string[];
  description: string;
  run(phone: Phone, args: string[]): Promise<CommandResult>;
}

const done = (message: string, data?: unknown): CommandResult => ({ ok: true, message, data });
const fail = (message: string): CommandResult => ({ ok: false, message });

function pick(phone: Phone, id: string | undefined): Call | undefined {
  const calls = phone.activeCalls;
  return id === undefined || id === '' ? calls[calls.length - 1] : calls.find((c) => c.id === id);
}

/** Runs `f` on the chosen call, or says there is none. */
const onCall = (f: (phone: Phone, call: Call, args: string[]) => CommandResult | Promise<CommandResult>, callArg = 0) =>
  async (phone: Phone, args: string[]): Promise<CommandResult> => {
    const call = pick(phone, args[callArg]);
    return call === undefined ? fail(args[callArg] ? `no call ${args[callArg]}` : 'no call') : f(phone, call, args);
  };

export const phoneCommands: PhoneCommand[] = [
  {
    name: 'dial', args: ['target', 'account?'], description: 'call a SIP address (or a user of the account domain) from an account (id or AOR; default: the first)',
    run: async (phone, [target, account]) => {
      if (!target) return fail('dial: a target is required');
      const r = await phone.dial(target, account ? { account } : {});
      return typeof r === 'string' ? fail(r) : done(`calling ${r.remoteUri}${r.account ? ` from ${r.account}` : ''}`, { call: r.id, account: r.account });
    },
  },
  {
    name: 'accounts', args: [], description: 'list accounts (the first is the default) and their registration',
    run: async (phone) => done(
      phone.accounts.map((a) => `${a.id} ${a.settings.aor} ${a.registration?.state ?? 'not registering'}`).join('\n'),
      phone.accounts.map((a) => ({ id: a.id, aor: a.settings.aor, registration: a.registration?.state })),
    ),
  },
  { name: 'answer', args: ['call?'], description: 'answer a ringing call', run: onCall((_p, c) => (c.answer() ? done(`answered ${c.id}`) : fail(`${c.id} is not ringing`))) },
  {
    name: 'reject', args: ['call?', 'status?'], description: 'refuse a ringing call (486 default, 603 decline)',
    run: onCall((_p, c, a) => {
      const status = a[1] === undefined ? 486 : Number(a[1]);
      if (!Number.isInteger(status) || status < 400 || status > 699) return fail(`reject: "${a[1]}" is not a 4xx-6xx status`);
      c.reject(status);
      return done(`rejected ${c.id} with ${status}`);
    }),
  },
  { name: 'hangup', args: ['call?'], description: 'end a call (CANCEL, refuse or BYE)', run: onCall((_p, c) => (c.hangup(), done(`hung up ${c.id}`))) },
  { name: 'hold', args: ['call?'], description: 'put a call on hold', run: onCall((_p, c) => (setHold(c, true) ? done(`holding ${c.id}`) : fail(`cannot hold ${c.id} now`))) },
  { name: 'resume', args: ['call?'], description: 'take a call off hold', run: onCall((_p, c) => (setHold(c, false) ? done(`resumed ${c.id}`) : fail(`cannot resume ${c.id} now`))) },
  {
    name: 'swap', args: ['call'], description: 'talk on this call (answer or resume it), holding the others',
    run: async (phone, [id]) => {
      const c = phone.activeCalls.find((x) => x.id === id);
      return c && swapTo(phone, c) ? done(`talking on ${c.id}`) : fail(`cannot swap to ${id ?? '?'}`);
    },
  },
  { name: 'mute', args: ['call?'], description: 'stop sending our audio (local only)', run: onCall((_p, c) => (c.setMuted(true), done(`muted ${c.id}`))) },
  { name: 'unmute', args: ['call?'], description: 'send our audio again', run: onCall((_p, c) => (c.setMuted(false), done(`unmuted ${c.id}`))) },
  {
    name: 'dtmf', args: ['digits', 'call?'], description: 'send DTMF digits (RFC 4733, or SIP INFO)',
    run: async (phone, a) => onCall((p, c) => {
      const r = sendDtmf(c, p.options.clock, a[0] ?? '', p.options.dtmfMode);
      return r === 'rfc4733' || r === 'info' ? done(`sent ${a[0]} by ${r}`) : fail(r);
    }, 1)(phone, a),
  },
  {
    name: 'flash', args: ['call?'], description: 'hook flash (event 16 or INFO hf)',
    run: onCall((p, c) => {
      const r = sendFlash(c, p.options.dtmfMode);
      return r === 'rfc4733' || r === 'info' ? done(`flash by ${r}`) : fail(r);
    }),
  },
  {
    name: 'transfer', args: ['target', 'call?'], description: 'blind transfer (REFER)',
    run: async (phone, a) => onCall((p, c) => {
      const t = p.resolveTarget(a[0] ?? '');
      if (t === undefined) return fail(`transfer: "${a[0] ?? ''}" is not a SIP address`);
      return blindTransfer(c, t) ? done(`transferring ${c.id} to ${t}`) : fail(`${c.id} is not active`);
    }, 1)(phone, a),
  },
  {
    name: 'attended-transfer', args: ['call', 'consultation'], description: 'connect two of our calls to each other (REFER with Replaces)',
    run: async (phone, [a, b]) => {
      const x = pick(phone, a);
      const y = phone.activeCalls.find((c) => c.id === b);
      if (!x || !y || x === y) return fail('attended-transfer: two different active calls are needed');
      return attendedTransfer(x, y) ? done(`transferring ${x.id} to the party of ${y.id}`) : fail('both calls must be active');
    },
  },
  {
    name: 'conference', args: ['call', 'call'], description: 'merge two calls into a local 3-way conference',
    run: async (phone, [a, b]) => {
      const x = phone.activeCalls.find((c) => c.id === a);
      const y = phone.activeCalls.find((c) => c.id === b);
      if (!x || !y || x === y || x.state !== 'active' || y.state !== 'active') return fail('conference: two different active calls are needed');
      new Conference(phone.options.clock, [x, y]);
      return done(`conference of ${x.id} and ${y.id}`);
    },
  },
  {
    name: 'record', args: ['path', 'call?'], description: 'start recording a call into a two-channel WAV file (ours left, theirs right)',
    run: onCall(async (_p, c, args) => {
      const r = await startRecording(c, args[0]!);
      return r.ok ? done(`recording ${c.id} to ${args[0]}`) : fail(r.error);
    }, 1),
  },
  {
    name: 'stop-recording', args: ['call?'], description: 'stop recording; the result is the finished file',
    run: onCall(async (_p, c) => {
      const path = await stopRecording(c);
      return path ? done(`recorded ${path}`, { path }) : fail(`${c.id} is not being recorded`);
    }),
  },
  {
    name: 'calls', args: [], description: 'list calls',
    run: async (phone) => done(phone.activeCalls.map((c) => `${c.id} ${c.direction} ${c.remoteUri} ${c.state}${c.held.local ? ' held' : ''}${c.held.remote ? ' remote-held' : ''}`).join('\n'), phone.activeCalls.map((c) => ({ id: c.id, direction: c.direction, remote: c.remoteUri, state: c.state, held: c.held, muted: c.muted }))),
  },
  { name: 'history', args: [], description: 'calls so far', run: async (phone) => done(`${phone.history.rows.length} calls`, phone.history.rows) },
];
