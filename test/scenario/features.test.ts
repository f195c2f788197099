// In-call features between Handsets: transfers, conference, early media, offerless INVITE,
// recording, mute, RTP inactivity.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectTone, DtmfGenerator, parseWav } from '../../src/media/index.js';
import {
  attendedTransfer, blindTransfer, Conference, startRecording, stopRecording, swapTo, toneSource, type Call, type Phone,
} from '../../src/phone/index.js';
import { comfortNoiseCodec, pcmuCodec } from '../../src/codecs/index.js';
import { world, collect, nextIncoming, type World } from './world.js';

async function connect(w: World, from: Phone, to: Phone, toHost: string, hz: [number, number]): Promise<[Call, Call]> {
  const ringing = nextIncoming(to);
  const a = (await from.dial(`sip:x@${toHost}`, { source: toneSource(hz[0]) })) as Call;
  await w.run(50);
  const b = await ringing;
  b.play(toneSource(hz[1]));
  b.answer();
  await w.run(50);
  assert.equal(a.state, 'active');
  return [a, b];
}

test('blind transfer: bob is REFERred to carol, talks to her, alice drops out', async () => {
  const w = world();
  const alice = await w.phone('192.0.2.10');
  const bob = await w.phone('192.0.2.20');
  const carol = await w.phone('192.0.2.30', { account: { aor: 'sip:carol@192.0.2.30', directCalls: true, autoAnswerMs: 0 } });
  const [a, b] = await connect(w, alice, bob, '192.0.2.20', [500, 1200]);
  const progress: number[] = [];
  a.on('transfer-progress', (p) => progress.push(p.status));
  let transferredTo = '';
  b.on('transferred', (t) => (transferredTo = t.target));
  const carolCall = nextIncoming(carol);
  assert.equal(blindTransfer(a, 'sip:carol@192.0.2.30'), true);
  await w.run(300);
  const c = await carolCall;
  assert.equal(transferredTo, 'sip:carol@192.0.2.30');
  assert.ok(progress.includes(200), `NOTIFY sipfrags: ${progress}`);
  assert.equal(a.end?.reason, 'transferred');
  assert.equal(b.end?.reason, 'transferred');
  const newBob = bob.activeCalls[0]!;
  assert.equal(newBob.state, 'active');
  assert.equal(c.state, 'active');
  newBob.play(toneSource(1200));
  c.play(toneSource(1800));
  const heardByCarol = collect(c);
  const heardByBob = collect(newBob);
  await w.run(800);
  assert.ok(detectTone(heardByCarol.pcm(300), 8000, 1200).ratio > 0.8);
  assert.ok(detectTone(heardByBob.pcm(300), 8000, 1800).ratio > 0.8);
});

test('attended transfer: REFER with Replaces; carol takes bob over the consultation call', async () => {
  const w = world();
  const alice = await w.phone('192.0.2.10');
  const bob = await w.phone('192.0.2.20');
  const carol = await w.phone('192.0.2.30');
  const [a1] = await connect(w, alice, bob, '192.0.2.20', [500, 1200]);
  const [a2, c2] = await connect(w, alice, carol, '192.0.2.30', [500, 1800]);
  assert.equal(attendedTransfer(a1, a2), true);
  await w.run(500);
  assert.equal(a1.end?.reason, 'transferred');
  assert.equal(a2.state, 'ended');
  assert.equal(c2.end?.reason, 'replaced');
  assert.equal(alice.activeCalls.length, 0);
  const [bc] = bob.activeCalls;
  const [cb] = carol.activeCalls;
  assert.equal(bc?.state, 'active');
  assert.equal(cb?.state, 'active');
  bc!.play(toneSource(1200));
  cb!.play(toneSource(1800));
  const atCarol = collect(cb!);
  await w.run(800);
  assert.ok(detectTone(atCarol.pcm(300), 8000, 1200).ratio > 0.8, 'carol hears bob after the transfer');
});

