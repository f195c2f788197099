// Start-to-registered time over loopback UDP with kamailio (digest auth), Handset beside baresip
// measured the same way in the same run: from spawning the process to the moment its
// registration is seen (Handset: the `registered` JSON line of `handset register`; baresip: its
// "200 OK" REGISTER log line). Also Handset in-process (from stack start to the registered
// event), and the idle RSS of each while registered.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNetTransport } from '../src/net/index.js';
import { parseUri, Registration, SipStack, StreamFramer, type SipUri } from '../src/sip/index.js';
import { SystemClock } from '../src/util/index.js';
import { startKamailio, kamailioAvailable, type Kamailio } from '../test/support/peers/kamailio.js';
import { baresipAvailable, startBaresip } from '../test/support/peers/baresip.js';
import { sleep } from '../test/support/wait.js';

const RUNS = 5;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function rssKiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

/** Spawns `handset register`, resolves at its first JSON line (the registered event). */
function spawnHandset(k: Kamailio, user: string, once: boolean): Promise<{ ms: number; child: ChildProcess }> {
  // The CLI of the same build as this benchmark.
  const main = join(dirname(fileURLToPath(import.meta.url)), '../src/app/main.js');
  const args = [main, 'register', '--user', `sip:${user}@127.0.0.1`, '--proxy', k.proxyUri('udp'), '--listen', '127.0.0.1:0', '--json', ...(once ? ['--once'] : [])];
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { env: { ...process.env, HANDSET_PASSWORD: `${user}-secret` }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer): void => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      child.stdout!.off('data', onData);
      const line = out.slice(0, nl);
      if (line.includes('"registered"')) resolve({ ms: performance.now() - t0, child });
      else reject(new Error(`handset: ${line}`));
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`handset exited ${code}`)));
  });
}

async function inProcess(k: Kamailio): Promise<number> {
  const t0 = performance.now();
  const clock = new SystemClock();
  const transport = createNetTransport({ framer: () => new StreamFramer(), clock });
  const stack = new SipStack({ transport, clock });
  await stack.listen({ transport: 'udp', address: '127.0.0.1', port: 0 });
  const aor = parseUri('sip:alice@127.0.0.1');
  const proxy = parseUri(k.proxyUri('udp'));
  if (!aor.ok || !proxy.ok) throw new Error('bad URI');
  const reg = new Registration({ stack, account: { aor: aor.value as SipUri, password: 'alice-secret', proxy: proxy.value as SipUri } });
  const ms = await new Promise<number>((resolve, reject) => {
    reg.onEvent((e) => (e.type === 'registered' ? resolve(performance.now() - t0) : e.type === 'registration-failed' ? reject(new Error(e.reason)) : undefined));
    reg.start();
  });
  await reg.stop();
  stack.close();
  await transport.close();
  return ms;
}

function pidOfBaresip(dir: string): number | undefined {
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
      if (cmd[0]?.endsWith('baresip') && cmd.includes(dir)) return Number(p);
    } catch { /* gone */ }
  }
  return undefined;
}

export async function run(): Promise<void> {
  if (!kamailioAvailable()) {
    process.stdout.write('skipped: kamailio not installed\n');
    return;
  }
  const k = await startKamailio({ ipv6: false });
  try {
    const cli: number[] = [];
    const inproc: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await spawnHandset(k, 'alice', true);
      cli.push(r.ms);
      await new Promise((res) => r.child.once('exit', res));
      inproc.push(await inProcess(k));
    }
    process.stdout.write(`handset register (spawn → registered, median of ${RUNS}): ${median(cli).toFixed(1)} ms  [${cli.map((x) => x.toFixed(0)).join(', ')}]\n`);
    process.stdout.write(`handset in-process (stack start → registered, median of ${RUNS}): ${median(inproc).toFixed(1)} ms\n`);

    let bare: number[] = [];
    if (baresipAvailable()) {
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        const b = await startBaresip({ accounts: [{ aor: 'sip:bob@127.0.0.1', password: 'bob-secret', registrar: k.proxyUri('udp') }] });
        await b.waitForRegistration(10_000, 'bob');
        bare.push(performance.now() - t0);
        await b.stop();
      }
      process.stdout.write(`baresip (spawn → registered, median of ${RUNS}): ${median(bare).toFixed(1)} ms  [${bare.map((x) => x.toFixed(0)).join(', ')}]\n`);
      process.stdout.write(`ratio handset/baresip: ${(median(cli) / median(bare)).toFixed(2)}\n`);
    } else {
      bare = [];
      process.stdout.write('baresip not installed: no comparison\n');
    }

    // Idle RSS while registered (after 2 s of idling).
    const h = await spawnHandset(k, 'carol', false);
    await sleep(2000);
    const handsetRss = rssKiB(h.child.pid!);
    h.child.kill('SIGINT');
    await new Promise((res) => h.child.once('exit', res));
    let line = `idle RSS registered: handset ${(handsetRss / 1024).toFixed(1)} MB`;
    if (baresipAvailable()) {
      const b = await startBaresip({ accounts: [{ aor: 'sip:bob@127.0.0.1', password: 'bob-secret', registrar: k.proxyUri('udp') }] });
      await b.waitForRegistration(10_000, 'bob');
      await sleep(2000);
      const pid = pidOfBaresip(b.dir);
      if (pid !== undefined) line += `, baresip ${(rssKiB(pid) / 1024).toFixed(1)} MB`;
      await b.stop();
    }
    process.stdout.write(`${line}\n`);
  } finally {
    await k.stop();
  }
}
