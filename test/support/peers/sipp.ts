// sipp (Debian `sip-tester` 3.6.1: no TLS, MD5 digest only) for interop tests: bounded runs on
// loopback in a fresh temp dir, with the message trace parsed into timestamped entries.
import { readdirSync, readFileSync, symlinkSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { repoRoot } from '../paths.js';
import { findBinary, onCleanup, freePort, makeTempDir, removeTempDir, type CleanupHost } from './env.js';
import { startPeerProcess } from './process.js';

/** A scenario file, inline XML, or one of sipp's built-in scenarios (`-sn`). */
export type SippScenario = { file: string } | { xml: string } | { builtin: string };

export interface SippOptions {
  t?: CleanupHost;
  scenario: SippScenario;
  /** Remote `host:port` (UAC scenarios). */
  remote?: string;
  /** Local SIP port; default a free one. */
  localPort?: number;
  /** `-t`: u1 (default), un, t1, tn. */
  transport?: 'u1' | 'un' | 't1' | 'tn';
  /** `-m` (default 1). Every run is bounded. */
  calls?: number;
  /** `-timeout` in seconds with `-timeout_error` (default 30). */
  timeoutS?: number;
  /** `-r` calls per `-rp` ms. */
  rate?: number;
  ratePeriodMs?: number;
  /** `-l` concurrent call limit. */
  limit?: number;
  /** `-s` Request-URI user. */
  service?: string;
  /** `-au` / `-ap` for `[authentication]`. */
  auth?: { user: string; password: string };
  /** `-key name value`: `[name]` in the scenario. */
  keys?: Record<string, string | number>;
  /** `-set name value`: `$name` variables. */
  vars?: Record<string, string | number>;
  /** CSV text for `-inf` (first line SEQUENTIAL/RANDOM/USER). */
  inf?: string;
  /** `-mp` media port, `-rtp_echo` echo RTP back. */
  mediaPort?: number;
  rtpEcho?: boolean;
  /** `-nr`: no UDP retransmissions by sipp, and retransmitted requests reach `<recv>` instead of being swallowed. */
  noRetransmissions?: boolean;
  /** `-trace_rtt` (response times, CSV in the result). */
  traceRtt?: boolean;
  /** Make `pcap/` symlinks to /usr/share/sip-tester/*.pcap in the working dir (for `uac_pcap`). */
  pcapDir?: boolean;
  extraArgs?: string[];
}

/** One entry of sipp's `-trace_msg` log. */
export interface SippTraceEntry {
  /** Wall-clock time in ms since the epoch, microsecond precision as a fraction. */
  timeMs: number;
  direction: 'sent' | 'received';
  transport: string;
  text: string;
  /** First line of `text` (request line or status line). */
  firstLine: string;
}

export interface SippResult {
  /** 0 all calls succeeded, 1 some failed, 97/99/255/254 see sipp docs; or a signal name. */
  exitCode: number | string;
  ok: boolean;
  stdout: string;
  stderr: string;
  /** Parsed `-trace_msg` entries in file order. */
  messages: SippTraceEntry[];
  /** `-trace_err` text (unexpected messages, failures). */
  errors: string;
  /** `-trace_rtt` CSV text when asked for. */
  rtt: string | undefined;
  localPort: number;
  durationMs: number;
  dir: string;
}

export function sippAvailable(): boolean {
  return findBinary('sipp') !== undefined;
}

/** Path of a scenario in test/fixtures/peers/sipp/. */
export function sippFixture(name: string): string {
  return join(repoRoot(), 'test/fixtures/peers/sipp', name);
}

/** Parses a `-trace_msg` file. */
export function parseSippTrace(text: string): SippTraceEntry[] {
  const out: SippTraceEntry[] = [];
  const parts = text.split(/^-{20,} ?/m);
  for (const part of parts) {
    const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)\.(\d{6})\s*\n(\w+) message (sent|received)[^\n]*\n\n?/.exec(part);
    if (!m) continue;
    const ms = new Date(`${m[1]}T${m[2]}`).getTime() + Number(m[3]) / 1000;
    const body = part.slice(m[0].length).replace(/\n+$/, '\n').replace(/\r?\n/g, '\r\n');
    out.push({
      timeMs: ms,
      direction: m[5] as 'sent' | 'received',
      transport: m[4] as string,
      text: body,
      firstLine: body.slice(0, body.indexOf('\r\n')),
    });
  }
  return out;
}

interface Prepared {
  dir: string;
  args: string[];
  localPort: number;
  messageFile: string;
  errorFile: string;
}

