// Run-time environment for peers: binaries on PATH, temp dirs, free loopback ports, cleanup.
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Absolute path of an executable on PATH (plus the sbin dirs Debian puts kamailio in), or undefined. */
export function findBinary(name: string): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/local/sbin'];
  for (const d of dirs) {
    if (!d) continue;
    const p = join(d, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch { /* next */ }
  }
  return undefined;
}

/**
 * A message for `t.skip()` / `test(..., { skip })` when a binary is missing, else false.
 * Under CI (env CI set) a missing peer is not skipped: the test fails so the gap is seen.
 */
export function skipUnless(...binaries: string[]): string | false {
  const missing = binaries.filter((b) => !findBinary(b));
  if (missing.length === 0 || process.env['CI']) return false;
  return `peer binary not installed: ${missing.join(', ')} (install the Debian packages .ci/run lists)`;
}

/** Something that takes cleanup callbacks: node:test's TestContext (`t.after`) fits. */
export interface CleanupHost {
  after(fn: () => unknown): void;
}

const cleanupStacks = new WeakMap<CleanupHost, (() => unknown)[]>();

/**
 * Registers `fn` to run when the test ends, last registered first (node:test runs `t.after`
 * hooks in registration order; peers must stop before the registrar they unregister from).
 */
export function onCleanup(t: CleanupHost | undefined, fn: () => unknown): void {
  if (!t) return;
  let stack = cleanupStacks.get(t);
  if (!stack) {
    const s: (() => unknown)[] = [];
    stack = s;
    cleanupStacks.set(t, s);
    t.after(async () => {
      const errors: unknown[] = [];
      while (s.length) {
        try {
          await (s.pop() as () => unknown)();
        } catch (e) {
          errors.push(e);
        }
      }
      if (errors.length) throw errors[0];
    });
  }
  stack.push(fn);
}

/** A fresh temp dir; removed by `removeTempDir` unless HANDSET_KEEP_PEER_DIRS is set. */
export function makeTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `handset-${prefix}-`));
}

export function removeTempDir(dir: string): void {
  if (process.env['HANDSET_KEEP_PEER_DIRS']) return;
  rmSync(dir, { recursive: true, force: true });
}

function tcpFree(host: string, port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(undefined));
    s.listen({ host, port, exclusive: true }, () => {
      const a = s.address();
      const p = typeof a === 'object' && a ? a.port : undefined;
      s.close(() => resolve(p));
    });
  });
}

function udpFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    s.once('error', () => {
      s.close();
      resolve(false);
    });
    s.bind({ address: host, port, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

const handedOut = new Set<number>();

/**
 * A loopback port that is free for both UDP and TCP on 127.0.0.1 (and on ::1 when `v6`),
 * chosen by the kernel and not handed out before in this process. There is a small window
 * before the peer binds it; peers are started right after.
 */
export async function freePort(v6 = false): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const p = await tcpFree('127.0.0.1', 0);
    if (p === undefined || handedOut.has(p)) continue;
    if (!(await udpFree('127.0.0.1', p))) continue;
    if (v6 && (!(await tcpFree('::1', p)) || !(await udpFree('::1', p)))) continue;
    handedOut.add(p);
    return p;
  }
  throw new Error('no free loopback port found in 50 attempts');
}

/** A free port `p` whose successor `p + 1` is free too (baresip puts TLS on SIP port + 1). */
export async function freePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const p = await freePort();
    const next = p + 1;
    if (next > 65535 || handedOut.has(next)) continue;
    if ((await tcpFree('127.0.0.1', next)) === undefined || !(await udpFree('127.0.0.1', next))) continue;
    handedOut.add(next);
    return p;
  }
  throw new Error('no free loopback port pair found in 50 attempts');
}

/** `n` distinct free ports (see `freePort`). */
export async function freePorts(n: number, v6 = false): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await freePort(v6));
  return out;
}

let v6Cache: Promise<boolean> | undefined;
/** True when ::1 can be bound (some containers have no IPv6 loopback). */
export function hasIpv6Loopback(): Promise<boolean> {
  v6Cache ??= udpFree('::1', 0);
  return v6Cache;
}
