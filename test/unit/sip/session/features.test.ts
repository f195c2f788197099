import { test } from 'node:test';
import assert from 'node:assert/strict';
import { world, sdp, record, ended, first, establish, instants, fakeHooks, lines, rawPeer } from './harness.js';
import type { IncomingRefer } from '../../../../src/sip/session/index.js';

test('PRACK: reliable 183 with early media, PRACK with RAck, 200 to PRACK, then 200/ACK', async () => {
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10');
  const bob = await w.phone('bob', '192.0.2.20');
  const call = alice.agent.call({ target: 'sip:bob@192.0.2.20', offer: sdp('offer-a') });
  const a = record(call);
  await w.run(10);
  const inc = bob.incoming[0]!.session;
  assert.match(inc.request!.header('Supported')!, /100rel/);
  const t0 = w.clock.now();
  inc.progress(183, { body: sdp('early-answer'), reliable: true });
  await w.run(5000);
  const p183 = w.net.log.find((p) => p.text.startsWith('SIP/2.0 183'))!;
  assert.match(p183.text, /Require: 100rel/);
  const rseq = Number(/RSeq: (\d+)/.exec(p183.text)![1]);
  const prack = w.net.log.find((p) => p.text.startsWith('PRACK'))!;
  assert.match(prack.text, new RegExp(`RAck: ${rseq} 1 INVITE`));
  assert.deepEqual(instants(w, 'SIP/2.0 183', t0), [0], 'no retransmission after the PRACK');
  assert.equal(first(a, 'early-media')?.body.body.toString(), 'early-answer');
  inc.accept();
  await w.run(10);
  assert.equal(call.state, 'confirmed');
  // The 200 carries no SDP: the offer was answered in the reliable 183.
  const ok = w.net.log.filter((p) => p.text.startsWith('SIP/2.0 200') && /CSeq: 1 INVITE/.test(p.text))[0]!;
  assert.match(ok.text, /Content-Length: 0/);
});

test('PRACK lost: reliable 180 retransmitted at T1 doubling, 504 after 64*T1, ended no-prack', async () => {
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10');
  const bob = await w.phone('bob', '192.0.2.20');
  alice.agent.call({ target: 'sip:bob@192.0.2.20', offer: sdp('o') });
  await w.run(10);
  w.net.drop = (p) => p.text.startsWith('PRACK');
  const inc = bob.incoming[0]!.session;
  const b = record(inc);
  const t0 = w.clock.now();
  inc.progress(180, { reliable: true });
  await w.run(40_000);
  assert.deepEqual(instants(w, 'SIP/2.0 180', t0), [0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5]);
  assert.deepEqual(instants(w, 'SIP/2.0 504', t0), [32]);
  assert.equal(ended(b)?.reason, 'no-prack');
});

test('PRACK carries the answer when the INVITE had no offer and the reliable 183 offers', async () => {
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10', { prack: 'required' });
  const bob = await w.phone('bob', '192.0.2.20');
  const call = alice.agent.call({ target: 'sip:bob@192.0.2.20', hooks: fakeHooks('alice') });
  await w.run(10);
  const inc = bob.incoming[0]!.session;
  assert.match(inc.request!.header('Require')!, /100rel/);
  const b = record(inc);
  inc.progress(183, { body: sdp('offer-b') });
  await w.run(10);
  const m = first(b, 'media-changed')!;
  assert.equal(m.method, 'PRACK');
  assert.equal(m.remote.body.toString(), 'answer-to:offer-b');
  inc.accept();
  await w.run(10);
  assert.equal(call.state, 'confirmed');
  assert.equal(call.local?.body.toString(), 'answer-to:offer-b');
});

test('session timer: UAC refreshes by UPDATE at half the interval; with refreshes lost the UAS BYEs at interval - 30 s', async () => {
  const w = world();
  const cfg = { sessionTimer: { expires: 90, minSE: 90 } };
  const alice = await w.phone('alice', '192.0.2.10', cfg);
  const bob = await w.phone('bob', '192.0.2.20', cfg);
  const t0 = w.clock.now();
  const { a, b } = await establish(w, alice, bob);
  const ok = w.net.log.find((p) => p.text.startsWith('SIP/2.0 200'))!;
  assert.match(ok.text, /Session-Expires: 90;refresher=uac/);
  assert.match(ok.text, /Require: timer/);
  assert.deepEqual(first(a, 'session-timer'), { type: 'session-timer', intervalS: 90, weRefresh: true });
  assert.deepEqual(first(b, 'session-timer'), { type: 'session-timer', intervalS: 90, weRefresh: false });
  await w.run(100_000);
  const updates = instants(w, 'UPDATE', t0).map((s) => Math.round(s));
  assert.deepEqual(updates, [45, 90]);
  const upd = w.net.log.find((p) => p.text.startsWith('UPDATE'))!;
  assert.match(upd.text, /Session-Expires: 90;refresher=uac/);
  assert.equal(ended(a), undefined);
  // Refreshes lost from now on: Bob hangs up 60 s after the last one.
  const last = w.net.log.filter((p) => p.text.startsWith('UPDATE')).pop()!.at;
  w.net.drop = (p) => p.text.startsWith('UPDATE');
  await w.run(100_000);
  assert.equal(ended(b)?.reason, 'session-expired');
  const bye = w.net.log.find((p) => p.text.startsWith('BYE'))!;
  assert.equal(bye.at - last, 60_000);
  assert.equal(bye.from.address, '192.0.2.20');
});

