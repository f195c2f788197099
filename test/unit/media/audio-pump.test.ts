import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../src/util/index.js';
import { comfortNoiseCodec, pcmuCodec } from '../../../src/codecs/index.js';
import {
  AudioPump, CallRecorder, continuous, detectTone, FrameTicker, MediaStream, parseWav, SilenceSource, sound, ToneSource, WavFileSource,
} from '../../../src/media/index.js';
import { MemoryNetwork } from '../../support/memory-network.js';
import { CollectingSink, LateClock, toneSamples, ToneStream } from './audio-fakes.js';

const tone = (hz: number, sampleRate = 8000) => new ToneSource(continuous(sound(hz)), { sampleRate });

test('pump sends the source and plays the stream every 20 ms, sample-exact', () => {
  const clock = new ManualClock(5000);
  const stream = new ToneStream(clock, 600);
  const sink = new CollectingSink();
  const pump = new AudioPump({ clock, stream, source: tone(1000), sink });
  pump.start();
  clock.advance(1000);
  assert.equal(stream.sent.length, 51); // t = 0, 20, ..., 1000
  assert.deepEqual(stream.sent.slice(0, 3).map((s) => s.at), [5000, 5020, 5040]);
  assert.deepEqual(stream.sentSamples(), toneSamples(1000, 51 * 160));
  assert.equal(sink.frames.length, 51);
  assert.deepEqual(sink.samples(), toneSamples(600, 51 * 160));
  pump.stop();
  clock.advance(1000);
  assert.equal(stream.sent.length, 51);
  assert.equal(clock.timerCount, 0);
});

test('scheduling is drift-free: timers firing 7 ms late do not slow the frame rate', () => {
  const clock = new LateClock(() => 7);
  const stream = new ToneStream(clock, 0);
  const pump = new AudioPump({ clock, stream, source: new SilenceSource(8000), sink: new CollectingSink() });
  pump.start();
  clock.manual.advance(10_000);
  // A chain of relative 20 ms delays would manage 10000 / 27 ≈ 370 frames.
  assert.ok(Math.abs(stream.sent.length - 501) <= 1, `sent ${stream.sent.length}`);
  for (let i = 1; i < stream.sent.length; i++) assert.ok(stream.sent[i]!.at - i * 20 <= 7, `frame ${i} at ${stream.sent[i]!.at}`);
});

test('a stall is caught up in a bounded burst; older frames are skipped and counted', () => {
  let n = 0;
  const clock = new LateClock(() => (n++ === 10 ? 1000 : 0)); // one timer fires a second late
  const stream = new ToneStream(clock, 0);
  const pump = new AudioPump({ clock, stream, source: new SilenceSource(8000), sink: new CollectingSink(), maxCatchUpMs: 100 });
  pump.start();
  clock.manual.advance(2000);
  assert.ok(pump.skipped.send > 40, `skipped ${pump.skipped.send}`);
  assert.equal(stream.sent.length + pump.skipped.send, 101);
  const perInstant = new Map<number, number>();
  for (const s of stream.sent) perInstant.set(s.at, (perInstant.get(s.at) ?? 0) + 1);
  assert.equal(Math.max(...perInstant.values()), 5); // 100 ms of catch-up in one burst
  assert.deepEqual(stream.sent.slice(-3).map((s) => s.at), [1960, 1980, 2000]); // back on the grid
});

test('mute sends silence with timestamps running, and the source keeps its place', () => {
  const clock = new ManualClock();
  const stream = new ToneStream(clock, 0);
  const pump = new AudioPump({ clock, stream, source: tone(1000), sink: new CollectingSink() });
  pump.start();
  clock.advance(180); // frames 0..9
  pump.muted = true;
  clock.advance(200); // frames 10..19
  pump.muted = false;
  clock.advance(200); // frames 20..29
  assert.equal(stream.sent.length, 30);
  const all = stream.sentSamples();
  const expected = toneSamples(1000, 30 * 160);
  assert.ok(all.subarray(1600, 3200).every((v) => v === 0));
  assert.deepEqual(all.subarray(0, 1600), expected.subarray(0, 1600));
  assert.deepEqual(all.subarray(3200), expected.subarray(3200));
});

test('ptime 30: sends 240 samples every 30 ms, still reads every 20 ms', () => {
  const clock = new ManualClock();
  const stream = new ToneStream(clock, 0, 8000, 30);
  const sink = new CollectingSink();
  const pump = new AudioPump({ clock, stream, source: tone(1000), sink, ptimeMs: 30 });
  pump.start();
  clock.advance(600);
  assert.equal(stream.sent.length, 21);
  assert.equal(sink.frames.length, 31);
  assert.deepEqual(stream.sentSamples(), toneSamples(1000, 21 * 240));
});

