// kamailio as registrar + proxy for interop tests: config generated from
// test/fixtures/peers/kamailio/kamailio.cfg.tpl into a fresh temp dir, free loopback ports,
// foreground process, ready when it answers an OPTIONS over UDP.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { makeTestCa, issueCert, type IssuedCert, type TestCa } from '../certs.js';
import { repoRoot } from '../paths.js';
import { findBinary, onCleanup, freePort, hasIpv6Loopback, makeTempDir, removeTempDir, type CleanupHost } from './env.js';
import { startPeerProcess, type PeerProcess } from './process.js';
import { optionsUdp } from './sip-probe.js';
import { parseUsrlocDump, type UsrlocBinding } from './usrloc-dump.js';

const run = promisify(execFile);

export interface TestUser {
  user: string;
  password: string;
}

export interface KamailioOptions {
  /** Registers `t.after(stop)` when given. */
  t?: CleanupHost;
  /** SIP domain (realm, alias). Default "127.0.0.1" so `sip:alice@127.0.0.1:<udpPort>` works without DNS. */
  domain?: string;
  /** Test users with fixed passwords. Default alice/bob/carol with passwords "<user>-secret". */
  users?: TestUser[];
  /** Also listen on ::1 (same ports) when the host has IPv6 loopback. Default true. */
  ipv6?: boolean;
  /** registrar min_expires (a REGISTER below it gets 423 with Min-Expires). Default 60. */
  minExpires?: number;
  /** Server certificate for TLS/WSS; default one issued by a fresh test CA for domain/localhost/127.0.0.1/::1. */
  tlsCert?: { certPath: string; keyPath: string };
  /** kamailio debug level (default 2 = notices; 3 = info, 4 = debug). */
  debug?: number;
  /** Milliseconds to wait for the first OPTIONS answer. Default 10000. */
  readyTimeoutMs?: number;
}

export interface Kamailio {
  udpPort: number;
  tcpPort: number;
  tlsPort: number;
  wsPort: number;
  wssPort: number;
  /** True when listening on ::1 too (same port numbers). */
  ipv6: boolean;
  domain: string;
  users: TestUser[];
  /** Path of the binrpc unix socket: `kamcmd -s unix:<ctlSocket> ul.dump`. */
  ctlSocket: string;
  /** The test CA that issued the default TLS certificate (undefined when `tlsCert` was given). */
  ca: TestCa | undefined;
  /** The default server certificate (undefined when `tlsCert` was given). */
  serverCert: IssuedCert | undefined;
  dir: string;
  cfgPath: string;
  /** `sip:127.0.0.1:<port>;transport=<t>` for each transport (an outbound proxy URI). */
  proxyUri(transport?: 'udp' | 'tcp' | 'tls' | 'ws' | 'wss'): string;
  /** Every binding in usrloc's "location" table. */
  dumpUsrloc(): Promise<UsrlocBinding[]>;
  /** Resolves when `predicate` holds for the binding list (polls ul.dump via kamcmd every 50 ms). */
  waitForBinding(predicate: (b: UsrlocBinding[]) => boolean, timeoutMs?: number): Promise<UsrlocBinding[]>;
  /** Runs any kamcmd RPC, returning its stdout. */
  kamcmd(...args: string[]): Promise<string>;
  /** Main process id of the current run (undefined while halted). */
  pid(): number | undefined;
  /** Output lines of the current process (log at debug level `debug`). */
  log(): string[];
  /** Stops the process (bindings are lost: usrloc is in memory); `start()` brings it back on the same ports. */
  halt(): Promise<void>;
  start(): Promise<void>;
  /** halt() then start(). */
  restart(): Promise<void>;
  /** Stops the process and removes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

export function kamailioAvailable(): boolean {
  return findBinary('kamailio') !== undefined && findBinary('kamcmd') !== undefined;
}

function esc(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

function renderConfig(tpl: string, vars: Record<string, string>): string {
  const out = tpl.replace(/@@([A-Z0-9_]+)@@/g, (_, k: string) => {
    const v = vars[k];
    if (v === undefined) throw new Error(`kamailio template: no value for @@${k}@@`);
    return v;
  });
  return out;
}

/**
 * Starts kamailio; retried (up to 3 times, with new ports) when a port picked at run time was
 * taken by someone else before kamailio bound it.
 */
export async function startKamailio(opts: KamailioOptions = {}): Promise<Kamailio> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startKamailioOnce(opts);
    } catch (e) {
      if (attempt >= 3 || !/Address already in use|cannot bind|bind_sock/i.test(String(e))) throw e;
    }
  }
}

