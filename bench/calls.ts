// Calls end to end (issue 5 benchmarks), Handset beside baresip in one run with the same sipp peer:
// 1. call setup time on the wire (tshark on lo): INVITE → 200 and 200 → ACK, each UA as callee
//    (sipp uac → `handset listen --auto-answer`, a library Phone answering in its 'incoming'
//    handler / baresip auto-answer) and as caller (`handset call`, a new process per call; one
//    long-running Phone placing calls in turn; baresip dialling over ctrl_tcp → sipp uas);
//    medians and ratios to baresip;
// 2. calls per second each sustains as an auto-answering callee with RTP flowing (sipp uac with
//    -rtp_echo, bounded rate ladder) and CPU / RSS at 1, 10 and 50 concurrent calls. Handset is
//    bench/calls-callee-main.ts here: the CLI's Phone allows 2 lines, too few for load.
// Env: CALLS_ONLY (default setup,rate,concurrency), CALLS_N (setup calls per case, default 30),
// CALLS_ROUNDS (callee batches taken in turn, default 3),
// CALLS_RATES (ladder, default 25,50,100,150,200,300,400), CALLS_STEP_S (seconds per step,
// default 8), CALLS_PROFILE_DIR (node --cpu-prof of the Handset callee during its ladder).
import { loadavg } from 'node:os';
import { baresipAvailable, startBaresip } from '../test/support/peers/baresip.js';
import { sippAvailable } from '../test/support/peers/sipp.js';
import { median, tsharkAvailable, type SetupTimes } from './calls-capture.js';
import { newestProfile, summarizeProfile } from './calls-profile.js';
import { atConcurrency, rateLadder, type ConcurrencyPoint, type RateStep } from './calls-load.js';
import { baresipCallerSetup, calleeSetup, handsetCallerSetup } from './calls-setup.js';
import { startBaresipCallee, startHandsetCallee, rssKiB, type Callee } from './calls-uas.js';

const out = (s: string): void => void process.stdout.write(`${s}\n`);
const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');
const ms = (x: number): string => (Number.isNaN(x) ? '   n/a' : x.toFixed(2).padStart(6));
const num = (name: string, dflt: number): number => Number(process.env[name] ?? dflt) || dflt;

function setupLine(label: string, t: SetupTimes, extra: string): string {
  return `${label.padEnd(26)} INVITE→200 ${ms(median(t.inviteTo200))} ms   200→ACK ${ms(median(t.okToAck))} ms   (n=${t.inviteTo200.length}${extra})`;
}

async function withCallee<T>(start: () => Promise<Callee>, fn: (ua: Callee) => Promise<T>): Promise<T> {
  const ua = await start();
  try {
    return await fn(ua);
  } finally {
    await ua.stop();
  }
}

/** baresip as the interop tests run it (test/support/peers: sndfile records every call, no source). */
async function harnessBaresip(): Promise<Callee> {
  const b = await startBaresip({});
  return { name: 'baresip(harness)', port: b.sipPort, pid: b.pid, user: 'baresip', stop: () => b.stop() };
}

/**
 * The callees: each started once, then called in `rounds` batches taken in turn, so load from
 * the rest of a shared machine weighs on every UA alike. The library Phone (bench/calls-callee-main.ts)
 * answers in its 'incoming' handler, without the CLI's event line on stdout before the answer.
 */
const calleeStarts = {
  cli: () => startHandsetCallee(),
  phone: () => startHandsetCallee([], 2),
  tone: () => startBaresipCallee(),
  quiet: () => startBaresipCallee('none'),
  harness: harnessBaresip,
};
type CalleeTimes = Record<keyof typeof calleeStarts, SetupTimes & { sippOk: boolean }>;

async function calleeTimes(n: number, rounds: number): Promise<CalleeTimes> {
  const keys = Object.keys(calleeStarts) as Array<keyof typeof calleeStarts>;
  const uas = new Map<keyof typeof calleeStarts, Callee>();
  const times = Object.fromEntries(keys.map((k) => [k, { inviteTo200: [], okToAck: [], sippOk: true }])) as unknown as CalleeTimes;
  try {
    for (const k of keys) uas.set(k, await calleeStarts[k]());
    for (let r = 0; r < rounds; r++) {
      for (const [k, ua] of uas) {
        const t = await calleeSetup(ua, Math.ceil(n / rounds));
        times[k].inviteTo200.push(...t.inviteTo200);
        times[k].okToAck.push(...t.okToAck);
        times[k].sippOk &&= t.sippOk;
      }
    }
    return times;
  } finally {
    for (const ua of uas.values()) await ua.stop();
  }
}