test('3-way conference: each party hears the other two; split goes back to two calls', async () => {
  const w = world();
  const alice = await w.phone('192.0.2.10');
  const bob = await w.phone('192.0.2.20');
  const carol = await w.phone('192.0.2.30');
  const [ab, ba] = await connect(w, alice, bob, '192.0.2.20', [500, 1200]);
  const [ac, ca] = await connect(w, alice, carol, '192.0.2.30', [500, 1800]);
  const conf = new Conference(w.clock, [ab, ac]);
  const atBob = collect(ba);
  const atCarol = collect(ca);
  const atAliceFromBob = collect(ab);
  const atAliceFromCarol = collect(ac);
  await w.run(1000);
  for (const [name, heard, present, absent] of [
    ['bob', atBob, [500, 1800], 1200], ['carol', atCarol, [500, 1200], 1800],
  ] as const) {
    const pcm = heard.pcm(300);
    for (const f of present) assert.ok(detectTone(pcm, 8000, f).ratio > 0.3, `${name} hears ${f} Hz: ${detectTone(pcm, 8000, f).ratio}`);
    assert.ok(detectTone(pcm, 8000, absent).ratio < 0.05, `${name} does not hear himself`);
  }
  assert.ok(detectTone(atAliceFromBob.pcm(300), 8000, 1200).ratio > 0.8);
  assert.ok(detectTone(atAliceFromCarol.pcm(300), 8000, 1800).ratio > 0.8);
  conf.split();
  const mark = atBob.frames.length;
  await w.run(600);
  assert.ok(detectTone(atBob.pcm((mark + 5) * 20), 8000, 1800).ratio < 0.05, 'after the split bob no longer hears carol');
});

test('4-way conference: each of three peers hears us and the two others, not himself; one hanging up leaves the rest merged', async () => {
  const w = world();
  const alice = await w.phone('192.0.2.10');
  const peers = [['192.0.2.20', 1200], ['192.0.2.30', 1800], ['192.0.2.40', 2400]] as const;
  const legs: Array<[Call, Call]> = [];
  for (const [host, hz] of peers) legs.push(await connect(w, alice, await w.phone(host), host, [500, hz]));
  const conf = new Conference(w.clock, legs.map(([ours]) => ours));
  const heard = legs.map(([, theirs]) => collect(theirs));
  await w.run(1000);
  for (let i = 0; i < peers.length; i++) {
    const pcm = heard[i]!.pcm(300);
    for (const [j, [, hz]] of peers.entries()) {
      const r = detectTone(pcm, 8000, hz).ratio;
      if (j === i) assert.ok(r < 0.05, `peer ${i} does not hear himself: ${r}`);
      else assert.ok(r > 0.15, `peer ${i} hears ${hz} Hz: ${r}`);
    }
    assert.ok(detectTone(pcm, 8000, 500).ratio > 0.15, `peer ${i} hears us`);
  }
  legs[2]![1].hangup();
  const mark = heard[0]!.frames.length;
  await w.run(600);
  const after = heard[0]!.pcm((mark + 5) * 20);
  assert.ok(detectTone(after, 8000, 1800).ratio > 0.3, 'the first peer still hears the second');
  assert.ok(detectTone(after, 8000, 2400).ratio < 0.05, 'and no longer the one who left');
  conf.split();
});

test('183 with ringback early media, then 200: the caller hears ringback before the answer', async () => {
  const w = world();
  const alice = await w.phone('192.0.2.10');
  const bob = await w.phone('192.0.2.20', { account: { aor: 'sip:bob@192.0.2.20', directCalls: true, earlyMediaRingback: true } });
  const ringing = nextIncoming(bob);
  const a = (await alice.dial('sip:bob@192.0.2.20')) as Call;
  const rang: Array<{ status: number; earlyMedia: boolean }> = [];
  a.on('ringing', (r) => rang.push(r));
  const heard = collect(a);
  await w.run(50);
  const b = await ringing;
  await w.run(1500);
  assert.deepEqual(rang, [{ status: 183, earlyMedia: true }]);
  // US ringback is 440 + 480 Hz, 2 s on: heard during the first 1.5 s.
  assert.ok(detectTone(heard.pcm(200), 8000, 440).ratio > 0.3, 'ringback heard as early media');
  b.play(toneSource(1200));
  b.answer();
  await w.run(50);
  const mark = heard.frames.length;
  await w.run(600);
  assert.equal(a.state, 'active');
  assert.ok(detectTone(heard.pcm((mark + 5) * 20), 8000, 1200).ratio > 0.8, 'the answer replaces ringback');
});

