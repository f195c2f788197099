// The user agents under test for bench/calls.ts: Handset's CLI (`listen --auto-answer`, `call`)
// from the same build as the benchmark, and a lean auto-answering baresip for load runs (the
// test harness's baresip records every call to WAV and allows 4 calls; neither suits load).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findBinary, freePort, freePortPair, makeTempDir, removeTempDir } from '../test/support/peers/env.js';
import { startPeerProcess, type PeerProcess } from '../test/support/peers/process.js';
import { makeToneWav } from '../test/support/peers/audio.js';

/** A UA process answering calls on `port` (127.0.0.1). */
export interface Callee {
  name: string;
  port: number;
  pid: number;
  /** `user` for the Request-URI (baresip matches it against its account). */
  user: string;
  stop(): Promise<void>;
}

const handsetMain = (): string => join(dirname(fileURLToPath(import.meta.url)), '../src/app/main.js');

/**
 * An auto-answering Handset on a free port: `handset listen --auto-answer` itself (`lines`
 * undefined), or bench/calls-callee-main.ts with `lines` lines (the CLI allows 2 at once).
 * `nodeArgs` e.g. ['--cpu-prof', '--cpu-prof-dir', d].
 */
export async function startHandsetCallee(nodeArgs: string[] = [], lines?: number): Promise<Callee> {
  const port = await freePort();
  const here = dirname(fileURLToPath(import.meta.url));
  const args = lines === undefined
    ? [handsetMain(), 'listen', '--auto-answer', '--listen', `127.0.0.1:${port}`]
    : [join(here, 'calls-callee-main.js'), String(port), String(lines)];
  const proc = startPeerProcess({ name: 'handset-listen', command: process.execPath, args: [...nodeArgs, ...args] });
  await proc.waitForLine(/^ready/, 15_000);
  // Without --json the CLI still prints one line per event; drop them so a long run holds no log.
  const dropLines = setInterval(() => (proc.lines.length = 0, proc.lineTimes.length = 0), 1000);
  return {
    name: lines === undefined ? 'handset' : 'handset*',
    port,
    pid: proc.pid,
    user: 'handset',
    async stop() {
      clearInterval(dropLines);
      // SIGINT: a clean exit, so --cpu-prof writes its profile.
      if (!proc.hasExited()) proc.child.kill('SIGINT');
      const timer = setTimeout(() => void proc.stop(1000), 5000);
      await proc.exited;
      clearTimeout(timer);
    },
  };
}

/** One `handset call <uri>` process holding the call `holdS` seconds; resolves with its exit code. */
export async function handsetCallOnce(uri: string, holdS: number): Promise<number | string> {
  const proc = startPeerProcess({
    name: 'handset-call',
    command: process.execPath,
    args: [handsetMain(), 'call', uri, '--listen', '127.0.0.1:0', '--duration', String(holdS)],
  });
  const timer = setTimeout(() => void proc.stop(500), 20_000);
  const code = await proc.exited;
  clearTimeout(timer);
  return code;
}

/** bench/calls-caller-main.ts: one Handset process placing `calls` calls in turn; resolves with its failures. */
export async function handsetCallsInOneProcess(uri: string, calls: number, holdMs: number): Promise<number> {
  const here = dirname(fileURLToPath(import.meta.url));
  const proc = startPeerProcess({ name: 'handset-caller', command: process.execPath, args: [join(here, 'calls-caller-main.js'), uri, String(calls), String(holdMs)] });
  const timer = setTimeout(() => void proc.stop(500), 20_000 + calls * 5000);
  await proc.exited;
  clearTimeout(timer);
  const m = /^done (\d+)/m.exec(proc.lines.join('\n'));
  return m ? Number(m[1]) : calls;
}

/**
 * baresip auto-answering `sip:baresip@127.0.0.1:<port>`: G.711, a WAV tone source by default (so it
 * sends RTP as Handset sends its silence frames; `ausine` here only does 48 kHz stereo), a paced null
 * player, no recording, `maxCalls` lines, and no menu (its per-call status line would flood stdout).
 */
export async function startBaresipCallee(source: 'tone' | 'none' = 'tone', maxCalls = 2000): Promise<Callee> {
  const bin = findBinary('baresip');
  if (!bin) throw new Error('baresip not installed');
  const dir = makeTempDir('baresip-load');
  const port = await freePortPair();
  // 'none': an aubridge source nothing feeds (the test harness's choice): no audio is read or sent.
  const audioSource = source === 'tone' ? `aufile,${makeToneWav(join(dir, 'tone.wav'), { freqs: [440], seconds: 120 })}` : 'aubridge,silent';
  const config = [
    'poll_method epoll',
    `sip_listen 127.0.0.1:${port}`,
    'sip_trans_def udp',
    `call_max_calls ${maxCalls}`,
    'audio_player aubridge,play',
    `audio_source ${audioSource}`,
    'ausrc_srate 8000',
    'auplay_srate 8000',
    'ausrc_channels 1',
    'auplay_channels 1',
    'audio_level no',
    'rtp_ports 20000-39999',
    'rtp_timeout 0',
    'net_interface 127.0.0.1',
    'module_path /usr/lib/baresip/modules',
    'module g711.so',
    'module aufile.so',
    'module aubridge.so',
    'module_app account.so',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'config'), config);
  writeFileSync(join(dir, 'accounts'), '<sip:baresip@127.0.0.1>;regint=0;answermode=auto;audio_codecs=PCMU,PCMA\n');
  writeFileSync(join(dir, 'contacts'), '');
  const proc: PeerProcess = startPeerProcess({ name: 'baresip-load', command: bin, args: ['-f', dir], cwd: dir });
  try {
    await proc.waitForLine(/baresip is ready/, 10_000);
  } catch (e) {
    await proc.stop(500);
    throw new Error(`baresip did not start: ${(e as Error).message}\n${proc.tail()}`);
  }
  const dropLines = setInterval(() => (proc.lines.length = 0, proc.lineTimes.length = 0), 1000);
  return {
    name: source === 'tone' ? 'baresip' : 'baresip(no source)',
    port,
    pid: proc.pid,
    user: 'baresip',
    async stop() {
      clearInterval(dropLines);
      await proc.stop(1000);
      removeTempDir(dir);
    },
  };
}

/** CPU seconds (user + system) of a process so far, from /proc/<pid>/stat (clock ticks of 10 ms). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the ")" of the command name: state is field 3, utime 14, stime 15.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

/** Resident set size in KiB from /proc/<pid>/status. */
export function rssKiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}
