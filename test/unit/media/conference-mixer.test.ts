import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../src/util/index.js';
import { ConferenceMixer, continuous, detectTone, softLimit, sound, ToneSource } from '../../../src/media/index.js';
import { CollectingSink, toneSamples, ToneStream } from './audio-fakes.js';

const F = [500, 900, 1400];

function hears(samples: Int16Array, rate: number, on: number[], off: number[]): void {
  for (const f of on) {
    const r = detectTone(samples, rate, f).ratio;
    const share = 1 / on.length;
    assert.ok(Math.abs(r - share) < 0.1, `${f} Hz should be ${share} of the mix: ratio ${r}`);
  }
  for (const f of off) {
    const r = detectTone(samples, rate, f).ratio;
    assert.ok(r < 0.001, `${f} Hz should be absent: ratio ${r}`);
  }
}

test('three parties, each saying a tone: each hears exactly the other two, summed sample for sample', () => {
  const clock = new ManualClock();
  const mixer = new ConferenceMixer({ clock });
  const streams = F.map((f) => new ToneStream(clock, f));
  streams.forEach((s, i) => mixer.add(`p${i}`, s));
  mixer.start();
  clock.advance(980);
  mixer.stop();
  const said = F.map((f) => toneSamples(f, 50 * 160));
  for (let i = 0; i < 3; i++) {
    const got = streams[i]!.sentSamples();
    assert.equal(got.length, 50 * 160);
    hears(got, 8000, F.filter((_, j) => j !== i), [F[i]!]);
    // Below the limiter's knee the mix is the exact sum of the others.
    const [a, b] = said.filter((_, j) => j !== i);
    assert.deepEqual(got, Int16Array.from(got, (_, k) => a![k]! + b![k]!));
  }
});

test('3-way call: the local user (mic + speaker) and two calls', () => {
  const clock = new ManualClock();
  const mixer = new ConferenceMixer({ clock });
  const speaker = new CollectingSink();
  mixer.setLocal({ source: new ToneSource(continuous(sound(900)), { sampleRate: 8000 }), sink: speaker });
  const a = new ToneStream(clock, 500);
  const b = new ToneStream(clock, 1400);
  mixer.add('a', a);
  mixer.add('b', b);
  mixer.start();
  clock.advance(1000);
  hears(speaker.samples(), 8000, [500, 1400], [900]);
  hears(a.sentSamples(), 8000, [900, 1400], [500]);
  hears(b.sentSamples(), 8000, [900, 500], [1400]);
  // Local mute: the calls still hear each other, no longer us.
  mixer.muted = true;
  const from = a.sent.length;
  clock.advance(1000);
  hears(a.sentSamples(from), 8000, [1400], [500, 900]);
});

test('a party at 16 kHz is resampled in and out of the 8 kHz mix', () => {
  const clock = new ManualClock();
  const mixer = new ConferenceMixer({ clock });
  const narrow = [new ToneStream(clock, 500), new ToneStream(clock, 900)];
  const wide = new ToneStream(clock, 1400, 16000);
  narrow.forEach((s, i) => mixer.add(`n${i}`, s));
  mixer.add('w', wide);
  mixer.start();
  clock.advance(1000);
  assert.ok(wide.sent.every((s) => s.pcm.length === 320));
  hears(wide.sentSamples(1), 16000, [500, 900], [1400]);
  hears(narrow[0]!.sentSamples(1), 8000, [900, 1400], [500]);
  hears(narrow[1]!.sentSamples(1), 8000, [500, 1400], [900]);
});

test('split: a removed party is no longer heard nor sent to; merge adds it back', () => {
  const clock = new ManualClock();
  const mixer = new ConferenceMixer({ clock });
  const s = F.map((f) => new ToneStream(clock, f));
  s.forEach((x, i) => mixer.add(`p${i}`, x));
  mixer.start();
  clock.advance(200);
  assert.equal(mixer.remove('p2'), true);
  assert.equal(mixer.remove('p2'), false);
  assert.deepEqual(mixer.participants, ['p0', 'p1']);
  const sentTo2 = s[2]!.sent.length;
  const from = s[0]!.sent.length;
  clock.advance(500);
  assert.equal(s[2]!.sent.length, sentTo2);
  const heard = s[0]!.sentSamples(from);
  assert.equal(heard.length, 25 * 160);
  assert.deepEqual(heard, toneSamplesAt(900, heard.length, from * 160)); // party 1 alone, exactly
  mixer.add('p2', s[2]!);
  assert.throws(() => mixer.add('p2', s[2]!), /already/);
  const again = s[2]!.sent.length;
  clock.advance(500);
  assert.equal(s[2]!.sent.length - again, 25);
});

/** The 900 Hz tone as it continues from sample `start` (what party 1 keeps saying). */
function toneSamplesAt(freq: number, n: number, start: number): Int16Array {
  return toneSamples(freq, start + n).subarray(start);
}

