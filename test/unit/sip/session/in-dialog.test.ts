import { test } from 'node:test';
import assert from 'node:assert/strict';
import { world, sdp, record, types, ended, first, establish, instants, fakeHooks } from './harness.js';
import { glareBackoffMs } from '../../../../src/sip/session/index.js';

test('Timer H style: 2xx retransmitted at 0, 0.5, 1.5, 3.5, 7.5, 11.5 ... s until 32 s, then BYE and ended no-ack', async () => {
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10');
  const bob = await w.phone('bob', '192.0.2.20');
  alice.agent.call({ target: 'sip:bob@192.0.2.20', offer: sdp('o') });
  await w.run(10);
  w.net.drop = (p) => p.text.startsWith('ACK');
  const inc = bob.incoming[0]!.session;
  const b = record(inc);
  const t0 = w.clock.now();
  inc.accept({ body: sdp('a') });
  await w.run(40_000);
  assert.deepEqual(instants(w, 'SIP/2.0 200 OK', t0).filter((s) => s < 32), [0, 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5]);
  assert.deepEqual(instants(w, 'BYE', t0), [32]);
  assert.equal(ended(b)?.reason, 'no-ack');
});

test('a 2xx retransmission after a lost ACK is ACKed again; the UAS then stops', async () => {
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10');
  const bob = await w.phone('bob', '192.0.2.20');
  alice.agent.call({ target: 'sip:bob@192.0.2.20', offer: sdp('o') });
  await w.run(10);
  let dropped = 0;
  w.net.drop = (p) => p.text.startsWith('ACK') && dropped++ === 0;
  const inc = bob.incoming[0]!.session;
  const t0 = w.clock.now();
  inc.accept({ body: sdp('a') });
  await w.run(5000);
  assert.deepEqual(instants(w, 'SIP/2.0 200 OK', t0), [0, 0.5]);
  assert.deepEqual(instants(w, 'ACK', t0), [0, 0.5]);
  assert.equal(inc.state, 'confirmed');
});

test('re-INVITE hold: new offer, 200 with answer, ACK; media-changed on both sides', async () => {
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10');
  const bob = await w.phone('bob', '192.0.2.20');
  const { call, inc, a, b } = await establish(w, alice, bob);
  assert.equal(call.reinvite({ body: sdp('hold a=sendonly') }), true);
  assert.equal(call.reinvite({ body: sdp('again') }), false, 'one offer at a time');
  await w.run(10);
  const ma = first(a, 'media-changed')!;
  assert.equal(ma.remote.body.toString(), 'answer-to:hold a=sendonly');
  assert.equal(ma.direction, 'sent');
  const mb = first(b, 'media-changed')!;
  assert.equal(mb.remote.body.toString(), 'hold a=sendonly');
  assert.equal(mb.direction, 'received');
  assert.equal(inc.local?.body.toString(), 'answer-to:hold a=sendonly');
  const reinvite = w.net.log.filter((p) => p.text.startsWith('INVITE'))[1]!;
  assert.match(reinvite.text, /CSeq: 2 INVITE/);
  assert.match(reinvite.text, /To: <sip:bob@192.0.2.20>;tag=/);
  assert.equal(w.net.log.filter((p) => p.text.startsWith('ACK')).length, 2);
});

test('offerless re-INVITE from the callee: our 2xx offers, the ACK answers', async () => {
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10');
  const bob = await w.phone('bob', '192.0.2.20');
  const { a, b, inc } = await establish(w, alice, bob);
  assert.equal(inc.reinvite(), true);
  await w.run(10);
  const mb = first(b, 'media-changed')!;
  assert.equal(mb.remote.body.toString(), 'offer-from:alice#1');
  assert.equal(mb.local.body.toString(), 'answer-to:offer-from:alice#1');
  const ma = first(a, 'media-changed')!;
  assert.equal(ma.local.body.toString(), 'offer-from:alice#1');
  assert.equal(ma.remote.body.toString(), 'answer-to:offer-from:alice#1');
});

test('UPDATE with an offer (RFC 3311) both ways; 488 when the offer is refused', async () => {
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10');
  const bob = await w.phone('bob', '192.0.2.20');
  const { call, inc, a, b } = await establish(w, alice, bob);
  assert.equal(inc.update({ body: sdp('upd-b') }), true);
  await w.run(10);
  assert.equal(first(b, 'media-changed')?.remote.body.toString(), 'answer-to:upd-b');
  assert.equal(first(a, 'media-changed')?.method, 'UPDATE');
  call.hooks = fakeHooks('alice', true);
  inc.update({ body: sdp('upd-2') });
  await w.run(10);
  const failed = first(b, 'offer-failed')!;
  assert.equal(failed.status, 488);
  assert.equal(call.state, 'confirmed');
});

