// Handset against sipp as a scripted registrar: 401 MD5 challenge, 423 Min-Expires, 503 with
// Retry-After, and silence for the first REGISTERs so arrival instants show Timer E (RFC 3261
// §17.1.2.2: 0, 0.5, 1.5, 3.5 s ...).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { skipUnless } from '../../support/peers/env.js';
import { startSippUas, type SippResult } from '../../support/peers/sipp.js';
import { registrar401Then200, registrar423Then200, registrar503RetryAfter, registrarIgnoreFirst } from '../../support/peers/sipp-scenarios.js';
import type { AccountConfig } from '../../../src/sip/index.js';
import { sipUri, startHandset } from './handset-under-test.js';

const skip = skipUnless('sipp');

async function against(scenario: Parameters<typeof startSippUas>[0], sippOpts: Parameters<typeof startSippUas>[1], account: Partial<AccountConfig> = {}) {
  const uas = await startSippUas(scenario, { calls: 1, timeoutS: 20, ...sippOpts });
  const h = await startHandset(['udp']);
  let server: SippResult;
  try {
    h.register(
      { aor: sipUri('sip:alice@handset.test'), password: 'pw-1', proxy: sipUri(`sip:127.0.0.1:${uas.port}`), ...account },
      { unregisterTimeoutMs: 300 },
    );
    const first = await h.waitFor((e) => e.type === 'registered' || (e.type === 'registration-failed' && e.permanent), 20_000);
    server = await uas.done;
    return { h, first, server, events: [...h.events] };
  } finally {
    await h.close();
  }
}

const registersReceived = (r: SippResult) => r.messages.filter((m) => m.direction === 'received' && m.firstLine.startsWith('REGISTER'));

test('sipp registrar: 401 MD5 challenge answered, registered', { skip }, async (t) => {
  const s = registrar401Then200('alice', 'pw-1', 'handset.test');
  const { first, server } = await against(s.scenario, { t, keys: s.keys! });
  assert.equal(first.type, 'registered', JSON.stringify(first));
  assert.equal(server.exitCode, 0, server.errors);
  const regs = registersReceived(server);
  assert.equal(regs.length, 2);
  assert.match(regs[1]!.text, /Authorization: Digest username="alice", realm="handset\.test", nonce="[^"]+", uri="sip:handset\.test", response="[0-9a-f]{32}", algorithm=MD5, cnonce="[0-9a-f]+", opaque="sipp-opaque", qop=auth, nc=00000001/);
});

test('sipp registrar: wrong password is a permanent, clear failure', { skip }, async (t) => {
  const s = registrar401Then200('alice', 'pw-1', 'handset.test');
  const { first } = await against(s.scenario, { t, keys: s.keys! }, { password: 'pw-2' });
  assert.ok(first.type === 'registration-failed' && first.permanent, JSON.stringify(first));
  assert.match(first.reason, /403|credentials rejected/);
});

test('sipp registrar: 423 → retried with Min-Expires', { skip }, async (t) => {
  const s = registrar423Then200(1800);
  const { first, server } = await against(s.scenario, { t, keys: s.keys! }, { expires: 600 });
  assert.equal(first.type, 'registered', JSON.stringify(first));
  assert.equal(server.exitCode, 0, server.errors);
  const regs = registersReceived(server);
  assert.match(regs[0]!.text, /\r\nExpires: 600\r\n/);
  assert.match(regs[1]!.text, /\r\nExpires: 1800\r\n/);
  assert.match(regs[1]!.text, /;expires=1800\r\n/);
});

test('sipp registrar: 503 with Retry-After: 2 → next REGISTER 2 s later', { skip }, async (t) => {
  const s = registrar503RetryAfter(2);
  const { first, server, events } = await against(s.scenario, { t, keys: s.keys! });
  assert.equal(first.type, 'registered', JSON.stringify(first));
  const failed = events.find((e) => e.type === 'registration-failed');
  assert.ok(failed?.type === 'registration-failed');
  assert.deepEqual([failed.status, failed.retryInMs, failed.permanent], [503, 2000, false]);
  const regs = registersReceived(server);
  const gap = regs[1]!.timeMs - regs[0]!.timeMs;
  assert.ok(gap >= 1950 && gap <= 2600, `gap ${gap} ms`);
});

test('sipp registrar ignoring the first 5 REGISTERs: retransmissions at Timer E instants', { skip }, async (t) => {
  const s = registrarIgnoreFirst(5);
  const { first, server } = await against(s.scenario, { t, noRetransmissions: true });
  assert.equal(first.type, 'registered', JSON.stringify(first));
  const regs = registersReceived(server);
  assert.equal(regs.length, 6);
  const t0 = regs[0]!.timeMs;
  const offsets = regs.map((r) => (r.timeMs - t0) / 1000);
  // T1 = 500 ms, doubling up to T2 = 4 s: 0, 0.5, 1.5, 3.5, 7.5, 11.5 (± 250 ms of scheduling on a busy CI host).
  const want = [0, 0.5, 1.5, 3.5, 7.5, 11.5];
  for (const [i, w] of want.entries()) assert.ok(Math.abs(offsets[i]! - w) <= 0.25, `retransmission ${i} at ${offsets[i]} s, want ${w} s`);
  // Each is the same request: one branch, one CSeq.
  assert.equal(new Set(regs.map((r) => /branch=([^;\r\n]+)/.exec(r.text)?.[1])).size, 1);
});
