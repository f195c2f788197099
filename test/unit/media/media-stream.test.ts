import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../src/util/index.js';
import { comfortNoiseCodec, pcmaCodec, pcmuCodec, type AudioCodec } from '../../../src/codecs/index.js';
import { detectTone, MediaStream, type MediaStreamOptions } from '../../../src/media/index.js';
import { MemoryNetwork } from '../../support/memory-network.js';
import { prng } from './jitter-sim.js';

const A = { address: '10.0.0.1', port: 4000 };
const B = { address: '10.0.0.2', port: 5000 };

function tone(freq: number, n: number, start: number, rate = 8000): Int16Array {
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round(8000 * Math.sin((2 * Math.PI * freq * (start + i)) / rate));
  return out;
}

interface Pair {
  clock: ManualClock;
  net: MemoryNetwork;
  a: MediaStream;
  b: MediaStream;
  /** Runs both directions for `ms`, a sending `fa` Hz and b `fb` Hz; returns what each received. */
  run(ms: number, fa: number, fb: number): { atA: Int16Array; atB: Int16Array };
}

function pair(codec: AudioCodec, extra: Partial<MediaStreamOptions> = {}, extraB: Partial<MediaStreamOptions> = {}): Pair {
  const clock = new ManualClock();
  const net = new MemoryNetwork(clock);
  const pt = codec.payloadType!;
  const common = {
    clock, send: { codec, payloadType: pt }, receive: new Map([[pt, codec], [13, comfortNoiseCodec]]),
    telephoneEvent: { sendPayloadType: 101, receivePayloadTypes: [101] },
  };
  const a = new MediaStream({ ...common, rtp: net.bind(A.address, A.port), remote: B, ...extra });
  const b = new MediaStream({ ...common, rtp: net.bind(B.address, B.port), remote: A, ...extra, ...extraB });
  let sample = 0;
  return {
    clock, net, a, b,
    run(ms, fa, fb) {
      const frames = ms / 20;
      const atA = new Int16Array(frames * 160);
      const atB = new Int16Array(frames * 160);
      for (let f = 0; f < frames; f++) {
        a.sendAudio(tone(fa, 160, sample));
        b.sendAudio(tone(fb, 160, sample));
        sample += 160;
        clock.advance(20);
        atA.set(a.readAudio(), f * 160);
        atB.set(b.readAudio(), f * 160);
      }
      return { atA, atB };
    },
  };
}

const last = (x: Int16Array, ms: number) => x.subarray(x.length - ms * 8);

for (const codec of [pcmuCodec, pcmaCodec]) {
  test(`two-way ${codec.name} audio: each side hears the other's tone, not its own`, () => {
    const p = pair(codec);
    const { atA, atB } = p.run(1000, 1000, 440);
    assert.ok(detectTone(last(atB, 500), 8000, 1000).ratio > 0.9, 'B hears 1 kHz');
    assert.ok(detectTone(last(atA, 500), 8000, 440).ratio > 0.9, 'A hears 440 Hz');
    assert.ok(detectTone(last(atB, 500), 8000, 440).ratio < 0.05);
    assert.equal(p.b.getStats().jitter.concealedFrames, 0);
  });
}

test('SRTP both ways (AES_CM_128_HMAC_SHA1_80 one way, AEAD_AES_128_GCM the other)', () => {
  const k1 = { profile: 'AES_CM_128_HMAC_SHA1_80' as const, key: Buffer.alloc(16, 1), salt: Buffer.alloc(14, 2) };
  const k2 = { profile: 'AEAD_AES_128_GCM' as const, key: Buffer.alloc(16, 3), salt: Buffer.alloc(12, 4) };
  const p = pair(pcmuCodec, { srtp: { send: k1, receive: k2 } }, { srtp: { send: k2, receive: k1 } });
  let plainSeen = 0;
  p.net.path = (_f, _t, data) => {
    // Encrypted payloads must not carry the µ-law bytes of the tone in the clear.
    if (data.length === 12 + 160 + 10 || data.length === 12 + 160 + 16) plainSeen++;
    return 0;
  };
  const { atA, atB } = p.run(600, 1000, 440);
  assert.ok(plainSeen > 40, 'packets carry an authentication tag');
  assert.ok(detectTone(last(atB, 300), 8000, 1000).ratio > 0.9);
  assert.ok(detectTone(last(atA, 300), 8000, 440).ratio > 0.9);
  assert.equal(p.a.getStats().dropped.srtp + p.b.getStats().dropped.srtp, 0);
});

