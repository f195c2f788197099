import { test } from 'node:test';
import assert from 'node:assert/strict';
import { world, sdp, record, types, ended, lines, rawPeer, first } from './harness.js';

test('CANCEL after 180: 200 to CANCEL, 487 to INVITE, both sides end cancelled', async () => {
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10');
  const bob = await w.phone('bob', '192.0.2.20');
  const call = alice.agent.call({ target: 'sip:bob@192.0.2.20', offer: sdp('o') });
  const a = record(call);
  await w.run(10);
  const inc = bob.incoming[0]!.session;
  const b = record(inc);
  inc.progress(180);
  await w.run(10);
  call.cancel();
  await w.run(10);
  assert.equal(ended(a)?.reason, 'cancelled');
  assert.equal(ended(a)?.status, 487);
  assert.equal(ended(b)?.reason, 'remote-cancelled');
  assert.equal(ended(b)?.text, 'the caller cancelled');
  const wire = lines(w.wire()).filter((l) => !l.endsWith('100 Trying'));
  assert.deepEqual(wire, ['192.0.2.10 INVITE', '192.0.2.20 180 Ringing', '192.0.2.10 CANCEL', '192.0.2.20 200 OK', '192.0.2.20 487 Request Terminated', '192.0.2.10 ACK']);
});

test('CANCEL before any provisional waits for one (RFC 3261 §9.1)', async () => {
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10');
  const peer = await rawPeer(w, '192.0.2.20');
  const call = alice.agent.call({ target: 'sip:bob@192.0.2.20', offer: sdp('o') });
  const a = record(call);
  await w.run(10);
  call.cancel();
  await w.run(10);
  assert.equal(peer.requests('CANCEL').length, 0);
  const invite = peer.requests('INVITE')[0]!;
  peer.reply(invite, 100);
  await w.run(10);
  const cancel = peer.requests('CANCEL')[0]!;
  assert.equal(cancel.branch, invite.branch);
  assert.equal(cancel.cseq, invite.cseq);
  peer.reply(cancel, 200);
  peer.reply(invite, 487, { toTag: 'x1' });
  await w.run(10);
  assert.equal(ended(a)?.reason, 'cancelled');
});

test('CANCEL race: the 200 crosses the CANCEL, caller sends ACK then BYE', async () => {
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10');
  const bob = await w.phone('bob', '192.0.2.20');
  const call = alice.agent.call({ target: 'sip:bob@192.0.2.20', offer: sdp('o') });
  const a = record(call);
  await w.run(10);
  const inc = bob.incoming[0]!.session;
  const b = record(inc);
  inc.progress(180);
  await w.run(10);
  // Both in the same instant: the messages cross on the wire.
  call.cancel();
  inc.accept({ body: sdp('answer') });
  await w.run(10);
  const wire = lines(w.wire()).filter((l) => !l.endsWith('100 Trying'));
  // The 200 and the CANCEL cross (either may be logged first); then ACK and BYE.
  assert.deepEqual(wire.slice(2, 4).sort(), ['192.0.2.10 CANCEL', '192.0.2.20 200 OK']);
  assert.deepEqual(wire.slice(4), ['192.0.2.20 200 OK', '192.0.2.10 ACK', '192.0.2.10 BYE', '192.0.2.20 200 OK']);
  const cancelOk = w.net.log.filter((p) => p.text.startsWith('SIP/2.0 200') && /CSeq: \d+ CANCEL/.test(p.text));
  assert.equal(cancelOk.length, 1);
  assert.equal(ended(a)?.reason, 'cancelled');
  assert.equal(ended(b)?.reason, 'remote-bye');
  assert.deepEqual(types(b), ['answered', 'ended remote-bye']);
  await w.run(40_000);
  assert.equal(alice.stack.dialogs.size, 0);
  assert.equal(bob.stack.dialogs.size, 0);
  assert.equal(w.clock.nextDue(), undefined, 'no timer left');
  assert.equal(alice.agent.active.length + bob.agent.active.length, 0);
});