test('a 16 kHz source and a 48 kHz sink are resampled to and from an 8 kHz stream', () => {
  const clock = new ManualClock();
  const stream = new ToneStream(clock, 600);
  const sink = new CollectingSink(48000);
  const pump = new AudioPump({ clock, stream, source: tone(1000, 16000), sink });
  pump.start();
  clock.advance(500);
  assert.ok(stream.sent.every((s) => s.pcm.length === 160));
  assert.ok(detectTone(stream.sentSamples(2), 8000, 1000).ratio > 0.9);
  assert.ok(sink.frames.every((f) => f.length === 960));
  assert.ok(detectTone(sink.samples(2), 48000, 600).ratio > 0.9);
});

test('the end of a --play file is reported once; the callback may stop the pump', () => {
  const clock = new ManualClock();
  const stream = new ToneStream(clock, 0);
  const file = new WavFileSource({ sampleRate: 8000, channels: 1, samples: toneSamples(1000, 800) }, { sampleRate: 8000 });
  let ended = 0;
  const pump = new AudioPump({ clock, stream, source: file, sink: new CollectingSink(), onSourceEnded: () => (ended++, pump.stop()) });
  pump.start();
  clock.advance(1000);
  assert.equal(ended, 1);
  assert.equal(pump.running, false);
  assert.equal(stream.sent.length, 6); // 5 frames of file, then the one that found it ended
  assert.deepEqual(stream.sentSamples().subarray(0, 800), toneSamples(1000, 800));
});

test('setSource switches the microphone mid-call', () => {
  const clock = new ManualClock();
  const stream = new ToneStream(clock, 0);
  const pump = new AudioPump({ clock, stream, source: tone(1000), sink: new CollectingSink() });
  pump.start();
  clock.advance(480);
  pump.setSource(tone(1500));
  clock.advance(500);
  assert.ok(detectTone(stream.sentSamples(0).subarray(0, 3200), 8000, 1000).ratio > 0.95);
  assert.ok(detectTone(stream.sentSamples(25), 8000, 1500).ratio > 0.95);
});

test('call recording through the pump: ours left, theirs right, parse back as stereo', async () => {
  const clock = new ManualClock();
  const stream = new ToneStream(clock, 600);
  const recorder = new CallRecorder();
  const path = join(mkdtempSync(join(tmpdir(), 'handset-pump-')), 'call.wav');
  assert.ok((await recorder.start(path)).ok);
  const pump = new AudioPump({ clock, stream, source: tone(1000), sink: new CollectingSink(), tap: recorder });
  pump.start();
  clock.advance(1980);
  await recorder.stop();
  const wav = parseWav(readFileSync(path));
  assert.ok(wav.ok);
  assert.equal(wav.value.channels, 2);
  assert.equal(wav.value.samples.length, 2 * 100 * 160);
  const left = wav.value.samples.filter((_, i) => i % 2 === 0);
  const right = wav.value.samples.filter((_, i) => i % 2 === 1);
  assert.deepEqual(left, toneSamples(1000, 16000));
  assert.deepEqual(right, toneSamples(600, 16000));
});

test('two pumps on real MediaStreams (PCMU over a memory network): each end hears the other', () => {
  const clock = new ManualClock();
  const net = new MemoryNetwork(clock);
  const A = { address: '10.0.0.1', port: 4000 };
  const B = { address: '10.0.0.2', port: 5000 };
  const common = { clock, send: { codec: pcmuCodec, payloadType: 0 }, receive: new Map([[0, pcmuCodec], [13, comfortNoiseCodec]]) };
  const a = new MediaStream({ ...common, rtp: net.bind(A.address, A.port), remote: B });
  const b = new MediaStream({ ...common, rtp: net.bind(B.address, B.port), remote: A });
  const atA = new CollectingSink();
  const atB = new CollectingSink();
  const pumpA = new AudioPump({ clock, stream: a, source: tone(1000), sink: atA });
  const pumpB = new AudioPump({ clock, stream: b, source: tone(600), sink: atB });
  pumpA.start();
  pumpB.start();
  clock.advance(3000);
  pumpA.stop();
  pumpB.stop();
  a.close();
  b.close();
  const heardA = atA.samples(50);
  const heardB = atB.samples(50);
  assert.ok(detectTone(heardA, 8000, 600).ratio > 0.9, `A hears 600 Hz: ${detectTone(heardA, 8000, 600).ratio}`);
  assert.ok(detectTone(heardA, 8000, 1000).ratio < 0.01);
  assert.ok(detectTone(heardB, 8000, 1000).ratio > 0.9);
  assert.ok(detectTone(heardB, 8000, 600).ratio < 0.01);
});

test('FrameTicker runs frame n at start + n × period and stops from inside a frame', () => {
  const clock = new ManualClock(100);
  const at: number[] = [];
  const t: FrameTicker = new FrameTicker(clock, 30, () => {
    at.push(clock.now());
    if (at.length === 4) t.stop();
  });
  t.start();
  clock.advance(1000);
  assert.deepEqual(at, [100, 130, 160, 190]);
  assert.equal(clock.timerCount, 0);
});
