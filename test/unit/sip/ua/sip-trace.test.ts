import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SipTraceEntry } from '../../../../src/sip/ua/index.js';
import { setup } from './harness.js';
import { runFor } from './memory-network.js';

test('onTrace: every REGISTER and response in order, with peer, Call-ID and CSeq; never the credentials', async () => {
  const s = await setup();
  const trace: SipTraceEntry[] = [];
  const stop = s.stack.onTrace((e) => trace.push(e));
  s.register();
  await runFor(s.net, 10);
  const peer = `${s.registrar.host}:${s.registrar.port}`;
  assert.deepEqual(trace.map((e) => [e.direction, e.firstLine, e.cseq, e.remote, e.transport]), [
    ['out', 'REGISTER', '1 REGISTER', peer, 'udp'],
    ['in', '401 Unauthorized', '1 REGISTER', peer, 'udp'],
    ['out', 'REGISTER', '2 REGISTER', peer, 'udp'],
    ['in', '200 OK', '2 REGISTER', peer, 'udp'],
  ]);
  const callId = s.registrar.registers[0]!.request.callId;
  assert.ok(trace.every((e) => e.callId === callId && e.time === 0));
  assert.doesNotMatch(JSON.stringify(trace), /Digest|response=|secret/i);
  stop();
  await runFor(s.net, 600_000);
  assert.equal(trace.length, 4, 'no entries after unsubscribing');
  assert.ok(s.registrar.registers.length > 2, 'the refresh did go out meanwhile');
});