test('glare: both re-INVITE at once, both get 491, retries after the RFC 3261 §14.1 back-off', async () => {
  assert.equal(glareBackoffMs(true, 0), 2100);
  assert.equal(glareBackoffMs(true, 0.9999), 4000);
  assert.equal(glareBackoffMs(false, 0), 0);
  assert.equal(glareBackoffMs(false, 0.9999), 2000);
  assert.equal(glareBackoffMs(true, 0.5) % 10, 0);
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10');
  const bob = await w.phone('bob', '192.0.2.20');
  const { call, inc, a, b } = await establish(w, alice, bob);
  const t0 = w.clock.now();
  call.reinvite({ body: sdp('a2') });
  inc.reinvite({ body: sdp('b2') });
  await w.run(10_000);
  assert.equal(w.net.log.filter((p) => p.text.startsWith('SIP/2.0 491')).length, 2);
  // random() = 0.5: Bob (not the Call-ID owner) waits 1.00 s, Alice (owner) 3.05 s.
  const reinvites = w.net.log.filter((p) => p.text.startsWith('INVITE')).slice(1);
  assert.deepEqual(reinvites.map((p) => [p.from.address, p.at - t0]), [
    ['192.0.2.10', 0], ['192.0.2.20', 0], ['192.0.2.20', 1000], ['192.0.2.10', 3050],
  ]);
  assert.equal(a.filter((e) => e.type === 'media-changed').length, 2);
  assert.equal(b.filter((e) => e.type === 'media-changed').length, 2);
  // Alice answered Bob's retried b2 before her own retry: a2 is stale, so her hooks offer afresh
  // (RFC 3264 §8: the version never goes back) and that new offer is what Bob answers.
  assert.ok(reinvites[3]!.text.endsWith('offer-from:alice#1'));
  assert.equal(call.remote?.body.toString(), 'answer-to:offer-from:alice#1');
});

test('INFO: dtmf-relay, application/dtmf and hook flash reach the peer as dtmf-info', async () => {
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10');
  const bob = await w.phone('bob', '192.0.2.20');
  const { call, b } = await establish(w, alice, bob);
  call.sendDtmfInfo('5', { durationMs: 250 });
  call.sendDtmfInfo('#', { type: 'dtmf' });
  call.sendDtmfInfo('hf');
  call.info('application/x-custom', 'hello');
  await w.run(10);
  const dtmf = b.filter((e) => e.type === 'dtmf-info').map((e) => (e.type === 'dtmf-info' ? e.dtmf : undefined));
  assert.deepEqual(dtmf, [{ signal: '5', durationMs: 250 }, { signal: '#', durationMs: undefined }, { signal: 'hf', durationMs: 160 }]);
  const infos = b.filter((e) => e.type === 'info').map((e) => (e.type === 'info' ? e.contentType : ''));
  assert.deepEqual(infos, ['application/dtmf-relay', 'application/dtmf', 'application/dtmf-relay']);
  // The custom type is refused by the stack (415) as it is not in Accept.
  assert.equal(w.net.log.filter((p) => p.text.startsWith('SIP/2.0 415')).length, 1);
  const relay = w.net.log.find((p) => p.text.startsWith('INFO'))!;
  assert.ok(relay.text.endsWith('Signal=5\r\nDuration=250\r\n'));
});

test('BYE from the callee, and 481 for a BYE in an unknown dialog', async () => {
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10');
  const bob = await w.phone('bob', '192.0.2.20');
  const { inc, a } = await establish(w, alice, bob);
  inc.bye([['Reason', 'Q.850;cause=16;text="Normal call clearing"']]);
  await w.run(10);
  assert.equal(ended(a)?.reason, 'remote-bye');
  assert.equal(ended(a)?.text, 'Q.850;cause=16;text="Normal call clearing"');
  assert.deepEqual(types(a), ['answered', 'ended remote-bye']);
  const bye = w.net.log.find((p) => p.text.startsWith('BYE'))!;
  w.net.transports[1]!.send({ transport: 'udp', host: '192.0.2.10', port: 5060 }, Buffer.from(bye.text.replace(/branch=z9hG4bK\w+/, 'branch=z9hG4bKagain1').replace(/CSeq: \d+/, 'CSeq: 99')));
  await w.run(10);
  assert.equal(w.net.log.filter((p) => p.text.startsWith('SIP/2.0 481')).length, 1);
});