test('a party with ptime 40 gets 320-sample frames every other round', () => {
  const clock = new ManualClock();
  const mixer = new ConferenceMixer({ clock });
  const slow = new ToneStream(clock, 500, 8000, 40);
  const other = new ToneStream(clock, 900);
  mixer.add('slow', slow, { ptimeMs: 40 });
  mixer.add('other', other);
  mixer.start();
  clock.advance(980); // 50 rounds
  assert.equal(slow.sent.length, 25);
  assert.deepEqual(slow.sentSamples(), toneSamples(900, 50 * 160));
  assert.deepEqual(other.sentSamples(), toneSamples(500, 50 * 160));
});

test('loud parties saturate smoothly: no wrap-around, exact below the knee', () => {
  assert.equal(softLimit(24576), 24576);
  assert.equal(softLimit(-1000), -1000);
  let prev = 24576;
  for (let x = 24577; x < 200_000; x += 97) {
    const y = softLimit(x);
    assert.ok(y >= prev && y <= 32767, `softLimit(${x}) = ${y}`);
    assert.equal(softLimit(-x), -y);
    prev = y;
  }
  assert.ok(softLimit(3 * 32767) > 30000);
  const clock = new ManualClock();
  const mixer = new ConferenceMixer({ clock });
  const loud = [0, 1, 2].map(() => ({ sendFrameSamples: 160, receiveFrameSamples: 160, got: [] as Int16Array[],
    sendAudio(p: Int16Array) { this.got.push(p.slice()); }, readAudio: () => new Int16Array(160).fill(30000) }));
  loud.forEach((l, i) => mixer.add(`l${i}`, l));
  mixer.mixOnce();
  for (const l of loud) assert.ok(l.got[0]!.every((v) => v === softLimit(60000) && v > 30000 && v <= 32767));
});

test('3-way over real PCMU MediaStreams: merge two calls, every phone hears the other two, split back', async (t) => {
  const { MemoryNetwork } = await import('../../support/memory-network.js');
  const { MediaStream, AudioPump } = await import('../../../src/media/index.js');
  const { pcmuCodec, comfortNoiseCodec } = await import('../../../src/codecs/index.js');
  const clock = new ManualClock();
  const net = new MemoryNetwork(clock);
  const common = { clock, send: { codec: pcmuCodec, payloadType: 0 }, receive: new Map([[0, pcmuCodec], [13, comfortNoiseCodec]]) };
  // One RTP port per (phone, peer) pair.
  const addr = (us: number, them: number) => ({ address: `10.0.0.${us}`, port: 4000 + 10 * us + them });
  const call = (us: number, them: number) => new MediaStream({ ...common, rtp: net.bind(addr(us, them).address, addr(us, them).port), remote: addr(them, us) });
  // We (1) call B (2) and C (3); each far phone says its tone and keeps what it hears.
  const toB = call(1, 2), atB = call(2, 1), toC = call(1, 3), atC = call(3, 1);
  const tone = (hz: number) => new ToneSource(continuous(sound(hz)), { sampleRate: 8000 });
  const heardB = new CollectingSink(), heardC = new CollectingSink(), speaker = new CollectingSink();
  new AudioPump({ clock, stream: atB, source: tone(500), sink: heardB }).start();
  new AudioPump({ clock, stream: atC, source: tone(1400), sink: heardC }).start();
  const pumpB = new AudioPump({ clock, stream: toB, source: tone(900), sink: speaker });
  const pumpC = new AudioPump({ clock, stream: toC, source: tone(900), sink: new CollectingSink() });
  pumpB.start();
  pumpC.start();
  clock.advance(1000);
  // Merge.
  pumpB.stop();
  pumpC.stop();
  const mixer = new ConferenceMixer({ clock });
  const speakerInConference = new CollectingSink();
  mixer.setLocal({ source: tone(900), sink: speakerInConference });
  mixer.add('b', toB);
  mixer.add('c', toC);
  const [fromB, fromC] = [heardB.frames.length, heardC.frames.length];
  mixer.start();
  clock.advance(3000);
  const settle = 25; // the jitter buffers adapt to the switch
  const ratios: string[] = [];
  const wideHears = (who: string, s: Int16Array, on: number[], off: number[]) => {
    for (const f of on) assert.ok(detectTone(s, 8000, f).ratio > 0.35, `${who} hears ${f} Hz: ${detectTone(s, 8000, f).ratio}`);
    for (const f of off) assert.ok(detectTone(s, 8000, f).ratio < 0.01, `${who} does not hear ${f} Hz: ${detectTone(s, 8000, f).ratio}`);
    ratios.push(`${who}: ${[...on, ...off].map((f) => `${f}=${detectTone(s, 8000, f).ratio.toFixed(3)}`).join(' ')}`);
  };
  wideHears('we', speakerInConference.samples(settle), [500, 1400], [900]);
  wideHears('B', heardB.samples(fromB + settle), [900, 1400], [500]);
  wideHears('C', heardC.samples(fromC + settle), [900, 500], [1400]);
  // Split: C leaves, B gets its own pump back and hears only us.
  mixer.stop();
  mixer.remove('c');
  pumpB.start();
  const afterSplit = heardB.frames.length;
  clock.advance(1000);
  wideHears('B after split', heardB.samples(afterSplit + settle), [900], [500, 1400]);
  for (const s of [toB, atB, toC, atC]) s.close();
  t.diagnostic(ratios.join('; '));
});
