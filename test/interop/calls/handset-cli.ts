// Runs the built `handset` binary (call / listen) as a child process and reads its --json events.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onCleanup, type CleanupHost } from '../../support/peers/env.js';

const main = fileURLToPath(new URL('../../../src/app/main.js', import.meta.url));

export interface HandsetEvent {
  event: string;
  [field: string]: unknown;
}

export interface HandsetProcess {
  events: HandsetEvent[];
  stderr: () => string;
  /** Resolves with the first event of that name (seen already or later). */
  waitFor(event: string, timeoutMs?: number, pred?: (e: HandsetEvent) => boolean): Promise<HandsetEvent>;
  exit: Promise<number>;
  stop(): Promise<number>;
  /** Kills at once (no clean-up in the process), resolving with the exit. */
  kill(): Promise<number>;
}

export function runHandset(args: string[], t?: CleanupHost, env: Record<string, string> = {}): HandsetProcess {
  const child = spawn(process.execPath, [main, ...args, '--json'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const events: HandsetEvent[] = [];
  const waiters: Array<() => void> = [];
  let err = '';
  let buf = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        events.push(JSON.parse(line) as HandsetEvent);
      } catch {
        err += `(stdout) ${line}\n`;
      }
      for (const w of [...waiters]) w();
    }
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exit = new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
  const stop = async (): Promise<number> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    const code = await exit;
    clearTimeout(timer);
    return code;
  };
  onCleanup(t, stop);
  return {
    events,
    stderr: () => err,
    exit,
    stop,
    kill: () => {
      child.kill('SIGKILL');
      return exit;
    },
    waitFor(event, timeoutMs = 10_000, pred = () => true) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const e = events.find((x) => x.event === event && pred(x));
          if (e) {
            clearTimeout(timer);
            waiters.splice(waiters.indexOf(check as () => void), 1);
            resolve(e);
          }
          return e !== undefined;
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(check as () => void), 1);
          reject(new Error(`no "${event}" event from handset within ${timeoutMs} ms; events: ${JSON.stringify(events)}; stderr: ${err}`));
        }, timeoutMs);
        waiters.push(check as () => void);
        void exit.then(() => check());
        check();
      });
    },
  };
}
