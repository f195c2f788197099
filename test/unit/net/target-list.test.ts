import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TargetList, failoverReasonForStatus, targetDestination, type ServerTarget } from '../../../src/net/index.js';

const a: ServerTarget = { transport: 'udp', address: '192.0.2.1', port: 5060, family: 'IPv4' };
const b: ServerTarget = { transport: 'tcp', address: '192.0.2.2', port: 5060, family: 'IPv4' };

test('TargetList walks the targets on each failure and records why', () => {
  const list = new TargetList([a, b]);
  assert.deepEqual(list.current(), a);
  assert.equal(list.remaining, 2);
  assert.deepEqual(list.fail('timeout'), b);
  assert.equal(list.exhausted, false);
  assert.equal(list.fail('service-unavailable'), undefined);
  assert.equal(list.exhausted, true);
  assert.equal(list.remaining, 0);
  assert.equal(list.fail('transport-error'), undefined);
  assert.deepEqual(list.history(), [
    { target: a, reason: 'timeout' },
    { target: b, reason: 'service-unavailable' },
  ]);
  list.reset();
  assert.deepEqual(list.current(), a);
  assert.deepEqual(list.history(), []);
});

test('only a 503 response fails over to the next target (RFC 3263 §4.3)', () => {
  assert.equal(failoverReasonForStatus(503), 'service-unavailable');
  for (const s of [200, 401, 408, 480, 500, 502, 504, 600]) assert.equal(failoverReasonForStatus(s), null);
});

test('targetDestination keeps the SIP domain for the TLS check, not the SRV target name', () => {
  const tls: ServerTarget = { transport: 'tls', address: '192.0.2.10', port: 5061, family: 'IPv4' };
  assert.deepEqual(targetDestination(tls, { hostname: 'example.com', tls: { pinSha256: ['AB'] } }), {
    transport: 'tls',
    host: '192.0.2.10',
    port: 5061,
    hostname: 'example.com',
    tls: { pinSha256: ['AB'] },
  });
  assert.deepEqual(targetDestination(a), { transport: 'udp', host: '192.0.2.1', port: 5060 });
});