test('forking: two early dialogs with early media, first 2xx wins, the other 2xx is ACKed and BYEd', async () => {
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10');
  const peer = await rawPeer(w, '192.0.2.30');
  const call = alice.agent.call({ target: 'sip:bob@192.0.2.30', offer: sdp('o') });
  const a = record(call);
  await w.run(10);
  const invite = peer.requests('INVITE')[0]!;
  const ct = (u: string): [string, string] => ['Contact', `<sip:${u}@192.0.2.30>`];
  peer.reply(invite, 183, { toTag: 'f1', headers: [ct('f1'), ['Content-Type', 'application/sdp']], body: 'early-1' });
  peer.reply(invite, 183, { toTag: 'f2', headers: [ct('f2'), ['Content-Type', 'application/sdp']], body: 'early-2' });
  await w.run(10);
  assert.equal(alice.stack.dialogs.size, 2);
  const early = a.filter((e) => e.type === 'early-media').map((e) => (e.type === 'early-media' ? `${e.toTag}:${e.body.body.toString()}` : ''));
  assert.deepEqual(early, ['f1:early-1', 'f2:early-2']);
  peer.reply(invite, 200, { toTag: 'f2', headers: [ct('f2'), ['Content-Type', 'application/sdp']], body: 'answer-2' });
  await w.run(10);
  assert.equal(call.state, 'confirmed');
  assert.equal(call.dialog?.id.remoteTag, 'f2');
  assert.equal(first(a, 'answered')?.remote?.body.toString(), 'answer-2');
  peer.reply(invite, 200, { toTag: 'f1', headers: [ct('f1'), ['Content-Type', 'application/sdp']], body: 'answer-1' });
  await w.run(10);
  const acks = peer.requests('ACK');
  assert.deepEqual(acks.map((m) => [m.requestUriText, m.toTag]), [['sip:f2@192.0.2.30', 'f2'], ['sip:f1@192.0.2.30', 'f1']]);
  const byes = peer.requests('BYE');
  assert.deepEqual(byes.map((m) => [m.requestUriText, m.toTag]), [['sip:f1@192.0.2.30', 'f1']]);
  assert.equal(call.state, 'confirmed');
  assert.equal(types(a).filter((t) => t === 'answered').length, 1);
  peer.reply(byes[0]!, 200);
  // A retransmitted 2xx of the winner gets the same ACK again.
  peer.reply(invite, 200, { toTag: 'f2', headers: [ct('f2'), ['Content-Type', 'application/sdp']], body: 'answer-2' });
  await w.run(10);
  const acks2 = peer.requests('ACK');
  assert.equal(acks2.length, 3);
  assert.equal(acks2[2]!.branch, acks2[0]!.branch);
  assert.equal(alice.stack.dialogs.size, 1);
});

test('auth: 407 then the INVITE again with Proxy-Authorization and the next CSeq', async () => {
  const { DigestClient } = await import('../../../../src/sip/auth/index.js');
  const w = world();
  const digest = new DigestClient({ credentials: { username: 'alice', password: 'pw', realm: 'example.com' } });
  const alice = await w.phone('alice', '192.0.2.10', { digest });
  const peer = await rawPeer(w, '192.0.2.30');
  const call = alice.agent.call({ target: 'sip:bob@192.0.2.30', offer: sdp('o') });
  const a = record(call);
  await w.run(10);
  const first1 = peer.requests('INVITE')[0]!;
  peer.reply(first1, 407, { toTag: 'p', headers: [['Proxy-Authenticate', 'Digest realm="example.com", nonce="abc", algorithm=MD5, qop="auth"']] });
  await w.run(10);
  const invites = peer.requests('INVITE');
  assert.equal(invites.length, 2);
  const second = invites[1]!;
  assert.equal(second.cseq, first1.cseq + 1);
  assert.equal(second.callId, first1.callId);
  assert.equal(second.fromTag, first1.fromTag);
  assert.match(second.header('Proxy-Authorization')!, /^Digest username="alice", realm="example.com", nonce="abc"/);
  peer.reply(second, 407, { toTag: 'p', headers: [['Proxy-Authenticate', 'Digest realm="example.com", nonce="abc", algorithm=MD5, qop="auth"']] });
  await w.run(10);
  assert.equal(peer.requests('INVITE').length, 2);
  assert.equal(ended(a)?.reason, 'auth-failed');
  assert.equal(ended(a)?.status, 407);
});

test('no-answer timeout: CANCEL after noAnswerTimeoutMs, ended no-answer', async () => {
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10');
  const bob = await w.phone('bob', '192.0.2.20');
  const call = alice.agent.call({ target: 'sip:bob@192.0.2.20', offer: sdp('o'), noAnswerTimeoutMs: 30_000 });
  const a = record(call);
  await w.run(10);
  bob.incoming[0]!.session.progress(180);
  await w.run(29_000);
  assert.equal(ended(a), undefined);
  await w.run(1_100);
  assert.equal(ended(a)?.reason, 'no-answer');
});