test('session timer 422: Session-Expires below Min-SE is refused, the UAC retries with the larger value', async () => {
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10', { sessionTimer: { expires: 90, minSE: 90 } });
  const bob = await w.phone('bob', '192.0.2.20', { sessionTimer: { expires: 1800, minSE: 600 } });
  const { a } = await establish(w, alice, bob);
  const wire = lines(w.wire()).filter((l) => !l.endsWith('100 Trying'));
  assert.deepEqual(wire.slice(0, 4), ['192.0.2.10 INVITE', '192.0.2.20 422 Session Interval Too Small', '192.0.2.10 ACK', '192.0.2.10 INVITE']);
  const second = w.net.log.filter((p) => p.text.startsWith('INVITE'))[1]!;
  assert.match(second.text, /Session-Expires: 600\r\n/);
  assert.match(second.text, /Min-SE: 600\r\n/);
  assert.match(second.text, /CSeq: 2 INVITE/);
  assert.deepEqual(first(a, 'session-timer'), { type: 'session-timer', intervalS: 600, weRefresh: true });
});

test('blind transfer: REFER with Referred-By, 202, NOTIFY sipfrag 100/180/200 from the new call', async () => {
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10');
  const bob = await w.phone('bob', '192.0.2.20');
  const carol = await w.phone('carol', '192.0.2.30');
  const { call, inc, a } = await establish(w, alice, bob);
  let refer: IncomingRefer | undefined;
  inc.on((e) => {
    if (e.type === 'refer') refer = e.refer;
  });
  call.refer('sip:carol@192.0.2.30');
  await w.run(10);
  assert.equal(refer?.referToUri, 'sip:carol@192.0.2.30');
  assert.equal(refer?.referredBy, '<sip:alice@192.0.2.10>');
  const progress = refer!.accept();
  const transfer = bob.agent.call({ target: refer!.referToUri, offer: sdp('o2'), referredBy: refer!.referredBy! });
  progress.follow(transfer);
  await w.run(10);
  carol.incoming[0]!.session.progress(180);
  await w.run(10);
  carol.incoming[0]!.session.accept({ body: sdp('a2') });
  await w.run(10);
  assert.equal(carol.incoming[0]!.request.header('Referred-By'), '<sip:alice@192.0.2.10>');
  assert.deepEqual(first(a, 'refer-response'), { type: 'refer-response', status: 202, reason: 'Accepted' });
  const notes = a.filter((e) => e.type === 'notify').map((e) => (e.type === 'notify' ? [e.sipfrag?.status, e.final] : []));
  assert.deepEqual(notes, [[100, false], [180, false], [200, true]]);
  const notify = w.net.log.filter((p) => p.text.startsWith('NOTIFY')).pop()!;
  assert.match(notify.text, /Event: refer\r\n/);
  assert.match(notify.text, /Subscription-State: terminated;reason=noresource/);
  assert.match(notify.text, /Content-Type: message\/sipfrag/);
  assert.ok(notify.text.endsWith('SIP/2.0 200 OK\r\n'));
});

test('REFER nobody handles is refused 603; out-of-dialog REFER gets 403', async () => {
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10');
  const bob = await w.phone('bob', '192.0.2.20');
  const { call, a } = await establish(w, alice, bob);
  bob.incoming[0]!.session.hasListeners = () => false;
  call.refer('sip:carol@192.0.2.30');
  await w.run(10);
  assert.equal(first(a, 'refer-response')?.status, 603);
  // A listener that never decides: refused after REFER_DECISION_MS.
  bob.incoming[0]!.session.hasListeners = () => true;
  const mark = w.clock.now();
  call.refer('sip:dave@192.0.2.30');
  await w.run(20_000);
  const refusals = a.filter((e) => e.type === 'refer-response');
  assert.equal(refusals.length, 2);
  const r603 = w.net.log.filter((p) => p.text.startsWith('SIP/2.0 603'));
  assert.equal(r603[1]!.at - mark, 16_000);
  const peer = await rawPeer(w, '192.0.2.40');
  peer.send(['REFER sip:bob@192.0.2.20 SIP/2.0', 'Via: SIP/2.0/UDP 192.0.2.40;branch=z9hG4bKref1', 'Max-Forwards: 70', 'From: <sip:x@192.0.2.40>;tag=x1',
    'To: <sip:bob@192.0.2.20>', 'Call-ID: r1@x', 'CSeq: 1 REFER', 'Contact: <sip:x@192.0.2.40>', 'Refer-To: <sip:evil@192.0.2.40>', 'Content-Length: 0', '', ''].join('\r\n'), { host: '192.0.2.20' });
  await w.run(10);
  assert.equal(peer.received[0]?.status, 403);
});

