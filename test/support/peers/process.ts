// Child processes for interop peers: spawn, watch output for ready markers (never sleep),
// stop with SIGTERM then SIGKILL, and kill everything left when the test process exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';

/** What `startPeerProcess` needs. Output is also appended to `logFile` when given. */
export interface PeerProcessOptions {
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  logFile?: string;
}

/** A running peer process with its combined stdout+stderr as lines. */
export interface PeerProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** Every output line so far (stdout and stderr interleaved as they arrived). */
  readonly lines: string[];
  /** `performance.now()` when each line of `lines` arrived (same index). */
  readonly lineTimes: number[];
  /** `performance.now()` just before spawn (for start-up timing in benchmarks). */
  readonly spawnedAt: number;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  readonly exited: Promise<number | string>;
  /** True once the process has exited. */
  hasExited(): boolean;
  /** Resolves with the first line (past or future) that matches; rejects on timeout or exit. */
  waitForLine(pattern: RegExp, timeoutMs: number, fromLine?: number): Promise<string>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
  /** The last `n` output lines, for error messages. */
  tail(n?: number): string;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Signals the peer's whole process group (peers are spawned detached, each leading its own
 * group): kamailio forks workers, and SIGKILL to its main process alone would orphan them.
 */
function killGroup(c: ChildProcess, sig: NodeJS.Signals): void {
  if (c.pid === undefined) return;
  try {
    process.kill(-c.pid, sig);
  } catch {
    try { c.kill(sig); } catch { /* already gone */ }
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: process.kill is. A test that throws, times out or
  // forgets stop() still leaves no peer behind.
  process.on('exit', () => {
    for (const c of running) killGroup(c, 'SIGKILL');
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      for (const c of running) killGroup(c, 'SIGKILL');
      process.exit(sig === 'SIGINT' ? 130 : 143);
    });
  }
}

/** Spawns a peer; its output is kept line by line for ready markers and diagnostics. */
export function startPeerProcess(opts: PeerProcessOptions): PeerProcess {
  installExitHook();
  const spawnedAt = performance.now();
  const child = spawn(opts.command, opts.args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  running.add(child);
  const lines: string[] = [];
  const lineTimes: number[] = [];
  const waiters = new Set<{ pattern: RegExp; resolve: (l: string) => void }>();
  let log: WriteStream | undefined;
  if (opts.logFile) log = createWriteStream(opts.logFile, { flags: 'a' });
  let done = false;

  const onChunk = (partial: { s: string }) => (chunk: Buffer) => {
    partial.s += chunk.toString('utf8');
    let nl: number;
    while ((nl = partial.s.indexOf('\n')) >= 0) {
      const line = partial.s.slice(0, nl).replace(/\r$/, '');
      partial.s = partial.s.slice(nl + 1);
      lines.push(line);
      lineTimes.push(performance.now());
      log?.write(line + '\n');
      for (const w of waiters) {
        if (w.pattern.test(line)) {
          waiters.delete(w);
          w.resolve(line);
        }
      }
    }
  };
  child.stdout?.on('data', onChunk({ s: '' }));
  child.stderr?.on('data', onChunk({ s: '' }));

  const exited = new Promise<number | string>((resolve) => {
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (done) return;
      done = true;
      running.delete(child);
      // Whatever is left of the group (a worker that outlived its main process) goes too, and
      // the pipes are released soon after: a leftover holding them would keep node alive.
      killGroup(child, 'SIGKILL');
      setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        child.stdin?.destroy();
        log?.end();
      }, 200).unref();
      resolve(code ?? signal ?? 'unknown');
    };
    child.on('exit', finish);
    child.on('error', (err) => {
      lines.push(`spawn error: ${err.message}`);
      finish(null, null);
    });
  });

  const tail = (n = 30) => lines.slice(-n).join('\n');

  return {
    name: opts.name,
    child,
    pid: child.pid ?? -1,
    lines,
    lineTimes,
    spawnedAt,
    exited,
    hasExited: () => done,
    tail,
    waitForLine(pattern, timeoutMs, fromLine = 0) {
      for (let i = fromLine; i < lines.length; i++) {
        const l = lines[i] as string;
        if (pattern.test(l)) return Promise.resolve(l);
      }
      return new Promise<string>((resolve, reject) => {
        const w = {
          pattern,
          resolve: (l: string) => {
            clearTimeout(timer);
            resolve(l);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(w);
          reject(new Error(`${opts.name}: no line matching ${pattern} within ${timeoutMs} ms\n${tail()}`));
        }, timeoutMs);
        waiters.add(w);
        void exited.then((code) => {
          if (!waiters.has(w)) return;
          waiters.delete(w);
          clearTimeout(timer);
          reject(new Error(`${opts.name} exited (${code}) before printing ${pattern}\n${tail()}`));
        });
      });
    },
    async stop(graceMs = 3000) {
      if (done) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        if (!done) killGroup(child, 'SIGKILL');
      }, graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Rejects after `ms` with `what` in the message; for racing a ready condition. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** Resident set size of a process in kB (Linux /proc), or undefined when it cannot be read. */
export function readRssKb(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}
