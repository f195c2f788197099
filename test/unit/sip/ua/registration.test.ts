import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HeaderId } from '../../../../src/sip/message/index.js';
import { backoffCeilingMs, backoffDelayMs, refreshDelayMs } from '../../../../src/sip/ua/index.js';
import { runFor } from './memory-network.js';
import { expiresOf, registerInstants, setup, sip } from './harness.js';

test('401 challenge answered, registered, refreshed before expiry with pre-emptive credentials', async () => {
  const s = await setup();
  s.register();
  await runFor(s.net, 1200_000);
  // 0: REGISTER → 401; 0: with credentials → 200 (600 s); refresh at 540 s, then every 540 s.
  assert.deepEqual(registerInstants(s), [0, 0, 540, 1080]);
  const [first, second, refresh] = s.registrar.registers;
  assert.equal(first!.request.has(HeaderId.Authorization), false);
  assert.match(second!.request.header(HeaderId.Authorization)!, /nc=00000001/);
  assert.match(refresh!.request.header(HeaderId.Authorization)!, /nc=00000002/);
  // One Call-ID, CSeq counting up (RFC 3261 §10.2.4).
  assert.deepEqual(s.registrar.registers.map((r) => r.request.cseq), [1, 2, 3, 4]);
  assert.equal(new Set(s.registrar.registers.map((r) => r.request.callId)).size, 1);
  const registered = s.events.filter((e) => e.type === 'registered');
  assert.deepEqual(registered.map((e) => [e.at / 1000, e.type === 'registered' && e.expires, e.type === 'registered' && e.refresh]), [[0, 600, false], [540, 600, true], [1080, 600, true]]);
  assert.ok(s.registrar.bindings.has('sip:alice@example.com'));
});

test('REGISTER carries Contact with +sip.instance, reg-id, expires; Supported outbound, gruu; Via rport', async () => {
  const s = await setup();
  s.register({ instanceId: 'urn:uuid:00000000-0000-4000-8000-000000000001' });
  await runFor(s.net, 10);
  const r = s.registrar.registers[0]!.request;
  assert.equal(r.requestUriText, 'sip:example.com');
  assert.equal(r.header(HeaderId.Contact), '<sip:alice@192.0.2.1:5060>;+sip.instance="<urn:uuid:00000000-0000-4000-8000-000000000001>";reg-id=1;expires=600');
  assert.equal(r.header(HeaderId.Supported), 'outbound, gruu, path');
  assert.equal(r.header(HeaderId.Expires), '600');
  assert.equal(r.header(HeaderId.MaxForwards), '70');
  assert.match(r.header(HeaderId.Via)!, /^SIP\/2\.0\/UDP 192\.0\.2\.1:5060;branch=z9hG4bK[a-z0-9]+;rport=5060;received=192\.0\.2\.1$/);
});

test('423 Interval Too Brief: retried at once with Min-Expires (RFC 3261 §10.2.8)', async () => {
  const s = await setup({ minExpires: 1800 });
  s.register();
  await runFor(s.net, 1000);
  assert.deepEqual(registerInstants(s), [0, 0, 0]);
  assert.deepEqual([expiresOf(s, 0), expiresOf(s, 1), expiresOf(s, 2)], ['600', '600', '1800']);
  const reg = s.events.find((e) => e.type === 'registered');
  assert.equal(reg?.type === 'registered' && reg.expires, 1800);
  // Refresh a minute before the 1800 s run out.
  await runFor(s.net, 1800_000);
  assert.equal(registerInstants(s)[3], 1740);
});

test('wrong password: a clear permanent failure naming the realm', async () => {
  const s = await setup();
  s.register({ password: 'Zq9-not-it' });
  await runFor(s.net, 100_000);
  assert.deepEqual(registerInstants(s), [0, 0]);
  const f = s.events.at(-1)!;
  assert.equal(f.type, 'registration-failed');
  assert.ok(f.type === 'registration-failed');
  assert.equal(f.permanent, true);
  assert.equal(f.status, 401);
  assert.match(f.reason, /credentials rejected for realm "example\.com" \(wrong user name or password\)/);
  // The password never shows up in events or on the wire.
  assert.doesNotMatch(JSON.stringify(s.events), /Zq9-not-it/);
  assert.equal(s.net.log.some((p) => p.text.includes('Zq9-not-it')), false);
});

test('challenge for a realm not configured for the account is not answered', async () => {
  const s = await setup({ realm: 'evil.example.net' });
  s.register();
  await runFor(s.net, 10_000);
  assert.equal(s.registrar.registers.length, 1);
  const f = s.events.at(-1)!;
  assert.ok(f.type === 'registration-failed' && f.permanent);
  assert.match(f.reason, /realm "evil\.example\.net", which is not configured/);
});

