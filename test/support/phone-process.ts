// A Handset Phone in its own Node process (phone-process-child.ts), driven from a test over the
// IPC channel: the shared command table and a few feature calls in, call events out, and tone
// levels measured in the child from each call's received PCM. Every wait is bounded.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onCleanup, type CleanupHost } from './peers/env.js';
import type { CommandResult } from '../../src/phone/index.js';
import type { ChildOp, PhoneProcessConfig, PhoneProcessEvent, ToneReport } from './phone-process-protocol.js';

export type { PhoneProcessConfig, PhoneProcessEvent, ToneReport } from './phone-process-protocol.js';

const childMain = fileURLToPath(new URL('./phone-process-child.js', import.meta.url));

export interface WaitOptions {
  /** Only events for which this holds. */
  pred?: (e: PhoneProcessEvent) => boolean;
  /** Only events at or after this index of `events` (see `mark`). Default 0. */
  since?: number;
  timeoutMs?: number;
}

export interface PhoneProcess {
  readonly name: string;
  readonly pid: number;
  /** Every event so far, in arrival order. */
  readonly events: PhoneProcessEvent[];
  /** The child's bound SIP address. */
  readonly sip: { host: string; port: number | undefined };
  /** The index the next event will get: pass as `since` to wait only for what comes after. */
  mark(): number;
  /** The first matching event (already seen or later); rejects after `timeoutMs` (default 5 s) listing what came. */
  waitFor(event: string, o?: WaitOptions): Promise<PhoneProcessEvent>;
  /** Any request; rejects with the child's error. */
  request<T = unknown>(op: ChildOp, timeoutMs?: number): Promise<T>;
  /** One of the shared phoneCommands; rejects when its result is not ok. */
  command(name: string, ...args: string[]): Promise<CommandResult>;
  /** Tone levels at `freqs` in the last `lastMs` heard (summed over `calls`, default all live calls). */
  tone(freqs: number[], lastMs: number, o?: { calls?: string[]; windowMs?: number }): Promise<ToneReport>;
  /** Ends the phone (unregisters, BYEs) and the process. */
  close(): Promise<void>;
  /** The child's stderr so far. */
  stderr(): string;
  /** Sends a signal to the process (SIGSTOP / SIGCONT: a peer that freezes). */
  signal(sig: NodeJS.Signals): void;
}

/** Forks a phone process and resolves once it is listening and (with a password) registered. */
export async function startPhoneProcess(name: string, config: PhoneProcessConfig, t?: CleanupHost, timeoutMs = 10_000): Promise<PhoneProcess> {
  const child: ChildProcess = fork(childMain, [], { stdio: ['ignore', 'inherit', 'pipe', 'ipc'], execArgv: [] });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const events: PhoneProcessEvent[] = [];
  const waiters = new Set<() => void>();
  const replies = new Map<number, (m: { ok: boolean; value?: unknown; error?: string }) => void>();
  let nextId = 1;
  let sip: PhoneProcess['sip'] = { host: '', port: undefined };
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => {
    gone = true;
    for (const w of [...waiters]) w();
    for (const [, r] of replies) r({ ok: false, error: `${name} exited` });
  });

  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: not ready within ${timeoutMs} ms; stderr: ${err}`)), timeoutMs);
    child.on('message', (m: { type: string; [k: string]: unknown }) => {
      if (m.type === 'ready') {
        sip = m['sip'] as PhoneProcess['sip'];
        if (config.account?.password === undefined) (clearTimeout(timer), resolve());
      } else if (m.type === 'fatal') (clearTimeout(timer), reject(new Error(`${name}: ${String(m['error'])}`)));
      else if (m.type === 'reply') replies.get(m['id'] as number)?.(m as never);
      else if (m.type === 'event') {
        const e = m as unknown as PhoneProcessEvent;
        events.push(e);
        if (e.event === 'registered') (clearTimeout(timer), resolve());
        if (e.event === 'registration-failed') (clearTimeout(timer), reject(new Error(`${name}: registration failed: ${String(e['reason'])}`)));
        for (const w of [...waiters]) w();
      }
    });
    void exited.then(() => reject(new Error(`${name} exited before it was ready; stderr: ${err}`)));
  });

  const request = <T>(op: ChildOp, ms = 5000): Promise<T> => new Promise<T>((resolve, reject) => {
    if (gone) return reject(new Error(`${name} has exited`));
    const id = nextId++;
    const timer = setTimeout(() => (replies.delete(id), reject(new Error(`${name}: no reply to ${op.op} within ${ms} ms`))), ms);
    replies.set(id, (m) => {
      clearTimeout(timer);
      replies.delete(id);
      if (m.ok) resolve(m.value as T);
      else reject(new Error(`${name}: ${op.op} failed: ${m.error ?? ''}`));
    });
    child.send({ ...op, id });
  });

  const close = async (): Promise<void> => {
    if (!gone) {
      await request({ op: 'close' }, 4000).catch(() => undefined);
      const kill = setTimeout(() => child.kill('SIGKILL'), 1500);
      await exited;
      clearTimeout(kill);
    }
  };
  onCleanup(t, close);
  child.send({ type: 'start', config });
  try {
    await ready;
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }

  return {
    name,
    pid: child.pid!,
    events,
    get sip() {
      return sip;
    },
    mark: () => events.length,
    waitFor(event, o = {}) {
      const { pred = () => true, since = 0, timeoutMs: ms = 5000 } = o;
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const e = events.slice(since).find((x) => x.event === event && pred(x));
          if (e !== undefined || gone) {
            clearTimeout(timer);
            waiters.delete(check);
            if (e !== undefined) resolve(e);
            else reject(new Error(`${name} exited while waiting for "${event}"; stderr: ${err}`));
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          const seen = events.slice(since).map((x) => { const { event: n, call: c, at: _a, ...rest } = x; return `${n}${c ? `(${c})` : ''}${Object.keys(rest).length ? JSON.stringify(rest) : ''}`; }).join(' ');
          reject(new Error(`${name}: no "${event}" within ${ms} ms; events since: ${seen || 'none'}`));
        }, ms);
        waiters.add(check);
        check();
      });
    },
    request,
    async command(cmd, ...args) {
      const r = await request<CommandResult>({ op: 'command', name: cmd, args });
      if (!r.ok) throw new Error(`${name}: ${cmd} ${args.join(' ')}: ${r.message}`);
      return r;
    },
    tone(freqs, lastMs, o = {}) {
      const op: ChildOp = { op: 'tone', freqs, lastMs };
      if (o.calls) op.calls = o.calls;
      if (o.windowMs !== undefined) op.windowMs = o.windowMs;
      return request<ToneReport>(op);
    },
    close,
    stderr: () => err,
    signal: (sig) => void child.kill(sig),
  };
}