test('wrong SRTP key: every packet is dropped and counted, nothing is played', () => {
  const k1 = { profile: 'AES_CM_128_HMAC_SHA1_80' as const, key: Buffer.alloc(16, 1), salt: Buffer.alloc(14, 2) };
  const bad = { ...k1, key: Buffer.alloc(16, 9) };
  const p = pair(pcmuCodec, { srtp: { send: k1, receive: k1 } }, { srtp: { send: k1, receive: bad } });
  const { atB } = p.run(400, 1000, 440);
  assert.ok(p.b.getStats().dropped.srtp >= 19);
  assert.ok(detectTone(atB, 8000, 1000).power < 1);
});

test('RFC 4733 DTMF from A arrives at B as begin/end events in order, audio held back meanwhile', () => {
  const p = pair(pcmuCodec);
  const got: string[] = [];
  p.b.on('dtmf', (e) => got.push(`${e.phase}:${e.key}`));
  p.run(100, 1000, 440);
  assert.equal(p.a.sendDtmf('1#!'), true);
  p.run(2000, 1000, 440);
  assert.deepEqual(got, ['begin:1', 'end:1', 'begin:#', 'end:#', 'begin:!', 'end:!']);
  assert.equal(p.a.sendDtmf('x'), false);
});

test('only the signalled address is heard: a foreign sender cannot inject or hijack (RTP bleed)', () => {
  const p = pair(pcmuCodec);
  p.run(200, 1000, 440);
  const evil = { address: '10.0.0.66', port: 4000 };
  const sameHostOtherPort = { address: A.address, port: 4002 };
  let seq = 0;
  const forged = (ssrc: number) => {
    const b = Buffer.alloc(172);
    b[0] = 0x80;
    b.writeUInt16BE(seq++, 2);
    b.writeUInt32BE(seq * 160, 4);
    b.writeUInt32BE(ssrc, 8);
    return b;
  };
  for (let i = 0; i < 50; i++) {
    p.net.inject(forged(1234), evil, B);
    p.net.inject(forged(1234), sameHostOtherPort, B);
  }
  const { atB } = p.run(600, 1000, 440);
  assert.equal(p.b.getStats().dropped['foreign-source'], 100);
  assert.deepEqual(p.b.remoteAddress, A);
  assert.ok(detectTone(last(atB, 300), 8000, 1000).ratio > 0.9);
});

test('NAT latching (opt-in) follows the signalled host to a new port, only within the first packets', () => {
  const p = pair(pcmuCodec, {}, { latchPackets: 5, remote: { address: A.address, port: 4444 } });
  p.run(200, 1000, 440);
  assert.deepEqual(p.b.remoteAddress, A, 'B now sends to where A really is');
  const { atA } = p.run(400, 1000, 440);
  assert.ok(detectTone(last(atA, 200), 8000, 440).ratio > 0.9, 'and A hears B');
});

test('10,000 junk packets per second for 10 s leave the audio intact', () => {
  const p = pair(pcmuCodec);
  const rnd = prng(11);
  const atB: number[] = [];
  p.run(200, 1000, 440);
  for (let f = 0; f < 500; f++) {
    for (let j = 0; j < 200; j++) {
      const len = Math.floor(rnd() * 200);
      const junk = Buffer.alloc(len);
      for (let i = 0; i < len; i++) junk[i] = Math.floor(rnd() * 256);
      if (j % 2 === 0 && len >= 12) junk[0] = 0x80 | (junk[0]! & 0x3f); // plausible RTP version
      // Half from the signalled address (garbage that passes the source check), half from elsewhere.
      p.net.inject(junk, j % 4 === 0 ? A : { address: '10.0.0.9', port: 1000 + j }, B);
    }
    const { atB: chunk } = p.run(20, 1000, 440);
    atB.push(...chunk);
  }
  const heard = Int16Array.from(atB);
  const st = p.b.getStats();
  const droppedTotal = Object.values(st.dropped).reduce((x, y) => x + y, 0);
  assert.ok(droppedTotal >= 75_000, `dropped ${droppedTotal}`);
  assert.ok(detectTone(heard.subarray(8000), 8000, 1000).ratio > 0.8, 'tone survives');
  assert.ok(st.jitter.concealedFrames + st.jitter.underrunFrames < 10, `concealed ${st.jitter.concealedFrames}`);
});