test('offerless INVITE: offer in our 200, answer in the ACK, audio both ways', async () => {
  const w = world();
  const alice = await w.phone('192.0.2.10');
  const bob = await w.phone('192.0.2.20');
  const ringing = nextIncoming(bob);
  // A late-offer INVITE straight from the session agent (the phone always offers itself).
  const session = alice.agent.call({ target: 'sip:bob@192.0.2.20' });
  const answered = new Promise<void>((r) => session.on((e) => e.type === 'answered' && r()));
  let offerSeen = '';
  session.hooks = {
    createOffer: () => ({ contentType: 'application/sdp', body: Buffer.alloc(0) }),
    answerOffer: (offer) => {
      offerSeen = offer.body.toString();
      return { contentType: 'application/sdp', body: Buffer.from(offer.body.toString().replace(/a=crypto.*\r\n/g, '').replace(/m=audio \d+/, 'm=audio 4000').replace(/c=IN IP4 \S+/g, 'c=IN IP4 192.0.2.10')) };
    },
  };
  await w.run(50);
  const b = await ringing;
  b.answer();
  await w.run(100);
  await answered;
  assert.match(offerSeen, /^v=0/);
  assert.equal(b.state, 'active');
  assert.equal(b.media?.negotiated?.remotePort, 4000);
});

