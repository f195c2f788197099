import { test } from 'node:test';
import assert from 'node:assert/strict';
import { world, fakeHooks, sdp, record, types, ended, lines, first } from './harness.js';

test('basic call: INVITE with offer, 180, 200 with answer, ACK, BYE from the caller', async () => {
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10');
  const bob = await w.phone('bob', '192.0.2.20');
  const call = alice.agent.call({ target: 'sip:bob@192.0.2.20', offer: sdp('offer-a'), hooks: fakeHooks('alice') });
  const a = record(call);
  await w.run(10);
  assert.equal(bob.incoming.length, 1);
  assert.deepEqual(bob.incoming[0]!.arrival, { transport: 'udp', sourceAddress: '192.0.2.10', sourcePort: 5060 });
  const inc = bob.incoming[0]!.session;
  const b = record(inc);
  inc.hooks = fakeHooks('bob');
  assert.equal(inc.remote?.body.toString(), 'offer-a');
  inc.progress(180);
  await w.run(10);
  assert.deepEqual(types(a), ['progress 180']);
  assert.equal(call.state, 'early');
  assert.equal(call.request?.method, 'INVITE');
  assert.equal(call.request?.callId, inc.request?.callId);
  inc.accept();
  await w.run(10);
  assert.deepEqual(types(a), ['progress 180', 'answered']);
  assert.equal(call.state, 'confirmed');
  assert.equal(inc.state, 'confirmed');
  assert.deepEqual(types(b), ['answered']);
  assert.equal(first(a, 'answered')?.remote?.body.toString(), 'answer-to:offer-a');
  // One 200 and one ACK: the ACK stopped the 2xx retransmissions.
  await w.run(5000);
  // (100 Trying is the stack's business and left out here.)
  const wire = lines(w.wire()).filter((l) => !l.endsWith('100 Trying'));
  assert.deepEqual(wire, ['192.0.2.10 INVITE', '192.0.2.20 180 Ringing', '192.0.2.20 200 OK', '192.0.2.10 ACK']);
  const mark = w.net.log.length;
  call.bye();
  await w.run(10);
  assert.deepEqual(lines(w.wire(mark)), ['192.0.2.10 BYE', '192.0.2.20 200 OK']);
  assert.equal(ended(a)?.reason, 'local-bye');
  assert.equal(ended(b)?.reason, 'remote-bye');
  assert.equal(alice.stack.dialogs.size, 0);
  assert.equal(bob.stack.dialogs.size, 0);
  assert.equal(alice.agent.active.length, 0);
  assert.equal(bob.agent.active.length, 0);
  // Nothing left running once the transactions have ended.
  await w.run(40_000);
  assert.equal(w.clock.nextDue(), undefined);
  assert.equal(alice.stack.transactionCount + bob.stack.transactionCount, 0);
});

test('late offer: offerless INVITE, offer in 200, answer in ACK', async () => {
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10');
  const bob = await w.phone('bob', '192.0.2.20');
  const call = alice.agent.call({ target: 'sip:bob@192.0.2.20', hooks: fakeHooks('alice') });
  const a = record(call);
  await w.run(10);
  const inc = bob.incoming[0]!.session;
  inc.hooks = fakeHooks('bob');
  const b = record(inc);
  assert.equal(inc.remote, undefined);
  inc.accept();
  await w.run(10);
  assert.equal(call.remote?.body.toString(), 'offer-from:bob#1');
  assert.equal(call.local?.body.toString(), 'answer-to:offer-from:bob#1');
  const ack = w.net.log.find((p) => p.text.startsWith('ACK'))!;
  assert.match(ack.text, /Content-Type: application\/sdp/);
  assert.ok(ack.text.endsWith('answer-to:offer-from:bob#1'));
  assert.deepEqual(types(b), ['answered']);
  assert.equal(first(b, 'answered')?.remote?.body.toString(), 'answer-to:offer-from:bob#1');
  assert.deepEqual(types(a), ['answered']);
  inc.bye();
  await w.run(10);
  assert.equal(ended(a)?.reason, 'remote-bye');
});

test('UAS reject: 486 maps to busy, 603 to declined, 404 to not-found, 488 to codec-mismatch', async () => {
  for (const [status, reason] of [[486, 'busy'], [600, 'busy'], [603, 'declined'], [404, 'not-found'], [480, 'unavailable'], [488, 'codec-mismatch'], [606, 'codec-mismatch']] as const) {
    const w = world();
    const alice = await w.phone('alice', '192.0.2.10');
    const bob = await w.phone('bob', '192.0.2.20');
    const call = alice.agent.call({ target: 'sip:bob@192.0.2.20', offer: sdp('o') });
    const a = record(call);
    await w.run(10);
    const inc = bob.incoming[0]!.session;
    const b = record(inc);
    inc.reject(status);
    await w.run(10);
    assert.equal(ended(a)?.reason, reason, `status ${status}`);
    assert.equal(ended(a)?.status, status);
    assert.equal(ended(b)?.reason, 'rejected');
    // The non-2xx is ACKed by the transaction layer (same branch).
    assert.ok(w.wire().some((l) => l === '192.0.2.10 ACK sip:bob@192.0.2.20 SIP/2.0'));
  }
});

test('302 redirect: ended redirected with the Contact targets in q order', async () => {
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10');
  const bob = await w.phone('bob', '192.0.2.20');
  const call = alice.agent.call({ target: 'sip:bob@192.0.2.20', offer: sdp('o') });
  const a = record(call);
  await w.run(10);
  bob.incoming[0]!.session.reject(302, { headers: [['Contact', '<sip:carol@192.0.2.30>;q=0.5, <sip:dave@192.0.2.40>;q=0.9']] });
  await w.run(10);
  const e = ended(a)!;
  assert.equal(e.reason, 'redirected');
  assert.deepEqual(e.targets, ['sip:dave@192.0.2.40', 'sip:carol@192.0.2.30']);
});

test('no answer from the network: Timer B gives timeout; nobody listening gives 480', async () => {
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10');
  const call = alice.agent.call({ target: 'sip:nobody@192.0.2.99', offer: sdp('o') });
  const a = record(call);
  await w.run(40_000);
  assert.equal(ended(a)?.reason, 'timeout');
  const bob = await w.phone('bob', '192.0.2.20');
  bob.agent.close();
  const call2 = alice.agent.call({ target: 'sip:bob@192.0.2.20', offer: sdp('o') });
  const a2 = record(call2);
  await w.run(10);
  assert.equal(ended(a2)?.reason, 'unavailable');
  assert.equal(ended(a2)?.status, 480);
});