async function setupTimesSection(n: number, rounds: number): Promise<void> {
  out(`### call setup time (wire, tshark on lo; medians of ${n} calls; load ${load()})`);
  const { cli: hCallee, phone: hPhone, tone: bCallee, quiet: bQuiet, harness: bHarness } = await calleeTimes(n, rounds);
  const failed = (t: { sippOk: boolean }): string => (t.sippOk ? `, ${rounds} batches in turn` : ', sipp reported failures');
  out(setupLine('handset callee (CLI)', hCallee, failed(hCallee)));
  out(setupLine('handset Phone callee', hPhone, failed(hPhone)));
  out(setupLine('baresip callee (tone src)', bCallee, failed(bCallee)));
  out(setupLine('baresip callee (no source)', bQuiet, failed(bQuiet)));
  out(setupLine('baresip callee (harness)', bHarness, failed(bHarness)));
  out(`(load ${load()})`);
  const r = (h: SetupTimes, b: SetupTimes): string => (median(h.inviteTo200) / median(b.inviteTo200)).toFixed(2);
  for (const [label, h] of [['CLI', hCallee], ['Phone', hPhone]] as const) {
    out(`ratio handset ${label}/baresip as callee (INVITE→200): ${r(h, bCallee)} (tone source), ${r(h, bQuiet)} (no source), ${r(h, bHarness)} (harness config)`);
  }
  const callerN = Math.min(n, 10);
  const hCaller = await handsetCallerSetup(callerN);
  out(setupLine('handset call (CLI) → uas', hCaller, `, ${hCaller.failures} failed; a new process per call`));
  const hWarm = await handsetCallerSetup(n, true);
  out(setupLine('handset Phone → sipp uas', hWarm, `, ${hWarm.failures} failed; one process, calls in turn`));
  const bCaller = await baresipCallerSetup(callerN);
  out(setupLine('baresip caller → sipp uas', bCaller, `, ${bCaller.failures} failed`));
  const ratio = (h: SetupTimes, k: keyof SetupTimes): string => (median(h[k]) / median(bCaller[k])).toFixed(2);
  out(`ratio handset/baresip as caller, CLI: INVITE→200 ${ratio(hCaller, 'inviteTo200')}, 200→ACK ${ratio(hCaller, 'okToAck')}; one process: INVITE→200 ${ratio(hWarm, 'inviteTo200')}, 200→ACK ${ratio(hWarm, 'okToAck')}`);
}

function ladderLines(name: string, steps: RateStep[]): number {
  let best = 0;
  for (const s of steps) {
    const r = s.run;
    out(`  ${name.padEnd(8)} ${String(s.rate).padStart(4)} calls/s: ${s.sustained ? 'ok  ' : 'FAIL'} ${r.successful} ok ${r.failed} failed, ${(r.elapsedMs / 1000).toFixed(1)} s, exit ${r.exitCode}, UA CPU ${r.cpuPercent.toFixed(0)} %, sipp CPU ${r.sippCpuPercent.toFixed(0)} % (load ${r.loadAvg.toFixed(2)})`);
    if (s.sustained) best = s.rate;
  }
  return best;
}

async function rateSection(rates: number[], stepS: number): Promise<void> {
  const holdMs = 1000;
  out(`### calls per second as auto-answering callee (each call held ${holdMs} ms with RTP both ways; ${stepS} s per step)`);
  const profDir = process.env['CALLS_PROFILE_DIR'];
  const startH = (): Promise<Callee> => startHandsetCallee(profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [], 2000);
  const h = ladderLines('handset', await withCallee(startH, (ua) => rateLadder(ua, rates, stepS, holdMs)));
  const b = ladderLines('baresip', await withCallee(() => startBaresipCallee(), (ua) => rateLadder(ua, rates, stepS, holdMs)));
  out(`sustained: handset ${h} calls/s, baresip ${b} calls/s (highest ladder step with every call ok and on schedule; a step failing with the UA well under 100 % CPU was limited by sipp or the machine, not the UA)`);
  const prof = profDir ? newestProfile(profDir) : undefined;
  if (prof) {
    out(`handset callee CPU profile (${prof}), self time, top 20:`);
    for (const l of summarizeProfile(prof, 20)) out(`  ${l}`);
  }
}

async function concurrencySection(): Promise<void> {
  out(`### CPU and RSS at 1, 10, 50 concurrent calls (RTP flowing; CPU over 4 s with all calls up)`);
  for (const start of [() => startHandsetCallee([], 2000), () => startBaresipCallee()]) {
    await withCallee(start, async (ua) => {
      await new Promise((r) => setTimeout(r, 1000));
      const idle = rssKiB(ua.pid);
      const pts: ConcurrencyPoint[] = [];
      for (const n of [1, 10, 50]) pts.push(await atConcurrency(ua, n));
      out(`  ${ua.name.padEnd(8)} idle RSS ${(idle / 1024).toFixed(1)} MB`);
      for (const p of pts) {
        out(`  ${ua.name.padEnd(8)} ${String(p.calls).padStart(2)} calls: CPU ${p.cpuPercent.toFixed(1).padStart(5)} % of a core (${(p.cpuPercent / p.calls).toFixed(2)} %/call), RSS ${(p.rssKiB / 1024).toFixed(1)} MB (+${((p.rssKiB - idle) / 1024 / p.calls).toFixed(2)} MB/call over idle)${p.ok === p.calls ? '' : `  INVALID: only ${p.ok} calls ok`}`);
      }
      out(`  (load ${load()})`);
    });
  }
}

export async function run(): Promise<void> {
  const missing = [['sipp', sippAvailable()], ['baresip', baresipAvailable()], ['tshark', tsharkAvailable()]].filter(([, ok]) => !ok).map(([n]) => n);
  if (missing.length) {
    out(`skipped: ${missing.join(', ')} not installed`);
    return;
  }
  const only = (process.env['CALLS_ONLY'] ?? 'setup,rate,concurrency').split(',');
  if (only.includes('setup')) await setupTimesSection(num('CALLS_N', 30), num('CALLS_ROUNDS', 3));
  const rates = (process.env['CALLS_RATES'] ?? '25,50,100,150,200,300,400').split(',').map(Number).filter((x) => x > 0);
  if (only.includes('rate')) await rateSection(rates, num('CALLS_STEP_S', 8));
  if (only.includes('concurrency')) await concurrencySection();
}
