import { test } from 'node:test';
import assert from 'node:assert/strict';
import { world, sdp, record, ended, first, establish, instants, fakeHooks, rawPeer, lines } from './harness.js';
import { sessionCapabilities } from '../../../../src/sip/session/index.js';

test('session refresh by re-INVITE (with our SDP) when the peer does not allow UPDATE', async () => {
  const w = world();
  const cfg = { sessionTimer: { expires: 120, minSE: 90 } };
  const alice = await w.phone('alice', '192.0.2.10', cfg);
  const noUpdate = { ...sessionCapabilities, allow: sessionCapabilities.allow.filter((m) => m !== 'UPDATE') };
  const bob = await w.phone('bob', '192.0.2.20', { ...cfg, capabilities: noUpdate });
  const t0 = w.clock.now();
  const { call, a } = await establish(w, alice, bob);
  assert.ok(!call.peerAllow.includes('UPDATE'));
  await w.run(61_000);
  const reinvites = w.net.log.filter((p) => p.text.startsWith('INVITE')).slice(1);
  assert.deepEqual(reinvites.map((p) => Math.round((p.at - t0) / 1000)), [60]);
  assert.ok(reinvites[0]!.text.endsWith('offer-a'));
  assert.match(reinvites[0]!.text, /Session-Expires: 120;refresher=uac/);
  assert.equal(a.filter((e) => e.type === 'session-timer').length, 2);
  assert.equal(ended(a), undefined);
});

test('UPDATE in an early dialog (RFC 3311): the caller re-offers before the answer', async () => {
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10');
  const bob = await w.phone('bob', '192.0.2.20');
  const call = alice.agent.call({ target: 'sip:bob@192.0.2.20', offer: sdp('o1'), hooks: fakeHooks('alice') });
  const a = record(call);
  await w.run(10);
  const inc = bob.incoming[0]!.session;
  inc.hooks = fakeHooks('bob');
  const b = record(inc);
  inc.progress(183, { body: sdp('answer-to:o1'), reliable: true });
  await w.run(10);
  assert.equal(call.state, 'early');
  assert.equal(call.update({ body: sdp('o2') }), true);
  await w.run(10);
  assert.equal(first(a, 'media-changed')?.remote.body.toString(), 'answer-to:o2');
  assert.equal(first(b, 'media-changed')?.remote.body.toString(), 'o2');
  inc.accept();
  await w.run(10);
  assert.equal(call.state, 'confirmed');
});

test('CANCEL over UDP is its own non-INVITE transaction: retransmitted (T1 doubling) until its 200', async () => {
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10');
  const peer = await rawPeer(w, '192.0.2.20');
  const call = alice.agent.call({ target: 'sip:bob@192.0.2.20', offer: sdp('o') });
  const a = record(call);
  await w.run(10);
  const invite = peer.requests('INVITE')[0]!;
  peer.reply(invite, 180, { toTag: 't1', headers: [['Contact', '<sip:bob@192.0.2.20>']] });
  await w.run(10);
  const t0 = w.clock.now();
  call.cancel();
  await w.run(2000);
  assert.deepEqual(instants(w, 'CANCEL', t0), [0, 0.5, 1.5]);
  peer.reply(peer.requests('CANCEL')[0]!, 200, { toTag: 't1' });
  peer.reply(invite, 487, { toTag: 't1' });
  await w.run(10_000);
  assert.equal(instants(w, 'CANCEL', t0).length, 3);
  assert.equal(ended(a)?.reason, 'cancelled');
});

test('a re-INVITE arriving before the ACK of our 2xx gets 500 with Retry-After (RFC 3261 §14.2)', async () => {
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10');
  const peer = await rawPeer(w, '192.0.2.30');
  peer.send(['INVITE sip:alice@192.0.2.10 SIP/2.0', 'Via: SIP/2.0/UDP 192.0.2.30;branch=z9hG4bKi1', 'Max-Forwards: 70', 'From: <sip:p@192.0.2.30>;tag=p1',
    'To: <sip:alice@192.0.2.10>', 'Call-ID: c1@p', 'CSeq: 1 INVITE', 'Contact: <sip:p@192.0.2.30>', 'Content-Type: application/sdp', 'Content-Length: 2', '', 'o1'].join('\r\n'), { host: '192.0.2.10' });
  await w.run(10);
  const inc = alice.incoming[0]!.session;
  inc.hooks = fakeHooks('alice');
  inc.accept();
  await w.run(10);
  const tag = peer.received.find((m) => m.status === 200)!.toTag!;
  peer.send(['INVITE sip:alice@192.0.2.10:5060 SIP/2.0', 'Via: SIP/2.0/UDP 192.0.2.30;branch=z9hG4bKi2', 'Max-Forwards: 70', 'From: <sip:p@192.0.2.30>;tag=p1',
    `To: <sip:alice@192.0.2.10>;tag=${tag}`, 'Call-ID: c1@p', 'CSeq: 2 INVITE', 'Contact: <sip:p@192.0.2.30>', 'Content-Length: 0', '', ''].join('\r\n'), { host: '192.0.2.10' });
  await w.run(10);
  const r500 = peer.received.find((m) => m.status === 500)!;
  assert.equal(r500.cseq, 2);
  assert.equal(r500.header('Retry-After'), '5');
});

