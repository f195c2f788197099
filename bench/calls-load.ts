// Load runs for bench/calls.ts: sipp's built-in `uac` calling an auto-answering UA with RTP
// flowing both ways (the UA sends RTP, sipp `-rtp_echo` sends it back), no message trace (it
// would load sipp more than the UA). Calls per second by a bounded rate ladder; CPU and RSS of
// the UA at a fixed number of concurrent calls.
import { loadavg } from 'node:os';
import { findBinary, freePort, makeTempDir, removeTempDir } from '../test/support/peers/env.js';
import { startPeerProcess } from '../test/support/peers/process.js';
import { cpuSeconds, rssKiB, type Callee } from './calls-uas.js';
import { sleep } from '../test/support/wait.js';

export interface LoadRun {
  exitCode: number | string;
  successful: number;
  failed: number;
  elapsedMs: number;
  /** CPU of the UA during the run, in % of one core. */
  cpuPercent: number;
  /** CPU of sipp itself (sampled every 250 ms until it exits), in % of one core: near 100 = sipp is the limit. */
  sippCpuPercent: number;
  /** 1-minute load average when the run ended (the machine is shared). */
  loadAvg: number;
}

export interface LoadOptions {
  calls: number;
  /** Calls per second. */
  rate: number;
  /** Concurrent call limit. */
  limit: number;
  holdMs: number;
  timeoutS: number;
  /** Called while the run is going (for sampling); the run waits for it too. */
  during?: (pid: number) => Promise<void>;
}


/** One bounded sipp uac run against `ua`. */
export async function sippLoad(ua: Callee, o: LoadOptions): Promise<LoadRun> {
  const bin = findBinary('sipp');
  if (!bin) throw new Error('sipp not installed');
  const dir = makeTempDir('sipp-load');
  const [sipPort, mediaPort] = [await freePort(), await freePort()];
  const args = [
    '-sn', 'uac', `127.0.0.1:${ua.port}`, '-s', ua.user, '-i', '127.0.0.1', '-mi', '127.0.0.1', '-p', String(sipPort),
    '-mp', String(mediaPort), '-rtp_echo', '-m', String(o.calls), '-r', String(o.rate), '-rp', '1000', '-l', String(o.limit),
    '-d', String(o.holdMs), '-timeout', `${o.timeoutS}s`, '-timeout_error', '-nostdin',
  ];
  const cpu0 = cpuSeconds(ua.pid);
  const t0 = performance.now();
  const proc = startPeerProcess({ name: 'sipp-load', command: bin, args, cwd: dir });
  const backstop = setTimeout(() => void proc.stop(1000), (o.timeoutS + 10) * 1000);
  let sippCpu = 0;
  const sample = setInterval(() => {
    try {
      sippCpu = cpuSeconds(proc.pid);
    } catch { /* exited */ }
  }, 250);
  if (o.during) await o.during(ua.pid);
  const exitCode = await proc.exited;
  clearTimeout(backstop);
  clearInterval(sample);
  const elapsedMs = performance.now() - t0;
  const cpu = cpuSeconds(ua.pid) - cpu0;
  removeTempDir(dir);
  const out = proc.lines.join('\n');
  const count = (row: string): number => Number(new RegExp(`${row}\\s*\\|\\s*\\d+\\s*\\|\\s*(\\d+)`).exec(out)?.[1] ?? NaN);
  return { exitCode, successful: count('Successful call'), failed: count('Failed call'), elapsedMs, cpuPercent: (cpu * 100 * 1000) / elapsedMs, sippCpuPercent: (sippCpu * 100 * 1000) / elapsedMs, loadAvg: loadavg()[0]! };
}

export interface RateStep {
  rate: number;
  run: LoadRun;
  /** Every call succeeded and the run took no longer than its schedule plus slack. */
  sustained: boolean;
}

/**
 * Calls per second: each rate for `seconds` (calls = rate × seconds, each held `holdMs` with
 * RTP flowing), up the ladder until a step fails or falls behind. Bounded: every step has a
 * sipp timeout and the ladder is finite.
 */
export async function rateLadder(ua: Callee, rates: number[], seconds: number, holdMs: number): Promise<RateStep[]> {
  const steps: RateStep[] = [];
  for (const rate of rates) {
    const calls = rate * seconds;
    const run = await sippLoad(ua, { calls, rate, limit: Math.max(10, Math.ceil((rate * holdMs) / 1000) * 3), holdMs, timeoutS: seconds + 20 });
    const scheduleMs = seconds * 1000 + holdMs;
    const sustained = run.exitCode === 0 && run.successful === calls && run.elapsedMs <= scheduleMs * 1.25 + 1500;
    steps.push({ rate, run, sustained });
    if (!sustained) break;
    await sleep(1500);
  }
  return steps;
}

export interface ConcurrencyPoint {
  calls: number;
  cpuPercent: number;
  rssKiB: number;
  /** Calls sipp completed without error (less than `calls` means the figures are not for `calls`). */
  ok: number;
}

/**
 * CPU (% of a core) and RSS of the UA with `n` calls up at once (RTP flowing): all `n` set up
 * within about a second, held `holdMs`; CPU is sampled over a window while all are up.
 */
export async function atConcurrency(ua: Callee, n: number, holdMs = 8000): Promise<ConcurrencyPoint> {
  let point: ConcurrencyPoint = { calls: n, cpuPercent: NaN, rssKiB: NaN, ok: 0 };
  const run = await sippLoad(ua, {
    calls: n, rate: Math.max(n, 1), limit: n, holdMs, timeoutS: Math.ceil(holdMs / 1000) + 20,
    during: async (pid) => {
      await sleep(2500);
      const c0 = cpuSeconds(pid);
      const t0 = performance.now();
      await sleep(holdMs - 4000);
      const cpu = cpuSeconds(pid) - c0;
      point = { calls: n, cpuPercent: (cpu * 100 * 1000) / (performance.now() - t0), rssKiB: rssKiB(pid), ok: 0 };
    },
  });
  return { ...point, ok: run.exitCode === 0 ? run.successful : Math.min(run.successful, n - 1) };
}
