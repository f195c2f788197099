// Handset registers with a real kamailio (digest auth) over UDP, TCP, TLS and WS; kamailio's
// usrloc proves the binding; wrong passwords fail clearly; a registrar restart is survived.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { hasIpv6Loopback, skipUnless } from '../../support/peers/env.js';
import { startKamailio, type Kamailio } from '../../support/peers/kamailio.js';
import type { TransportKind } from '../../../src/net/index.js';
import { handsetMain, sipUri, startHandset } from './handset-under-test.js';

const skip = skipUnless('kamailio', 'kamcmd', 'openssl');

function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 20_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [handsetMain, ...args], { timeout: timeoutMs, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

describe('registration against kamailio', { skip }, () => {
  let k: Kamailio;
  before(async () => {
    k = await startKamailio({ ipv6: false, minExpires: 10 });
  });
  after(async () => {
    await k?.stop();
  });

  for (const kind of ['udp', 'tcp', 'tls', 'ws', 'wss'] as TransportKind[]) {
    test(`registers over ${kind}; kamailio holds the binding; unregisters on stop`, async () => {
      const h = await startHandset();
      try {
        const port = { udp: k.udpPort, tcp: k.tcpPort, tls: k.tlsPort, ws: k.wsPort, wss: k.wssPort }[kind];
        const reg = h.register({
          aor: sipUri('sip:alice@127.0.0.1'),
          password: 'alice-secret',
          proxy: sipUri(`sip:127.0.0.1:${port};transport=${kind}`),
          expires: 120,
          ...(kind === 'tls' || kind === 'wss' ? { tls: { ca: [k.ca!.certPem] } } : {}),
        });
        const ev = await h.waitFor((e) => e.type !== 'unregistered');
        assert.equal(ev.type, 'registered', JSON.stringify(ev));
        assert.ok(ev.type === 'registered');
        assert.equal(ev.transport, kind);
        assert.equal(ev.target.port, port);
        assert.equal(ev.expires, 120);
        // GRUU (RFC 5627) is offered by this kamailio on every transport.
        assert.match(ev.pubGruu ?? '', /^sip:alice@127\.0\.0\.1;gr=urn:uuid:[0-9a-f-]{36}$/);
        assert.match(ev.tempGruu ?? '', /;gr$/);
        // RFC 5626: kamailio's outbound answers Require: outbound on a connection flow.
        if (kind === 'tcp' || kind === 'tls') assert.equal(ev.outbound, true);
        const bindings = await k.waitForBinding((b) => b.some((x) => x.aor === 'alice' && x.callId !== '' && x.socket.endsWith(`:${port}`)));
        const mine = bindings.find((b) => b.aor === 'alice')!;
        // kamailio names the WS listener by its TCP socket; the source it saw carries the transport.
        // (kamailio writes transport=ws for WSS sources too.)
        if (kind !== 'udp') assert.match(mine.received, new RegExp(`;transport=${kind === 'wss' ? 'wss?' : kind}$`, 'i'));
        assert.match(mine.contact, kind === 'ws' || kind === 'wss' ? new RegExp(`^sip:alice@[a-z0-9]+\\.invalid;transport=${kind}$`) : new RegExp(`^sip:alice@127\\.0\\.0\\.1`));
        assert.equal(mine.userAgent, 'Handset/interop');
        assert.match(mine.instance, /^<urn:uuid:[0-9a-f-]{36}>$/);
        assert.ok(mine.expires > 100 && mine.expires <= 120, String(mine.expires));
        await reg.stop();
        assert.deepEqual(h.events.at(-1)?.type, 'unregistered');
        await k.waitForBinding((b) => !b.some((x) => x.aor === 'alice'));
      } finally {
        await h.close();
      }
    });
  }

  test('handset register --once --json over UDP: registered then unregistered, exit 0', async () => {
    const r = await runCli(['register', '--user', 'sip:bob@127.0.0.1', '--proxy', k.proxyUri('udp'), '--listen', '127.0.0.1:0', '--once', '--json'], { HANDSET_PASSWORD: 'bob-secret' });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(lines.map((l) => l['event']), ['registered', 'unregistered']);
    assert.equal(lines[0]!['aor'], 'sip:bob@127.0.0.1');
    assert.equal(lines[0]!['registrar'], `127.0.0.1:${k.udpPort}`);
    assert.equal(lines[0]!['transport'], 'udp');
    assert.equal(lines[1]!['ok'], true);
    assert.doesNotMatch(r.stdout + r.stderr, /bob-secret/);
  });

  test('handset register: text output names transport, registrar and expiry', async () => {
    const r = await runCli(['register', '--user', 'sip:carol@127.0.0.1', '--password', 'carol-secret', '--proxy', k.proxyUri('tcp'), '--once', '--expires', '300']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^registered sip:carol@127\\.0\\.0\\.1 via tcp 127\\.0\\.0\\.1:${k.tcpPort}, expires 300 s`, 'm'));
    assert.match(r.stdout, /^unregistered sip:carol@127\.0\.0\.1$/m);
  });

  test('handset register stays registered and refreshes until SIGINT, then unregisters (exit 0)', async () => {
    const child = spawn(process.execPath, [handsetMain, 'register', '--user', 'sip:bob@127.0.0.1', '--proxy', k.proxyUri('udp'), '--expires', '10', '--json'], {
      env: { ...process.env, HANDSET_PASSWORD: 'bob-secret' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const events: Array<Record<string, unknown> & { at: number }> = [];
    let buf = '';
    const seen = (pred: (e: Record<string, unknown>) => boolean, ms: number) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out; events ${JSON.stringify(events)}`)), ms);
        const check = () => {
          if (events.some(pred)) {
            clearTimeout(timer);
            child.stdout!.off('data', check);
            resolve();
          }
        };
        child.stdout!.on('data', check);
        check();
      });
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        events.push({ ...(JSON.parse(buf.slice(0, nl)) as Record<string, unknown>), at: Date.now() });
        buf = buf.slice(nl + 1);
      }
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await seen((e) => e['event'] === 'registered' && e['refresh'] === false, 10_000);
      await k.waitForBinding((b) => b.some((x) => x.aor === 'bob'));
      // Refreshed before the 10 s run out: half-way for short bindings.
      await seen((e) => e['event'] === 'registered' && e['refresh'] === true, 10_000);
      const [first, refresh] = events.filter((e) => e['event'] === 'registered');
      const gap = refresh!.at - first!.at;
      assert.ok(gap >= 4500 && gap <= 6500, `refresh after ${gap} ms`);
      child.kill('SIGINT');
      assert.equal(await exited, 0);
      assert.equal(events.at(-1)!['event'], 'unregistered');
      await k.waitForBinding((b) => !b.some((x) => x.aor === 'bob'));
    } finally {
      child.kill('SIGKILL');
    }
  });

  test('wrong password: clear error, exit 1, password never printed', async () => {
    const r = await runCli(['register', '--user', 'sip:alice@127.0.0.1', '--password', 'not-Alices-pw', '--proxy', k.proxyUri('udp'), '--once']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^registration of sip:alice@127\.0\.0\.1 failed: 401 Unauthorized: credentials rejected for realm "127\.0\.0\.1" \(wrong user name or password\)$/m);
    assert.doesNotMatch(r.stdout + r.stderr, /not-Alices-pw/);
  });

  test('bad arguments name the field (exit 2)', async () => {
    const r1 = await runCli(['register', '--user', 'alice', '--password', 'x']);
    assert.equal(r1.code, 2);
    assert.match(r1.stderr, /--user: "alice" is not a SIP URI/);
    const r2 = await runCli(['register', '--user', 'sip:alice@127.0.0.1', '--password', 'x', '--transport', 'carrier-pigeon']);
    assert.equal(r2.code, 2);
    assert.match(r2.stderr, /--transport: "carrier-pigeon" is not one of udp, tcp, tls, ws, wss/);
    const r3 = await runCli(['register', '--user', 'sip:alice@127.0.0.1'], { HANDSET_PASSWORD: '' });
    assert.equal(r3.code, 2);
    assert.match(r3.stderr, /--password is required \(or set HANDSET_PASSWORD\)/);
  });

  test('kamailio stopped and started again: Handset re-registers within the back-off window', async () => {
    const h = await startHandset();
    try {
      const backoff = { baseAllFailedMs: 400, baseSomeOkMs: 1200, maxMs: 1600 };
      h.register({ aor: sipUri('sip:alice@127.0.0.1'), password: 'alice-secret', proxy: sipUri(k.proxyUri('tcp')), expires: 60 }, { backoff });
      await h.waitFor((e) => e.type === 'registered');
      const mark = h.events.length;
      await k.halt();
      // The TCP flow closes: recovery starts at once and backs off while kamailio is away.
      const failed = await h.waitFor((e) => e.type === 'registration-failed' && e.retryInMs !== undefined && e.retryInMs > 0, 10_000, mark);
      assert.ok(failed.type === 'registration-failed' && !failed.permanent);
      const restartedAt = Date.now();
      await k.start();
      const again = await h.waitFor((e) => e.type === 'registered', 10_000, mark);
      // The longest wait is max-time (1.6 s) plus one REGISTER exchange (slack for a busy host).
      const took = again.atMs - restartedAt;
      assert.ok(took <= backoff.maxMs + 2000, `re-registered ${took} ms after the restart`);
      const waits = h.events.slice(mark).flatMap((e) => (e.type === 'registration-failed' && e.retryInMs ? [e.retryInMs] : []));
      for (const [i, w] of waits.entries()) {
        const ceiling = Math.min(backoff.maxMs, backoff.baseAllFailedMs * 2 ** (i + 1));
        assert.ok(w >= ceiling / 2 && w <= ceiling, `wait ${i + 1}: ${w} ms outside [${ceiling / 2}, ${ceiling}]`);
      }
      await k.waitForBinding((b) => b.some((x) => x.aor === 'alice'));
    } finally {
      await h.close();
    }
  });
});

