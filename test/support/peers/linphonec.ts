// linphonec (linphone-cli 5.1) as a peer softphone. Commands go to its stdin, one per line: with
// stdin a pipe it reads commands the same way `--pipe` + `linphonecsh generic` would, but without
// the per-user control socket /tmp/linphonec-<uid> (one per user), so several linphonecs (and
// parallel test files) do not collide. Every SQLite store points into the temp dir: without
// writable stores its core never starts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findBinary, onCleanup, freePort, makeTempDir, removeTempDir, type CleanupHost } from './env.js';
import { startPeerProcess, withTimeout } from './process.js';

export interface LinphonecOptions {
  t?: CleanupHost;
  /** Address of record, e.g. `sip:carol@127.0.0.1`; default `sip:linphonec@127.0.0.1`. */
  identity?: string;
  /** With `registrar` (e.g. kamailio `proxyUri('udp')`) it registers using `user`/`password`. */
  registrar?: string;
  user?: string;
  password?: string;
  realm?: string;
  regExpires?: number;
  /** Auto-answer incoming calls (-a). */
  autoAnswer?: boolean;
  /** SIP UDP port (it binds *:port); default a free one. */
  sipPort?: number;
  /** Extra rc-file lines appended verbatim (sections included). */
  extraRc?: string;
}

export interface Linphonec {
  sipPort: number;
  sipUri: string;
  dir: string;
  /** Process id (e.g. for `readRssKb`). */
  pid: number;
  /** Runs one console command; resolves with its output lines (commands are serialized). */
  command(text: string, timeoutMs?: number): Promise<string[]>;
  /** Resolves once `proxy list` reports "registered: yes" (polled, bounded). */
  waitForRegistration(timeoutMs?: number): Promise<void>;
  /**
   * Polls `calls` (every 100 ms, bounded) until a call is in `state` (e.g. 'StreamsRunning',
   * 'IncomingReceived', 'Paused'), or with `state` 'none' until no call is listed.
   */
  waitForCallState(state: string, timeoutMs?: number): Promise<string[]>;
  /** Resolves with the first output line (past or future) matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** "soundcard use files", then play `playWav` and record into `recordWav` in calls. */
  useFiles(playWav: string, recordWav: string): Promise<void>;
  log(): string[];
  stop(): Promise<void>;
}

export function linphonecAvailable(): boolean {
  return findBinary('linphonec') !== undefined;
}

const PROMPT = 'linphonec>';

export async function startLinphonec(opts: LinphonecOptions = {}): Promise<Linphonec> {
  const bin = findBinary('linphonec');
  if (!bin) throw new Error('linphonec not installed');
  const dir = makeTempDir('linphonec');
  const sipPort = opts.sipPort ?? (await freePort());
  const rtpPort = await freePort();
  const identity = opts.identity ?? 'sip:linphonec@127.0.0.1';
  const host = /@([^;:>]+)/.exec(identity)?.[1] ?? '127.0.0.1';
  const rc = [
    '[sip]',
    `sip_port=${sipPort}`,
    'sip_tcp_port=-1',
    'sip_tls_port=-1',
    `default_proxy=${opts.registrar ? 0 : -1}`,
    'ipv6_migration_done=1',
    '[rtp]',
    `audio_rtp_port=${rtpPort}`,
    '[sound]',
    'echocancellation=0',
    '[storage]',
    `uri=${join(dir, 'linphone.db')}`,
    `call_logs_db_uri=${join(dir, 'call-history.db')}`,
    `zrtp_secrets_db_uri=${join(dir, 'zrtp-secrets.db')}`,
    '[misc]',
    'config-uri=',
    'version_check_url_root=',
    ...(opts.registrar
      ? [
          '[proxy_0]',
          `reg_proxy=<${opts.registrar}>`,
          `reg_identity=${identity}`,
          `reg_expires=${opts.regExpires ?? 600}`,
          'reg_sendregister=1',
          'publish=0',
          '[auth_info_0]',
          `username=${opts.user ?? ''}`,
          `passwd=${opts.password ?? ''}`,
          `realm=${opts.realm ?? host}`,
          `domain=${host}`,
        ]
      : []),
    opts.extraRc ?? '',
    '',
  ].join('\n');
  const rcPath = join(dir, 'linphonerc');
  writeFileSync(rcPath, rc);
  const proc = startPeerProcess({
    name: 'linphonec',
    command: bin,
    args: ['-c', rcPath, ...(opts.autoAnswer ? ['-a'] : [])],
    cwd: dir,
    env: { ...process.env, HOME: dir },
    logFile: join(dir, 'linphonec.log'),
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (!proc.hasExited()) {
      proc.child.stdin?.write('quit\n');
      const timer = setTimeout(() => void proc.stop(1000), 3000);
      await proc.exited;
      clearTimeout(timer);
    }
    removeTempDir(dir);
  };
  onCleanup(opts.t, stop);

  let chain: Promise<unknown> = Promise.resolve();
  const command = (text: string, timeoutMs = 5000): Promise<string[]> => {
    const run = async () => {
      const from = proc.lines.length;
      // The empty line after the command makes linphonec print a bare prompt line: the end marker.
      proc.child.stdin?.write(`${text}\n\n`);
      // The echo carries the prompt unless asynchronous output (call events) already printed it.
      const echo = await proc.waitForLine(new RegExp(`^(${PROMPT} )?${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`), timeoutMs, from);
      const start = proc.lines.indexOf(echo, from) + 1;
      await proc.waitForLine(new RegExp(`^${PROMPT}\\s*$`), timeoutMs, start);
      const end = proc.lines.findIndex((l, i) => i >= start && l.trim() === PROMPT);
      return proc.lines.slice(start, end);
    };
    const p = chain.then(run, run);
    chain = p.catch(() => undefined);
    return p;
  };

  try {
    // Startup is done when the first command round-trips.
    await command('help call', 10000);
  } catch (e) {
    await proc.stop(1000);
    throw e;
  }

  return {
    sipPort,
    pid: proc.pid,
    sipUri: `sip:${/^sips?:([^@]+)@/.exec(identity)?.[1] ?? 'linphonec'}@127.0.0.1:${sipPort}`,
    dir,
    command,
    async waitForRegistration(timeoutMs = 10000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const out = await command('proxy list');
        if (out.some((l) => /registered: yes/.test(l))) return;
        if (Date.now() > end) throw new Error(`linphonec not registered in ${timeoutMs} ms:\n${out.join('\n')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async waitForCallState(state, timeoutMs = 10000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const out = await command('calls');
        const rows = out.filter((l) => /^\d+\s+\|/.test(l));
        if (state === 'none' ? rows.length === 0 : rows.some((r) => r.split('|')[2]?.trim() === state)) return out;
        if (Date.now() > end) throw new Error(`linphonec: no call in state ${state} within ${timeoutMs} ms:\n${out.join('\n')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    waitForLine: (pattern, timeoutMs = 10000) => withTimeout(proc.waitForLine(pattern, timeoutMs), timeoutMs + 100, `linphonec line ${pattern}`),
    async useFiles(playWav, recordWav) {
      await command('soundcard use files');
      await command(`play ${playWav}`);
      await command(`record ${recordWav}`);
    },
    log: () => proc.lines,
    stop,
  };
}