test('reject before ringing, BYE in an early dialog gives 487, terminate() picks CANCEL/603/BYE', async () => {
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10');
  const bob = await w.phone('bob', '192.0.2.20');
  const c1 = alice.agent.call({ target: 'sip:bob@192.0.2.20', offer: sdp('o') });
  const a1 = record(c1);
  await w.run(10);
  bob.incoming[0]!.session.terminate();
  await w.run(10);
  assert.equal(ended(a1)?.status, 603);
  assert.equal(ended(a1)?.reason, 'declined');
  const { call, a } = await establish(w, alice, bob);
  call.terminate();
  await w.run(10);
  assert.equal(ended(a)?.reason, 'local-bye');
  const mark = w.net.log.length;
  const c3 = alice.agent.call({ target: 'sip:bob@192.0.2.20', offer: sdp('o') });
  const a3 = record(c3);
  await w.run(10);
  bob.incoming[2]!.session.progress(180);
  await w.run(10);
  c3.terminate();
  await w.run(10);
  assert.equal(ended(a3)?.reason, 'cancelled');
  assert.ok(lines(w.wire(mark)).includes('192.0.2.10 CANCEL'));
});

test('RFC 3262 §3: accept() while a reliable 183 with SDP is unacknowledged sends the 200 after the PRACK', async () => {
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10');
  const bob = await w.phone('bob', '192.0.2.20');
  const call = alice.agent.call({ target: 'sip:bob@192.0.2.20', offer: sdp('o1') });
  await w.run(10);
  let held = true;
  w.net.drop = (p) => held && p.text.startsWith('PRACK');
  const inc = bob.incoming[0]!.session;
  const t0 = w.clock.now();
  inc.progress(183, { body: sdp('answer-to:o1'), reliable: true });
  await w.run(10);
  inc.accept();
  await w.run(1000);
  assert.deepEqual(instants(w, 'SIP/2.0 200', t0), []);
  held = false;
  await w.run(1000);
  // The PRACK retransmission (Timer E) gets through; then the 200 to PRACK and the 200 to INVITE.
  assert.equal(instants(w, 'SIP/2.0 200', t0).length, 2);
  assert.equal(call.state, 'confirmed');
});

test('a call over TCP: Contact with transport=tcp, BYE from the callee reaches the caller', async () => {
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10', { tcp: true });
  const bob = await w.phone('bob', '192.0.2.20', { tcp: true });
  const { inc, a } = await establish(w, alice, bob, 'sip:bob@192.0.2.20;transport=tcp');
  const invite = w.net.log.find((p) => p.text.startsWith('INVITE'))!;
  assert.equal(invite.to.transport, 'tcp');
  assert.match(invite.text, /Contact: <sip:alice@192.0.2.10:5060;transport=tcp>/);
  inc.bye();
  await w.run(10);
  assert.equal(ended(a)?.reason, 'remote-bye');
  const bye = w.net.log.find((p) => p.text.startsWith('BYE'))!;
  assert.equal(bye.to.transport, 'tcp');
});

test('a 2xx without Contact ends the call as failed', async () => {
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10');
  const peer = await rawPeer(w, '192.0.2.20');
  const call = alice.agent.call({ target: 'sip:bob@192.0.2.20', offer: sdp('o') });
  const a = record(call);
  await w.run(10);
  peer.reply(peer.requests('INVITE')[0]!, 200, { toTag: 'x' });
  await w.run(10);
  assert.equal(ended(a)?.reason, 'failed');
  assert.equal(alice.stack.stats.internalErrors, 0);
});