test('attended transfer: REFER with Replaces; the INVITE with Replaces takes over the consultation call', async () => {
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10');
  const bob = await w.phone('bob', '192.0.2.20');
  const carol = await w.phone('carol', '192.0.2.30');
  const one = await establish(w, alice, bob);
  const two = await establish(w, alice, carol);
  let refer: IncomingRefer | undefined;
  one.inc.on((e) => {
    if (e.type === 'refer') refer = e.refer;
  });
  one.call.refer('sip:carol@192.0.2.30', { replaces: two.call });
  await w.run(10);
  const referMsg = w.net.log.find((p) => p.text.startsWith('REFER'))!;
  assert.match(referMsg.text, /Refer-To: <sip:carol@192.0.2.30\?Replaces=[^>]*%3Bto-tag%3D[^>]*%3Bfrom-tag%3D/);
  const d = two.call.dialog!.id;
  assert.equal(refer?.replaces, `${d.callId};to-tag=${d.remoteTag};from-tag=${d.localTag}`);
  refer!.accept();
  const replacing = bob.agent.call({ target: refer!.referToUri, offer: sdp('o3'), replaces: refer!.replaces! });
  await w.run(10);
  const incoming = carol.incoming[1]!;
  assert.equal(incoming.replaces, two.inc);
  assert.equal(first(two.b, 'replaced')?.by, incoming.session);
  assert.equal(ended(two.b), undefined, 'the old call lives until the new one is answered');
  incoming.session.accept({ body: sdp('a3') });
  await w.run(10);
  assert.equal(replacing.state, 'confirmed');
  assert.equal(ended(two.b)?.reason, 'replaced');
  assert.equal(ended(two.a)?.reason, 'remote-bye');
  assert.equal(ended(two.a)?.text, 'SIP;cause=200;text="Call replaced"');
});

test('INVITE with Replaces naming no dialog gets 481; early-only on a confirmed dialog gets 486', async () => {
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10');
  const bob = await w.phone('bob', '192.0.2.20');
  const { inc } = await establish(w, alice, bob);
  const c1 = alice.agent.call({ target: 'sip:bob@192.0.2.20', offer: sdp('o'), replaces: 'nope@x;to-tag=a;from-tag=b' });
  const e1 = record(c1);
  const d = inc.dialog!.id;
  const c2 = alice.agent.call({ target: 'sip:bob@192.0.2.20', offer: sdp('o'), replaces: `${d.callId};to-tag=${d.localTag};from-tag=${d.remoteTag};early-only` });
  const e2 = record(c2);
  await w.run(10);
  assert.equal(ended(e1)?.status, 481);
  assert.equal(ended(e2)?.status, 486);
  assert.equal(bob.incoming.length, 1);
});

test('REFER progress follows a failing call: NOTIFY with its 486, subscription terminated', async () => {
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10');
  const bob = await w.phone('bob', '192.0.2.20');
  const carol = await w.phone('carol', '192.0.2.30');
  const { call, inc, a } = await establish(w, alice, bob);
  inc.on((e) => {
    if (e.type !== 'refer') return;
    const progress = e.refer.accept();
    progress.follow(bob.agent.call({ target: e.refer.referToUri, offer: sdp('o2') }));
  });
  call.refer('sip:carol@192.0.2.30');
  await w.run(10);
  carol.incoming[0]!.session.reject(486);
  await w.run(10);
  const notes = a.filter((e) => e.type === 'notify').map((e) => (e.type === 'notify' ? [e.sipfrag?.status, e.sipfrag?.reason, e.final] : []));
  assert.deepEqual(notes, [[100, 'Trying', false], [486, 'Busy Here', true]]);
});

test('INVITE with Replaces naming our early outgoing call: accepted, the ringing call is CANCELled', async () => {
  const w = world();
  const alice = await w.phone('alice', '192.0.2.10');
  const bob = await w.phone('bob', '192.0.2.20');
  const carol = await w.phone('carol', '192.0.2.30');
  const ringing = alice.agent.call({ target: 'sip:bob@192.0.2.20', offer: sdp('o') });
  const r = record(ringing);
  await w.run(10);
  bob.incoming[0]!.session.progress(180);
  await w.run(10);
  const d = ringing.dialog!.id;
  const pickup = carol.agent.call({ target: 'sip:alice@192.0.2.10', offer: sdp('o2'), replaces: `${d.callId};to-tag=${d.localTag};from-tag=${d.remoteTag}` });
  await w.run(10);
  const inc = alice.incoming[0]!;
  assert.equal(inc.replaces, ringing);
  inc.session.accept({ body: sdp('a2') });
  await w.run(10);
  assert.equal(pickup.state, 'confirmed');
  assert.equal(ended(r)?.reason, 'replaced');
  assert.ok(w.net.log.some((p) => p.text.startsWith('CANCEL sip:bob@192.0.2.20')));
});