async function startKamailioOnce(opts: KamailioOptions): Promise<Kamailio> {
  const bin = findBinary('kamailio');
  const kamcmdBin = findBinary('kamcmd');
  if (!bin || !kamcmdBin) throw new Error('kamailio/kamcmd not installed');
  const domain = opts.domain ?? '127.0.0.1';
  const users = opts.users ?? ['alice', 'bob', 'carol'].map((u) => ({ user: u, password: `${u}-secret` }));
  const ipv6 = (opts.ipv6 ?? true) && (await hasIpv6Loopback());
  const dir = makeTempDir('kamailio');
  const [udpPort, tlsPort, wsPort, wssPort] = [await freePort(ipv6), await freePort(ipv6), await freePort(ipv6), await freePort(ipv6)] as [number, number, number, number];
  const tcpPort = udpPort;

  let ca: TestCa | undefined;
  let serverCert: IssuedCert | undefined;
  let tlsCert = opts.tlsCert;
  if (!tlsCert) {
    ca = makeTestCa(join(dir, 'ca'));
    const dnsNames = ['localhost', ...(/^[0-9.:]+$/.test(domain) ? [] : [domain])];
    serverCert = issueCert(ca, { name: 'kamailio', commonName: dnsNames[dnsNames.length - 1] as string, dnsNames, ipAddresses: ['127.0.0.1', '::1'] });
    tlsCert = serverCert;
  }
  const tlsCfg = join(dir, 'tls.cfg');
  writeFileSync(
    tlsCfg,
    [
      '[server:default]',
      'method = TLSv1.2+',
      'verify_certificate = no',
      'require_certificate = no',
      `private_key = ${tlsCert.keyPath}`,
      `certificate = ${tlsCert.certPath}`,
      '',
      '[client:default]',
      'method = TLSv1.2+',
      'verify_certificate = no',
      'require_certificate = no',
      '',
    ].join('\n'),
  );

  const ctlSocket = join(dir, 'ctl.sock');
  const v6Listen = ipv6
    ? [`udp:[::1]:${udpPort}`, `tcp:[::1]:${tcpPort}`, `tls:[::1]:${tlsPort}`, `tcp:[::1]:${wsPort}`, `tls:[::1]:${wssPort}`].map((l) => `listen=${l}`).join('\n')
    : '';
  const tpl = readFileSync(join(repoRoot(), 'test/fixtures/peers/kamailio/kamailio.cfg.tpl'), 'utf8');
  const cfg = renderConfig(tpl, {
    DEBUG: String(opts.debug ?? 2),
    DOMAIN: esc(domain),
    ALIAS: /^[0-9.]+$|:|^localhost$/.test(domain) ? '' : `alias="${esc(domain)}"`,
    UDP_PORT: String(udpPort),
    TCP_PORT: String(tcpPort),
    TLS_PORT: String(tlsPort),
    WS_PORT: String(wsPort),
    WSS_PORT: String(wssPort),
    LISTEN_V6: v6Listen,
    CTL_SOCKET: ctlSocket,
    MIN_EXPIRES: String(opts.minExpires ?? 60),
    TLS_CFG: tlsCfg,
    PASSWORDS: users.map((u) => `\t$sht(pw=>${u.user}) = "${esc(u.password)}";`).join('\n'),
  });
  const cfgPath = join(dir, 'kamailio.cfg');
  writeFileSync(cfgPath, cfg);

  let proc: PeerProcess | undefined;
  let generation = 0;
  const start = async () => {
    generation++;
    proc = startPeerProcess({
      name: 'kamailio',
      command: bin,
      args: ['-f', cfgPath, '-DD', '-E', '-m', '64', '-M', '8', '-P', join(dir, 'kamailio.pid'), '-Y', dir, '-w', dir],
      cwd: dir,
      logFile: join(dir, `kamailio-${generation}.log`),
    });
    const p = proc;
    const ready = optionsUdp('127.0.0.1', udpPort, opts.readyTimeoutMs ?? 10000).then((r) => {
      // Our own kamailio, not some other process that grabbed the port first.
      if (!/^Server: handset-test-kamailio/m.test(r.text)) throw new Error(`Address already in use: port ${udpPort} answered by someone else:\n${r.text}`);
    });
    const died = p.exited.then((code) => {
      throw new Error(`kamailio exited (${code}) while starting\n${p.tail(40)}`);
    });
    await Promise.race([ready, died]);
  };
  const halt = async () => {
    await proc?.stop(5000);
  };
  const kamcmd = async (...args: string[]) => {
    const r = await run(kamcmdBin, ['-s', `unix:${ctlSocket}`, ...args], { timeout: 5000 });
    return r.stdout;
  };
  const dumpUsrloc = async () => parseUsrlocDump(await kamcmd('ul.dump'));
  let stopped = false;
  const k: Kamailio = {
    udpPort,
    tcpPort,
    tlsPort,
    wsPort,
    wssPort,
    ipv6,
    domain,
    users,
    ctlSocket,
    ca,
    serverCert,
    dir,
    cfgPath,
    proxyUri(transport = 'udp') {
      const port = { udp: udpPort, tcp: tcpPort, tls: tlsPort, ws: wsPort, wss: wssPort }[transport];
      return `sip:127.0.0.1:${port};transport=${transport}`;
    },
    dumpUsrloc,
    async waitForBinding(predicate, timeoutMs = 10000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const b = await dumpUsrloc();
        if (predicate(b)) return b;
        if (Date.now() > end) throw new Error(`usrloc condition not met in ${timeoutMs} ms; bindings: ${JSON.stringify(b)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    kamcmd,
    log: () => proc?.lines ?? [],
    pid: () => (proc && !proc.hasExited() ? proc.pid : undefined),
    halt,
    start,
    async restart() {
      await halt();
      await start();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await halt();
      removeTempDir(dir);
    },
  };
  onCleanup(opts.t, () => k.stop());
  try {
    await start();
  } catch (e) {
    await k.stop();
    throw e;
  }
  return k;
}