for (const [status, reason] of [[403, 'Forbidden'], [404, 'Not Found']] as const) {
  test(`${status} stops with a clear error`, async () => {
    const s = await setup({ script: () => ({ status, reason }) });
    s.register();
    await runFor(s.net, 3600_000);
    assert.equal(s.registrar.registers.length, 1);
    const f = s.events.at(-1)!;
    assert.ok(f.type === 'registration-failed');
    assert.deepEqual([f.permanent, f.status, f.reason], [true, status, `registrar refused the registration: ${status} ${reason}`]);
  });
}

test('503 with Retry-After: waits exactly that long (RFC 3261 §21.5.4)', async () => {
  const s = await setup({ script: (_r, n) => (n === 1 ? { status: 503, headers: [['Retry-After', '120']] } : undefined) });
  s.register();
  await runFor(s.net, 200_000);
  assert.deepEqual(registerInstants(s).slice(0, 3), [0, 120, 120]);
  const f = s.events[0]!;
  assert.ok(f.type === 'registration-failed');
  assert.deepEqual([f.permanent, f.status, f.retryInMs], [false, 503, 120_000]);
  assert.equal(s.events[1]!.type, 'registered');
});

test('503 fails over to the next RFC 3263 target at once', async () => {
  const s = await setup({
    script: (r) => (r.requestUriText && s.registrar.registers.length === 1 ? { status: 503 } : undefined),
    targets: [
      { transport: 'udp', address: '192.0.2.10', port: 5060, family: 'IPv4' },
      { transport: 'udp', address: '192.0.2.10', port: 5060, family: 'IPv4' },
    ],
  });
  s.register();
  await runFor(s.net, 1000);
  assert.deepEqual(registerInstants(s), [0, 0, 0]);
  assert.equal(s.events[0]!.type, 'registered');
});

test('no answer over UDP: Timer E retransmissions, Timer F, then RFC 5626 back-off', async () => {
  // The registrar ignores the first 11 REGISTERs (1 + 10 retransmissions = one whole transaction).
  const s = await setup({ script: (_r, n) => (n <= 11 ? 'ignore' : undefined) });
  s.register();
  await runFor(s.net, 100_000);
  const t = registerInstants(s);
  assert.deepEqual(t.slice(0, 11), [0, 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5]);
  const f = s.events[0]!;
  assert.ok(f.type === 'registration-failed');
  // Timer F at 64*T1 = 32 s; wait = 50 % of min(1800, 30 × 2^1) s with random() = 0.
  assert.deepEqual([f.at, f.status, f.permanent, f.retryInMs], [32_000, 408, false, 30_000]);
  assert.equal(t[11], 62);
  assert.equal(s.events[1]!.type, 'registered');
});

test('timeout fails over to the next target (RFC 3263 §4.3)', async () => {
  const s = await setup({
    targets: [
      { transport: 'udp', address: '192.0.2.99', port: 5060, family: 'IPv4' },
      { transport: 'udp', address: '192.0.2.10', port: 5060, family: 'IPv4' },
    ],
  });
  s.register();
  await runFor(s.net, 40_000);
  const sentTo = s.net.log.filter((p) => p.text.startsWith('REGISTER')).map((p) => [p.at / 1000, p.to.host]);
  assert.deepEqual(sentTo.slice(0, 2), [[0, '192.0.2.99'], [0.5, '192.0.2.99']]);
  assert.deepEqual(sentTo.filter(([, h]) => h === '192.0.2.10')[0], [32, '192.0.2.10']);
  assert.equal(s.events[0]!.type, 'registered');
  assert.equal(s.events[0]!.at, 32_000);
});

test('back-off grows per consecutive failure and is capped (RFC 5626 §4.5)', async () => {
  const s = await setup({ script: () => 'ignore' });
  s.register({}, { backoff: { baseAllFailedMs: 30_000, baseSomeOkMs: 90_000, maxMs: 1_800_000 } });
  await runFor(s.net, 4000_000);
  const waits = s.events.filter((e) => e.type === 'registration-failed').map((e) => (e.type === 'registration-failed' ? e.retryInMs : 0));
  // random() = 0: half of min(1800 s, 30 s × 2^n).
  assert.deepEqual(waits.slice(0, 7), [30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000]);
});

test('backoff table: ceiling and draw in [50 %, 100 %]', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 40].map((n) => backoffCeilingMs(n) / 1000), [60, 120, 240, 480, 960, 1800, 1800, 1800]);
  assert.equal(backoffCeilingMs(1, undefined, false), 180_000);
  assert.equal(backoffDelayMs(3, () => 0), 120_000);
  assert.equal(backoffDelayMs(3, () => 0.999999), 240_000);
  assert.equal(backoffDelayMs(3, () => 0.5), 180_000);
  assert.deepEqual([3600, 600, 120, 60, 30].map(refreshDelayMs), [3540_000, 540_000, 60_000, 30_000, 15_000]);
});