async function prepare(opts: SippOptions): Promise<Prepared> {
  const dir = makeTempDir('sipp');
  const localPort = opts.localPort ?? (await freePort());
  const args: string[] = [];
  const sc = opts.scenario;
  if ('builtin' in sc) args.push('-sn', sc.builtin);
  else if ('file' in sc) args.push('-sf', sc.file);
  else {
    const f = join(dir, 'scenario.xml');
    writeFileSync(f, sc.xml);
    args.push('-sf', f);
  }
  if (opts.remote) args.push(opts.remote);
  const messageFile = join(dir, 'messages.log');
  const errorFile = join(dir, 'errors.log');
  args.push('-i', '127.0.0.1', '-mi', '127.0.0.1', '-p', String(localPort), '-t', opts.transport ?? 'u1');
  args.push('-m', String(opts.calls ?? 1), '-timeout', `${opts.timeoutS ?? 30}s`, '-timeout_error', '-nostdin');
  args.push('-trace_msg', '-message_file', messageFile, '-trace_err', '-error_file', errorFile);
  if (opts.rate !== undefined) args.push('-r', String(opts.rate));
  if (opts.ratePeriodMs !== undefined) args.push('-rp', String(opts.ratePeriodMs));
  if (opts.limit !== undefined) args.push('-l', String(opts.limit));
  if (opts.service) args.push('-s', opts.service);
  if (opts.auth) args.push('-au', opts.auth.user, '-ap', opts.auth.password);
  for (const [k, v] of Object.entries(opts.keys ?? {})) args.push('-key', k, String(v));
  for (const [k, v] of Object.entries(opts.vars ?? {})) args.push('-set', k, String(v));
  if (opts.inf !== undefined) {
    const f = join(dir, 'data.csv');
    writeFileSync(f, opts.inf);
    args.push('-inf', f);
  }
  if (opts.mediaPort !== undefined) args.push('-mp', String(opts.mediaPort));
  if (opts.rtpEcho) args.push('-rtp_echo');
  if (opts.noRetransmissions) args.push('-nr');
  if (opts.traceRtt) args.push('-trace_rtt', '-rtt_freq', '1');
  if (opts.pcapDir) {
    mkdirSync(join(dir, 'pcap'));
    for (const f of readdirSync('/usr/share/sip-tester').filter((n) => n.endsWith('.pcap'))) {
      symlinkSync(join('/usr/share/sip-tester', f), join(dir, 'pcap', f));
    }
  }
  args.push(...(opts.extraArgs ?? []));
  return { dir, args, localPort, messageFile, errorFile };
}

async function collect(p: Prepared, stdout: string, stderr: string, exitCode: number | string, startedAt: number): Promise<SippResult> {
  const read = async (f: string) => (existsSync(f) ? await readFile(f, 'utf8') : '');
  const rttFile = readdirSync(p.dir).find((n) => n.endsWith('_rtt.csv'));
  return {
    exitCode,
    ok: exitCode === 0,
    stdout,
    stderr,
    messages: parseSippTrace(await read(p.messageFile)),
    errors: await read(p.errorFile),
    rtt: rttFile ? await read(join(p.dir, rttFile)) : undefined,
    localPort: p.localPort,
    durationMs: Date.now() - startedAt,
    dir: p.dir,
  };
}

/** Runs a bounded sipp to completion and returns its exit code and traces (temp dir removed afterwards). */
export async function runSipp(opts: SippOptions): Promise<SippResult> {
  const bin = findBinary('sipp');
  if (!bin) throw new Error('sipp not installed');
  const p = await prepare(opts);
  const startedAt = Date.now();
  const proc = startPeerProcess({ name: 'sipp', command: bin, args: p.args, cwd: p.dir });
  onCleanup(opts.t, () => proc.stop(1000));
  // sipp bounds itself with -timeout; this is the backstop if it hangs anyway.
  const backstop = setTimeout(() => void proc.stop(1000), ((opts.timeoutS ?? 30) + 15) * 1000);
  const code = await proc.exited;
  clearTimeout(backstop);
  const res = await collect(p, proc.lines.join('\n'), '', code, startedAt);
  removeTempDir(p.dir);
  return res;
}

/** A sipp UAS running in the background; `stop()` ends it (soft stop, then kill) and returns its result. */
export interface SippUas {
  port: number;
  /** `sip:<user>@127.0.0.1:<port>` for calling it. */
  uri(user?: string): string;
  /** Resolves when sipp exits by itself (after `-m` calls or timeout). */
  done: Promise<SippResult>;
  stop(): Promise<SippResult>;
}

function boundUdpOrTcp(port: number): boolean {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const f of ['/proc/net/udp', '/proc/net/tcp', '/proc/net/udp6', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      // Columns: sl local_address rem_address st ...; a TCP socket counts only in LISTEN (0A).
      const cols = line.trim().split(/\s+/);
      if (!cols[1]?.endsWith(`:${hexPort}`)) continue;
      if (f.includes('udp') || cols[3] === '0A') return true;
    }
  }
  return false;
}

/**
 * Starts a long-running sipp UAS (`scenario`, default built-in `uas`) and resolves once its
 * socket is bound (seen in /proc/net; an OPTIONS probe would count as a call in a UAS).
 */
export async function startSippUas(scenario: SippScenario = { builtin: 'uas' }, opts: Omit<SippOptions, 'scenario'> = {}): Promise<SippUas> {
  const bin = findBinary('sipp');
  if (!bin) throw new Error('sipp not installed');
  const p = await prepare({ calls: 100, timeoutS: 120, ...opts, scenario });
  const startedAt = Date.now();
  const proc = startPeerProcess({ name: 'sipp-uas', command: bin, args: p.args, cwd: p.dir });
  let result: Promise<SippResult> | undefined;
  const finish = () => {
    result ??= proc.exited.then(async (code) => {
      const r = await collect(p, proc.lines.join('\n'), '', code, startedAt);
      removeTempDir(p.dir);
      return r;
    });
    return result;
  };
  const uas: SippUas = {
    port: p.localPort,
    uri: (user = 'service') => `sip:${user}@127.0.0.1:${p.localPort}`,
    done: finish(),
    async stop() {
      if (!proc.hasExited()) {
        proc.child.kill('SIGUSR1');
        const timer = setTimeout(() => void proc.stop(500), 1500);
        await proc.exited;
        clearTimeout(timer);
      }
      return finish();
    },
  };
  onCleanup(opts.t, () => uas.stop());
  const deadline = Date.now() + 5000;
  while (!boundUdpOrTcp(p.localPort)) {
    if (proc.hasExited()) throw new Error(`sipp UAS exited (${await proc.exited}) before binding\n${proc.tail()}`);
    if (Date.now() > deadline) {
      await proc.stop(500);
      throw new Error(`sipp UAS did not bind port ${p.localPort} in 5 s\n${proc.tail()}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return uas;
}