test('recording: two channels, our tone left and the peer right, written as the call goes; mute sends silence', async (t) => {
  const w = world();
  const dir = mkdtempSync(join(tmpdir(), 'handset-rec-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'call.wav');
  const alice = await w.phone('192.0.2.10');
  const bob = await w.phone('192.0.2.20');
  const [a] = await connect(w, alice, bob, '192.0.2.20', [500, 1200]);
  assert.ok((await startRecording(a, file)).ok);
  await w.run(1000);
  // Already readable mid-call (what a crash would leave), then finished by stop.
  assert.ok(parseWav(readFileSync(file)).ok);
  assert.equal(await stopRecording(a), file);
  const wav = parseWav(readFileSync(file));
  assert.ok(wav.ok);
  assert.equal(wav.value.channels, 2);
  const left = wav.value.samples.filter((_, i) => i % 2 === 0).subarray(2000);
  const right = wav.value.samples.filter((_, i) => i % 2 === 1).subarray(2000);
  assert.ok(detectTone(left, 8000, 500).ratio > 0.9);
  assert.ok(detectTone(right, 8000, 1200).ratio > 0.8);
  const atBob = collect(bob.activeCalls[0]!);
  a.setMuted(true);
  await w.run(600);
  assert.ok(detectTone(atBob.pcm(200), 8000, 500).power < 100, 'muted: bob hears nothing');
});

test('comfort noise (RFC 3389) when both list CN: a muted side sends CN packets, not PCMU; without CN it never does', async () => {
  const w = world();
  const alice = await w.phone('192.0.2.10', { codecs: [pcmuCodec, comfortNoiseCodec], rtpTimeoutMs: 3000 });
  const bob = await w.phone('192.0.2.20', { codecs: [pcmuCodec, comfortNoiseCodec] });
  const carol = await w.phone('192.0.2.30');
  const sent = new Map<string, number[]>();
  w.rtp.path = (from, _to, data) => {
    // RTP only (RTCP shares the port: its second byte is 200-204).
    if (data[1]! < 200 || data[1]! > 204) sent.set(from.address, [...(sent.get(from.address) ?? []), data[1]! & 0x7f]);
    return 0;
  };
  const [a, b] = await connect(w, alice, bob, '192.0.2.20', [500, 1200]);
  assert.equal(a.media?.negotiated?.comfortNoiseSend, 13);
  const heard = collect(b);
  await w.run(500);
  assert.ok(sent.get('192.0.2.10')!.every((pt) => pt === 0), 'voice goes as PCMU');
  sent.clear();
  a.setMuted(true);
  await w.run(2000);
  const muted = sent.get('192.0.2.10')!;
  // After the VAD's hangover (a few voice frames), only CN.
  const firstCn = muted.indexOf(13);
  assert.ok(firstCn >= 0 && firstCn <= 15 && muted.slice(firstCn).every((pt) => pt === 13), `silence goes as CN: ${muted.join(',')}`);
  // DTX: a SID on entering silence, then refreshes instead of one packet per 20 ms.
  assert.ok(muted.length < 20, `${muted.length} packets in 2 s of silence`);
  assert.ok(detectTone(heard.pcm(1000), 8000, 500).power < 100, 'bob hears noise, not the tone');
  assert.equal(b.state, 'active', 'CN packets keep the RTP inactivity watchdog fed');
  assert.equal(a.state, 'active');
  a.setMuted(false);
  await w.run(500);
  assert.ok(sent.get('192.0.2.10')!.slice(-10).every((pt) => pt === 0));
  // Carol does not list CN: her call with alice never carries PT 13.
  sent.clear();
  const [c] = await connect(w, carol, alice, '192.0.2.10', [700, 900]);
  assert.equal(c.media?.negotiated?.comfortNoiseSend, undefined);
  c.setMuted(true);
  await w.run(1000);
  assert.ok(sent.get('192.0.2.30')!.every((pt) => pt === 0));
});

test('RTP inactivity ends the call with rtp-timeout (BYE sent)', async () => {
  const w = world();
  const alice = await w.phone('192.0.2.10', { rtpTimeoutMs: 3000 });
  const bob = await w.phone('192.0.2.20');
  const [a, b] = await connect(w, alice, bob, '192.0.2.20', [500, 1200]);
  await w.run(1000);
  assert.equal(a.state, 'active');
  // Bob's media stops (his side of the path is cut).
  w.rtp.path = (from) => (from.address === '192.0.2.20' ? null : 0);
  await w.run(5000);
  assert.equal(a.end?.reason, 'rtp-timeout');
  assert.equal(b.end?.reason, 'remote-bye');
});

test('call waiting: a second call rings with the waiting tone over the first; swap holds one and answers the other', async () => {
  const w = world();
  const alice = await w.phone('192.0.2.10');
  const bob = await w.phone('192.0.2.20');
  const carol = await w.phone('192.0.2.30');
  const [, ba] = await connect(w, alice, bob, '192.0.2.20', [500, 1200]);
  const heard = collect(ba);
  const second = nextIncoming(bob);
  const ca = (await carol.dial('sip:bob@192.0.2.20', { source: toneSource(1800) })) as Call;
  await w.run(50);
  const bc = await second;
  assert.equal(bc.state, 'ringing');
  await w.run(400);
  // US call waiting tone: 440 Hz, heard over alice's 500 Hz.
  assert.ok(detectTone(heard.pcm(heard.frames.length * 20 - 300), 8000, 440).ratio > 0.05, 'waiting tone heard');
  assert.equal(swapTo(bob, bc), true);
  await w.run(100);
  assert.equal(ca.state, 'active');
  assert.deepEqual(ba.held, { local: true, remote: false });
  assert.equal(swapTo(bob, ba), true);
  await w.run(100);
  assert.deepEqual(ba.held, { local: false, remote: false });
  assert.deepEqual(bc.held, { local: true, remote: false });
});

test('in-band DTMF: digits sent as audio are detected', async () => {
  const w = world();
  const alice = await w.phone('192.0.2.10');
  const bob = await w.phone('192.0.2.20', { inbandDtmf: true });
  const [a, b] = await connect(w, alice, bob, '192.0.2.20', [500, 1200]);
  const gen = new DtmfGenerator({ sampleRate: 8000 });
  gen.send('159#');
  a.play({ read: (out) => (out.fill(0), gen.generate(out), true) });
  const digits: string[] = [];
  b.on('dtmf', (d) => digits.push(`${d.digit}/${d.via}`));
  await w.run(1500);
  assert.deepEqual(digits, ['1/inband', '5/inband', '9/inband', '#/inband']);
});

test('Timer H: the ACK for our 200 never comes, the callee ends the call with no-ack', async () => {
  const w = world();
  const alice = await w.phone('192.0.2.10');
  const bob = await w.phone('192.0.2.20');
  w.sip.drop = (p) => p.text.startsWith('ACK');
  const ringing = nextIncoming(bob);
  await alice.dial('sip:bob@192.0.2.20');
  await w.run(50);
  const b = await ringing;
  b.answer();
  await w.run(40_000);
  assert.equal(b.end?.reason, 'no-ack');
});