test('stop(): un-REGISTER with expires 0, binding removed, unregistered event', async () => {
  const s = await setup();
  const reg = s.register();
  await runFor(s.net, 1000);
  assert.ok(s.registrar.bindings.has('sip:alice@example.com'));
  const done = reg.stop();
  await runFor(s.net, 1000);
  await done;
  const last = s.registrar.registers.at(-1)!.request;
  assert.equal(last.header(HeaderId.Expires), '0');
  assert.match(last.header(HeaderId.Contact)!, /;expires=0$/);
  assert.equal(s.registrar.bindings.size, 0);
  assert.deepEqual(s.events.at(-1), { type: 'unregistered', aor: 'sip:alice@example.com', ok: true, reason: undefined, at: 1000 });
  // No refresh after stop.
  await runFor(s.net, 3600_000);
  assert.equal(s.registrar.registers.at(-1)!.request, last);
});

test('several accounts on one stack register independently', async () => {
  const s = await setup({ users: { alice: 'secret', bob: 'hunter2' } });
  s.register();
  s.register({ aor: sip('sip:bob@example.com'), password: 'hunter2' });
  await runFor(s.net, 1000);
  assert.deepEqual([...s.registrar.bindings.keys()].sort(), ['sip:alice@example.com', 'sip:bob@example.com']);
  assert.equal(s.events.filter((e) => e.type === 'registered').length, 2);
  const callIds = new Set(s.registrar.registers.map((r) => r.request.callId));
  assert.equal(callIds.size, 2);
});

test('outbound + GRUU over TCP: flow keep-alive from Flow-Timer, pub/temp GRUU, flow recovery', async () => {
  const s = await setup({ transport: 'tcp', transports: ['tcp'], outbound: true, gruu: true });
  s.register({ instanceId: 'urn:uuid:00000000-0000-4000-8000-000000000002' });
  await runFor(s.net, 1000);
  const reg = s.events[0]!;
  assert.ok(reg.type === 'registered');
  assert.equal(reg.outbound, true);
  assert.equal(reg.pubGruu, 'sip:alice@example.com;gr=urn:uuid:00000000-0000-4000-8000-000000000002');
  assert.match(reg.tempGruu ?? '', /^sip:tgruu\.\d+@example\.com;gr$/);
  const ka = (s.stack.transport as unknown as { keepAlives: Array<{ target: { connectionId?: string }; options: { intervalMs: number }; stopped: boolean }> }).keepAlives;
  assert.equal(ka.length, 1);
  // RFC 5626 §4.4.1: 80–100 % of Flow-Timer (30 s); random() = 0 → 24 s.
  assert.equal(ka[0]!.options.intervalMs, 24_000);
  assert.ok(ka[0]!.target.connectionId);
  // The registrar drops the connection: re-registered at once over a new flow.
  s.registrar.transport.breakConnection(s.registrar.transport.connectionIds()[0]!);
  await runFor(s.net, 1000);
  assert.equal(ka[0]!.stopped, true);
  const after = s.events.slice(1).map((e) => [e.type, e.at]);
  assert.deepEqual(after, [['registration-failed', 1000], ['registered', 1000]]);
  assert.equal(ka.length, 2);
  assert.notEqual(ka[1]!.target.connectionId, ka[0]!.target.connectionId);
});

test('stop() while the first REGISTER is still out: its binding is removed as soon as it exists', async () => {
  // The registrar sits on the authenticated REGISTER until its first retransmission (0.5 s).
  const s = await setup({ script: (_r, n) => (n === 2 ? 'ignore' : undefined) });
  const reg = s.register();
  await runFor(s.net, 100);
  assert.equal(reg.state, 'registering');
  const done = reg.stop();
  await runFor(s.net, 1000);
  await done;
  const sent = s.registrar.registers.map((r) => [r.at / 1000, r.request.header(HeaderId.Expires)]);
  assert.deepEqual(sent, [[0, '600'], [0, '600'], [0.5, '600'], [0.5, '0']]);
  assert.deepEqual(s.events.map((e) => e.type), ['unregistered']);
  assert.equal(s.registrar.bindings.size, 0);
  assert.equal(s.events.at(-1)?.type, 'unregistered');
  assert.equal(reg.state, 'unregistered');
});

test('stop() before anything was sent or bound: no REGISTER at all', async () => {
  const s = await setup({ script: () => 'ignore' });
  const reg = s.register();
  await runFor(s.net, 40_000);
  // Waiting for the back-off retry: nothing bound, nothing in flight.
  assert.equal(reg.state, 'waiting');
  const before = s.registrar.registers.length;
  await reg.stop();
  await runFor(s.net, 3600_000);
  assert.equal(s.registrar.registers.length, before);
  assert.equal(reg.state, 'unregistered');
});

test('an outbound proxy goes in Route as a loose router (once, even when the URI has lr)', async () => {
  const s = await setup();
  s.register({ proxy: sip('sip:192.0.2.10:5060;lr;transport=udp') });
  await runFor(s.net, 10);
  assert.equal(s.registrar.registers[0]!.request.header(HeaderId.Route), '<sip:192.0.2.10:5060;transport=udp;lr>');
  assert.equal(s.events[0]!.type, 'registered');
});