describe('registration against kamailio over IPv6 loopback', { skip }, () => {
  test('registers over UDP and TCP to [::1]', async (t) => {
    if (!(await hasIpv6Loopback())) return t.skip('no IPv6 loopback on this host');
    const k6 = await startKamailio({ t });
    const h = await startHandset([]);
    try {
      for (const kind of ['udp', 'tcp'] as const) {
        const l = await h.stack.listen({ transport: kind, address: '::1', port: 0 });
        assert.ok(l.ok);
      }
      for (const kind of ['udp', 'tcp'] as const) {
        const mark = h.events.length;
        const reg = h.register({ aor: sipUri('sip:alice@127.0.0.1'), password: 'alice-secret', proxy: sipUri(`sip:[::1]:${k6.udpPort};transport=${kind}`) });
        const ev = await h.waitFor((e) => e.type !== 'unregistered', 10_000, mark);
        assert.ok(ev.type === 'registered', JSON.stringify(ev));
        assert.deepEqual([ev.target.address, ev.target.family, ev.transport], ['::1', 'IPv6', kind]);
        assert.match(ev.contact, /^sip:alice@\[::1\]:\d+/);
        await k6.waitForBinding((b) => b.some((x) => x.aor === 'alice' && x.contact.includes('[::1]')));
        await reg.stop();
      }
    } finally {
      await h.close();
    }
  });
});
