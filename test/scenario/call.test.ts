import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectTone } from '../../src/media/index.js';
import { toneSource, setHold, sendDtmf, type Call } from '../../src/phone/index.js';
import { world, collect, nextIncoming } from './world.js';

/** Alice (tone 500 Hz) calls Bob (tone 1200 Hz); Bob answers. */
async function talking() {
  const w = world();
  const alice = await w.phone('192.0.2.10');
  const bob = await w.phone('192.0.2.20');
  const ringing = nextIncoming(bob);
  const dialed = await alice.dial('sip:bob@192.0.2.20', { source: toneSource(500) });
  assert.ok(typeof dialed !== 'string', String(dialed));
  const a = dialed as Call;
  const aHeard = collect(a);
  await w.run(50);
  const b = await ringing;
  assert.equal(a.state, 'ringing');
  assert.equal(b.state, 'ringing');
  b.play(toneSource(1200));
  const bHeard = collect(b);
  assert.equal(b.answer(), true);
  await w.run(50);
  assert.equal(a.state, 'active');
  assert.equal(b.state, 'active');
  return { w, alice, bob, a, b, aHeard, bHeard };
}

test('call, answer and two-way audio proven by tone detection', async () => {
  const { w, a, b, aHeard, bHeard, alice, bob } = await talking();
  await w.run(1000);
  const atAlice = aHeard.pcm(400);
  const atBob = bHeard.pcm(400);
  assert.ok(atAlice.length >= 8000 * 0.5);
  assert.ok(detectTone(atAlice, 8000, 1200).ratio > 0.8, `alice hears bob: ${detectTone(atAlice, 8000, 1200).ratio}`);
  assert.ok(detectTone(atAlice, 8000, 500).ratio < 0.05);
  assert.ok(detectTone(atBob, 8000, 500).ratio > 0.8, `bob hears alice: ${detectTone(atBob, 8000, 500).ratio}`);
  const ended = new Promise((r) => b.once('ended', r));
  a.hangup();
  await w.run(50);
  const end = (await ended) as { reason: string; answered: boolean };
  assert.equal(end.reason, 'remote-bye');
  assert.equal(a.end?.reason, 'local-bye');
  assert.equal(alice.history.rows.length, 1);
  assert.equal(alice.history.rows[0]!.direction, 'outgoing');
  assert.equal(alice.history.rows[0]!.reason, 'local-bye');
  assert.ok(alice.history.rows[0]!.answeredAt !== undefined);
  assert.equal(bob.history.rows[0]!.direction, 'incoming');
  assert.equal(alice.activeCalls.length, 0);
});

test('hold and resume: sendonly/recvonly per RFC 6337, audio stops one way and comes back', async () => {
  const { w, a, b, aHeard, bHeard } = await talking();
  await w.run(200);
  const heldAtBob = new Promise((r) => b.once('held', r));
  assert.equal(setHold(a, true), true);
  await w.run(100);
  assert.deepEqual(await heldAtBob, { local: false, remote: true });
  assert.deepEqual(a.held, { local: true, remote: false });
  assert.equal(a.media?.negotiated?.direction, 'sendonly');
  assert.equal(b.media?.negotiated?.direction, 'recvonly');
  const mark = aHeard.frames.length;
  const markB = bHeard.frames.length;
  await w.run(600);
  // Alice holds: she still sends, Bob's answer (recvonly) sends nothing to her.
  const aWhileHeld = aHeard.pcm((mark + 10) * 20);
  assert.ok(detectTone(aWhileHeld, 8000, 1200).power < 1000, 'no audio from bob while held');
  assert.ok(detectTone(bHeard.pcm((markB + 10) * 20), 8000, 500).ratio > 0.8, 'bob still hears alice (sendonly)');
  assert.equal(setHold(a, false), true);
  await w.run(100);
  assert.equal(a.media?.negotiated?.direction, 'sendrecv');
  const mark2 = aHeard.frames.length;
  await w.run(600);
  assert.ok(detectTone(aHeard.pcm((mark2 + 10) * 20), 8000, 1200).ratio > 0.8, 'bob audible again');
});

test('DTMF both ways: RFC 4733 and SIP INFO', async () => {
  const { w, a, b } = await talking();
  const atBob: string[] = [];
  const atAlice: string[] = [];
  b.on('dtmf', (d) => atBob.push(`${d.digit}/${d.via}`));
  a.on('dtmf', (d) => atAlice.push(`${d.digit}/${d.via}`));
  assert.equal(sendDtmf(a, w.clock, '12#'), 'rfc4733');
  await w.run(1000);
  assert.deepEqual(atBob, ['1/rfc4733', '2/rfc4733', '#/rfc4733']);
  assert.equal(sendDtmf(b, w.clock, '9*', 'info'), 'info');
  await w.run(1000);
  assert.deepEqual(atAlice, ['9/info', '*/info']);
});

test('hold by UPDATE (RFC 3311) when asked: the peer answers recvonly, resume by UPDATE too', async () => {
  const { w, a, b } = await talking();
  const held = new Promise((r) => b.once('held', r));
  const mark = w.sip.log.length;
  assert.equal(setHold(a, true, 'UPDATE'), true);
  await w.run(100);
  assert.deepEqual(await held, { local: false, remote: true });
  assert.equal(a.media?.negotiated?.direction, 'sendonly');
  const sent = w.sip.log.slice(mark).map((p) => p.text.slice(0, p.text.indexOf(' ')));
  assert.ok(sent.includes('UPDATE') && !sent.includes('INVITE'), sent.join(','));
  assert.equal(setHold(a, false, 'UPDATE'), true);
  await w.run(100);
  assert.equal(a.media?.negotiated?.direction, 'sendrecv');
});