test('RTCP: reports flow both ways and give a round-trip time', () => {
  const p = pair(pcmuCodec);
  p.net.path = () => 15;
  p.run(12_000, 1000, 440);
  const rtt = p.a.getStats().roundTripMs;
  assert.ok(rtt !== null && Math.abs(rtt - 30) < 2, `rtt ${rtt}`);
});

test('scenario: 40 ± 20 ms jitter (so packets reorder), 2 % loss: audio stays the tone, concealment ≈ loss', () => {
  const p = pair(pcmuCodec);
  const rnd = prng(21);
  let lost = 0;
  let sent = 0;
  p.net.path = (from) => {
    if (from.port !== A.port) return 0;
    sent++;
    if (rnd() < 0.02) {
      lost++;
      return null;
    }
    return 20 + 40 * rnd();
  };
  const { atB } = p.run(30_000, 1000, 440);
  const st = p.b.getStats().jitter;
  assert.ok(detectTone(atB.subarray(16_000), 8000, 1000).ratio > 0.85);
  assert.ok(st.late / sent < 0.01, `late ${st.late} of ${sent}`);
  const concealed = st.concealedFrames + st.underrunFrames;
  assert.ok(concealed >= lost * 0.8 && concealed <= lost * 1.5 + 10, `concealed ${concealed} for ${lost} lost`);
});

test('comfort noise: silence goes out as a few CN packets (RFC 3389), the far end plays noise at that level', () => {
  const p = pair(pcmuCodec, { send: { codec: pcmuCodec, payloadType: 0, comfortNoisePayloadType: 13 } });
  const sentTypes: number[] = [];
  p.net.path = (from, _to, data) => {
    if (from.port === A.port && data[1] !== undefined && (data[1] & 0x7f) < 72) sentTypes.push(data[1] & 0x7f);
    return 0;
  };
  p.run(1000, 1000, 440); // speech
  let before = sentTypes.length;
  // Low-level noise from A for 4 s; the VAD needs about a second to learn the noise floor.
  const rnd = prng(3);
  const atB: number[] = [];
  for (let f = 0; f < 200; f++) {
    if (f === 100) before = sentTypes.length;
    const noise = Int16Array.from({ length: 160 }, () => Math.round((rnd() - 0.5) * 200));
    p.a.sendAudio(noise);
    p.b.sendAudio(new Int16Array(160));
    p.clock.advance(20);
    p.a.readAudio();
    atB.push(...p.b.readAudio());
  }
  const silentPeriod = sentTypes.slice(before);
  assert.ok(silentPeriod.filter((t) => t === 13).length >= 2, `SID refreshes sent: ${silentPeriod.join(',')}`);
  assert.ok(silentPeriod.length <= 4, `${silentPeriod.length} packets in the last 2 s of silence (instead of 100): ${silentPeriod.join(',')}`);
  const tail = Int16Array.from(atB.slice(-8000));
  const rms = Math.sqrt(tail.reduce((s, v) => s + v * v, 0) / tail.length);
  assert.ok(rms > 10 && rms < 200, `comfort noise level at B: rms ${rms.toFixed(1)}`);
});

test('a DTMF event whose end packets are all lost still ends (receiver timeout)', () => {
  const p = pair(pcmuCodec);
  const got: string[] = [];
  p.b.on('dtmf', (e) => got.push(`${e.phase}:${e.key}`));
  p.run(100, 1000, 440);
  // Drop every event packet with the E bit set.
  p.net.path = (_f, _t, data) => ((data[1]! & 0x7f) === 101 && (data[13]! & 0x80) !== 0 ? null : 0);
  p.a.sendDtmf('5');
  p.run(1000, 1000, 440);
  assert.deepEqual(got, ['begin:5', 'end:5']);
});