test('the callee hanging up before the ACK sends its BYE once the ACK arrives (RFC 3261 §15)', async () => {
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10');
  const bob = await w.phone('bob', '192.0.2.20');
  const call = alice.agent.call({ target: 'sip:bob@192.0.2.20', offer: sdp('o') });
  const a = record(call);
  await w.run(10);
  let dropAck = true;
  w.net.drop = (p) => dropAck && p.text.startsWith('ACK');
  const inc = bob.incoming[0]!.session;
  const b = record(inc);
  inc.accept({ body: sdp('a') });
  await w.run(10);
  inc.bye();
  await w.run(200);
  assert.equal(w.net.log.filter((p) => p.text.startsWith('BYE')).length, 0);
  dropAck = false;
  await w.run(1000);
  assert.equal(w.net.log.filter((p) => p.text.startsWith('BYE')).length, 1);
  assert.equal(ended(b)?.reason, 'local-bye');
  assert.equal(ended(a)?.reason, 'remote-bye');
});

test('RFC 3263 failover: a refused TCP target, then a 503, then the third target answers', async () => {
  const w = world();
  const peer = await rawPeer(w, '192.0.2.30');
  const bob = await w.phone('bob', '192.0.2.20');
  const alice = await w.phone('alice', '192.0.2.10', {
    locate: async () => ({
      ok: true as const,
      value: [{ transport: 'tcp' as const, host: '192.0.2.99', port: 5060 }, { transport: 'udp' as const, host: '192.0.2.30', port: 5060 }, { transport: 'udp' as const, host: '192.0.2.20', port: 5060 }],
    }),
  });
  const call = alice.agent.call({ target: 'sip:bob@example.com', offer: sdp('o') });
  const a = record(call);
  await w.run(10);
  const atPeer = peer.requests('INVITE');
  assert.equal(atPeer.length, 1);
  peer.reply(atPeer[0]!, 503, { toTag: 's' });
  await w.run(10);
  assert.equal(bob.incoming.length, 1);
  bob.incoming[0]!.session.accept({ body: sdp('a') });
  await w.run(10);
  assert.equal(call.state, 'confirmed');
  assert.equal(first(a, 'answered')?.remote?.body.toString(), 'a');
  const invites = w.net.log.filter((p) => p.text.startsWith('INVITE'));
  assert.deepEqual(invites.map((p) => `${p.to.transport} ${p.to.host}`), ['tcp 192.0.2.99', 'udp 192.0.2.30', 'udp 192.0.2.20']);
  assert.deepEqual(invites.map((p) => /CSeq: (\d+)/.exec(p.text)![1]), ['1', '2', '3']);
});

test('two agents on one stack: each takes the INVITEs for its user, BYE reaches the right one', async () => {
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10');
  const bob = await w.phone('bob', '192.0.2.20', { accepts: (r) => r.requestUri?.scheme === 'sip' && (r.requestUri as { user?: string }).user === 'bob' });
  const { SessionAgent } = await import('../../../../src/sip/session/index.js');
  const carolCalls: string[] = [];
  const carol = new SessionAgent({ stack: bob.stack, identity: '<sip:carol@192.0.2.20>', accepts: (r) => (r.requestUri as { user?: string }).user === 'carol' });
  carol.onIncoming((c) => {
    carolCalls.push(c.request.requestUriText);
    c.session.accept({ body: sdp('c') });
  });
  const toCarol = alice.agent.call({ target: 'sip:carol@192.0.2.20', offer: sdp('o') });
  const ac = record(toCarol);
  await w.run(10);
  assert.deepEqual(carolCalls, ['sip:carol@192.0.2.20']);
  assert.equal(bob.incoming.length, 0);
  assert.equal(toCarol.state, 'confirmed');
  const { inc } = await establish(w, alice, bob);
  assert.equal(bob.incoming.length, 1);
  toCarol.bye();
  await w.run(10);
  assert.equal(ended(ac)?.reason, 'local-bye');
  assert.equal(carol.active.length, 0);
  assert.equal(inc.state, 'confirmed');
});

test('an answer sent in an unreliable 183 is repeated in the 200; after a reliable 183 the 200 has no SDP', async () => {
  for (const reliable of [false, true]) {
    const w = world();
    const alice = await w.phone('alice', '192.0.2.10');
    const bob = await w.phone('bob', '192.0.2.20');
    const call = alice.agent.call({ target: 'sip:bob@192.0.2.20', offer: sdp('o') });
    await w.run(10);
    const inc = bob.incoming[0]!.session;
    inc.progress(183, { body: sdp('early-answer'), reliable });
    await w.run(10);
    inc.accept();
    await w.run(10);
    const ok = w.net.log.find((p) => p.text.startsWith('SIP/2.0 200') && /CSeq: 1 INVITE/.test(p.text))!;
    assert.equal(ok.text.endsWith('early-answer'), !reliable, `reliable=${reliable}`);
    assert.equal(call.state, 'confirmed');
    assert.equal(call.remote?.body.toString(), 'early-answer');
  }
});
