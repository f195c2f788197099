// baresip as a peer softphone: generated config dir, driven over ctrl_tcp (JSON in netstrings),
// audio from a WAV (aufile), received/sent audio recorded by the sndfile module, paced aubridge player.
import { EventEmitter } from 'node:events';
import { existsSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { findBinary, onCleanup, freePort, freePortPair, makeTempDir, removeTempDir, type CleanupHost } from './env.js';
import { startPeerProcess, withTimeout } from './process.js';

export interface BaresipAccount {
  /** Address of record, e.g. `sip:alice@127.0.0.1`. */
  aor: string;
  /** Digest password; with `registrar` the account registers. */
  password?: string;
  /** Outbound proxy / registrar, e.g. kamailio's `proxyUri('udp')`. Without it: no registration. */
  registrar?: string;
  /** Registration interval in seconds (default 600 when `registrar` is set). */
  regint?: number;
  /** `auto` (default) or `manual`. */
  answermode?: 'auto' | 'manual' | 'early';
  /** `srtp`, `srtp-mand` or `dtls_srtp`; none by default. */
  mediaenc?: 'srtp' | 'srtp-mand' | 'srtp-mandf' | 'dtls_srtp';
  /** Codec names in order, e.g. ['PCMU'] (default PCMU, PCMA). */
  codecs?: string[];
  /** Extra `;key=value` account parameters. */
  extraParams?: string;
}

export interface BaresipOptions {
  t?: CleanupHost;
  /** Account(s); default one unregistered `sip:baresip@127.0.0.1` that auto-answers. */
  accounts?: BaresipAccount[];
  /** WAV to send (must match `sampleRate`, mono S16LE). Default: no audio source (silence). */
  playWav?: string;
  /** SIP port (UDP and TCP; baresip also takes port+1 for TLS). Default: a free one. */
  sipPort?: number;
  /** Sample rate of source/player (default 8000). */
  sampleRate?: number;
  /** CA file for TLS (sip_cafile). */
  caFile?: string;
  /** Extra config lines. */
  extraConfig?: string[];
  /** Extra modules to load (file names such as 'g722.so', 'opus.so'). */
  extraModules?: string[];
  /** Passes -s (SIP trace on stdout; lines visible in `log()`). */
  sipTrace?: boolean;
}

/** A ctrl_tcp event (CALL_INCOMING, CALL_ESTABLISHED, CALL_CLOSED, REGISTER_OK, ...). */
export interface BaresipEvent {
  type: string;
  class?: string;
  accountaor?: string;
  direction?: string;
  peeruri?: string;
  id?: string;
  param?: string;
  [k: string]: unknown;
}

export interface BaresipReply {
  ok: boolean;
  data: string;
}

export interface Baresip {
  sipPort: number;
  /** `sip:<user>@127.0.0.1:<sipPort>`: its direct address (user = first account's user). */
  sipUri: string;
  ctrlPort: number;
  dir: string;
  /** Sends a ctrl_tcp command (e.g. 'dial', 'sip:bob@...'; 'hangup'; 'accept'; 'reginfo'); resolves with its reply. */
  command(command: string, params?: string, timeoutMs?: number): Promise<BaresipReply>;
  /** Every event emitted as 'event' (BaresipEvent) and also as its type. */
  events: EventEmitter;
  /** Events seen so far. */
  seen: BaresipEvent[];
  /** Resolves with the first event (already seen or future) of `type` matching `pred`. */
  waitForEvent(type: string, timeoutMs?: number, pred?: (e: BaresipEvent) => boolean): Promise<BaresipEvent>;
  /**
   * Resolves when the account `user` (default: the first account's) got a 200 to its REGISTER,
   * taken from baresip's log line (`alice@host: {0/UDP/v4} 200 OK ...`): registration happens
   * before ctrl_tcp connects, so the REGISTER_OK event may never reach us. Rejects on a failure status.
   * Resolves with the milliseconds from spawning baresip to that line (start-to-registered time).
   */
  waitForRegistration(timeoutMs?: number, user?: string): Promise<number>;
  /** Process id (e.g. for `readRssKb`). */
  pid: number;
  /** Recordings written by sndfile: `dec` = what it heard, `enc` = what it sent. */
  recordings(): { dec: string[]; enc: string[] };
  log(): string[];
  /** Quits baresip (files are flushed) and removes the temp dir unless `keepDir`. */
  stop(opts?: { keepDir?: boolean }): Promise<void>;
}

export function baresipAvailable(): boolean {
  return findBinary('baresip') !== undefined;
}

function accountLine(a: BaresipAccount): string {
  const p: string[] = [`<${a.aor}>`];
  if (a.password !== undefined) p.push(`auth_pass=${a.password}`);
  if (a.registrar) p.push(`outbound="${a.registrar}"`, `regint=${a.regint ?? 600}`);
  else p.push('regint=0');
  p.push(`answermode=${a.answermode ?? 'auto'}`);
  if (a.mediaenc) p.push(`mediaenc=${a.mediaenc}`);
  p.push(`audio_codecs=${(a.codecs ?? ['PCMU', 'PCMA']).join(',')}`);
  return p.join(';') + (a.extraParams ?? '');
}

/** Encodes a ctrl_tcp netstring. */
function netstring(s: string): Buffer {
  const body = Buffer.from(s, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length}:`), body, Buffer.from(',')]);
}

/** Starts baresip; retried (up to 3 times, new ports) when a port was taken before it bound it. */
export async function startBaresip(opts: BaresipOptions = {}): Promise<Baresip> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startBaresipOnce(opts);
    } catch (e) {
      if (attempt >= 3 || opts.sipPort !== undefined || !/Address already in use/i.test(String(e))) throw e;
    }
  }
}

async function startBaresipOnce(opts: BaresipOptions): Promise<Baresip> {
  const bin = findBinary('baresip');
  if (!bin) throw new Error('baresip not installed');
  const dir = makeTempDir('baresip');
  const recDir = join(dir, 'rec');
  mkdirSync(recDir);
  // baresip binds UDP+TCP on sipPort and TLS on sipPort+1: pick a port whose successor is free too.
  const sipPort = opts.sipPort ?? (await freePortPair());
  const ctrlPort = await freePort();
  const rate = opts.sampleRate ?? 8000;
  const accounts = opts.accounts ?? [{ aor: 'sip:baresip@127.0.0.1' }];
  const modules = ['g711.so', 'aufile.so', 'aubridge.so', 'sndfile.so', 'srtp.so', 'dtls_srtp.so', ...(opts.extraModules ?? [])];
  const config = [
    'poll_method epoll',
    `sip_listen 127.0.0.1:${sipPort}`,
    'sip_trans_def udp',
    ...(opts.caFile ? [`sip_cafile ${opts.caFile}`] : []),
    'call_local_timeout 120',
    'call_max_calls 4',
    'audio_player aubridge,play',
    'audio_alert aubridge,alert',
    // aufile plays the WAV (then silence); without one an aubridge source nothing feeds is quiet.
    opts.playWav ? `audio_source aufile,${opts.playWav}` : 'audio_source aubridge,silent',
    `ausrc_srate ${rate}`,
    `auplay_srate ${rate}`,
    'ausrc_channels 1',
    'auplay_channels 1',
    'audio_level no',
    'rtp_ports 20000-39999',
    'rtp_timeout 0',
    'net_interface 127.0.0.1',
    'module_path /usr/lib/baresip/modules',
    ...modules.map((m) => `module ${m}`),
    'module_app account.so',
    'module_app menu.so',
    'module_app ctrl_tcp.so',
    `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`,
    `snd_path ${recDir}`,
    ...(opts.extraConfig ?? []),
    '',
  ].join('\n');
  writeFileSync(join(dir, 'config'), config);
  writeFileSync(join(dir, 'accounts'), accounts.map(accountLine).join('\n') + '\n');
  writeFileSync(join(dir, 'contacts'), '');

  const proc = startPeerProcess({
    name: 'baresip',
    command: bin,
    args: ['-f', dir, ...(opts.sipTrace ? ['-s'] : [])],
    cwd: dir,
    logFile: join(dir, 'baresip.log'),
  });
  let sock: Socket | undefined;
  let stopped = false;
  const stop = async (o: { keepDir?: boolean } = {}) => {
    if (stopped) return;
    stopped = true;
    if (sock && !proc.hasExited()) {
      // "quit" lets sndfile close its WAV files properly; SIGTERM also works but is harsher.
      sock.write(netstring(JSON.stringify({ command: 'quit', token: 'quit' })));
      const timer = setTimeout(() => void proc.stop(1000), 1000);
      await proc.exited;
      clearTimeout(timer);
    } else {
      await proc.stop(2000);
    }
    sock?.destroy();
    if (!o.keepDir) removeTempDir(dir);
  };
  onCleanup(opts.t, () => stop());

  try {
    await proc.waitForLine(/baresip is ready/, 10000);
    if (proc.lines.some((l) => /ctrl_tcp: failed|module .* failed|Address already in use/.test(l))) {
      throw new Error(`baresip started with errors:\n${proc.tail()}`);
    }
    sock = await withTimeout(
      new Promise<Socket>((resolve, reject) => {
        const s = connect({ host: '127.0.0.1', port: ctrlPort }, () => resolve(s));
        s.once('error', reject);
      }),
      5000,
      'connect to baresip ctrl_tcp',
    );
  } catch (e) {
    await stop({ keepDir: true });
    throw e;
  }

  const events = new EventEmitter();
  const seen: BaresipEvent[] = [];
  const pending = new Map<string, (r: BaresipReply) => void>();
  let buf = Buffer.alloc(0);
  sock.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    for (;;) {
      const colon = buf.indexOf(0x3a);
      if (colon < 0) return;
      const len = Number(buf.subarray(0, colon).toString());
      if (!Number.isInteger(len) || len < 0) {
        buf = Buffer.alloc(0);
        return;
      }
      if (buf.length < colon + 1 + len + 1) return;
      const body = buf.subarray(colon + 1, colon + 1 + len).toString('utf8');
      buf = buf.subarray(colon + 1 + len + 1);
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(body) as Record<string, unknown>;
      } catch {
        continue;
      }
      if (msg['event']) {
        const ev = msg as unknown as BaresipEvent;
        seen.push(ev);
        events.emit('event', ev);
        events.emit(ev.type, ev);
      } else if (msg['response']) {
        const token = String(msg['token'] ?? '');
        const r = pending.get(token);
        pending.delete(token);
        r?.({ ok: msg['ok'] === true, data: String(msg['data'] ?? '') });
      }
    }
  });
  sock.on('error', () => { /* baresip quitting */ });

  let tokenSeq = 0;
  const first = accounts[0] as BaresipAccount;
  const user = /^sips?:([^@;>]+)@/.exec(first.aor)?.[1] ?? 'baresip';
  const b: Baresip = {
    sipPort,
    sipUri: `sip:${user}@127.0.0.1:${sipPort}`,
    ctrlPort,
    dir,
    command(command, params, timeoutMs = 5000) {
      const token = `t${++tokenSeq}`;
      const reply = new Promise<BaresipReply>((resolve) => pending.set(token, resolve));
      sock?.write(netstring(JSON.stringify(params === undefined ? { command, token } : { command, params, token })));
      return withTimeout(reply, timeoutMs, `baresip reply to ${command}`);
    },
    events,
    seen,
    waitForEvent(type, timeoutMs = 10000, pred = () => true) {
      const hit = seen.find((e) => e.type === type && pred(e));
      if (hit) return Promise.resolve(hit);
      return withTimeout(
        new Promise<BaresipEvent>((resolve) => {
          const on = (e: BaresipEvent) => {
            if (e.type === type && pred(e)) {
              events.off('event', on);
              resolve(e);
            }
          };
          events.on('event', on);
        }),
        timeoutMs,
        `baresip event ${type}; seen: ${seen.map((e) => e.type).join(', ')}\n${proc.tail(15)}`,
      );
    },
    async waitForRegistration(timeoutMs = 10000, u = user) {
      const line = await proc.waitForLine(new RegExp(`^${u}@[^:]+: \\{\\d+/\\w+/v[46]\\} (\\d{3}) `), timeoutMs);
      const status = / \{\d+\/\w+\/v[46]\} (\d{3}) /.exec(line)?.[1];
      if (status !== '200') throw new Error(`baresip registration of ${u} failed: ${line}`);
      return (proc.lineTimes[proc.lines.indexOf(line)] ?? performance.now()) - proc.spawnedAt;
    },
    pid: proc.pid,
    recordings() {
      const files = existsSync(recDir) ? readdirSync(recDir).sort() : [];
      return {
        dec: files.filter((f) => f.endsWith('-dec.wav')).map((f) => join(recDir, f)),
        enc: files.filter((f) => f.endsWith('-enc.wav')).map((f) => join(recDir, f)),
      };
    },
    log: () => proc.lines,
    stop,
  };
  return b;
}
