import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../src/util/index.js';
import { AudioPump, continuous, detectTone, EchoTest, sound, ToneSource } from '../../../src/media/index.js';
import { CollectingSink } from './audio-fakes.js';

test('frames come back exactly 1 s later, silence before', () => {
  const echo = new EchoTest({ sampleRate: 8000 });
  const outs: Int16Array[] = [];
  const ins: Int16Array[] = [];
  for (let k = 0; k < 120; k++) {
    const frame = Int16Array.from({ length: 160 }, (_, i) => ((k * 160 + i) * 37) % 30000);
    ins.push(frame);
    outs.push(echo.process(frame));
  }
  for (let k = 0; k < 50; k++) assert.ok(outs[k]!.every((v) => v === 0), `frame ${k} silent`);
  for (let k = 50; k < 120; k++) assert.deepEqual(outs[k], ins[k - 50]);
});

test('delay 0 is a pure loop; reset starts the silence over', () => {
  const loop = new EchoTest({ sampleRate: 16000, delayMs: 0 });
  const f = Int16Array.from({ length: 320 }, (_, i) => i - 100);
  assert.deepEqual(loop.process(f), f);
  const echo = new EchoTest({ sampleRate: 8000, delayMs: 40 });
  echo.sendAudio(new Int16Array(160).fill(7));
  echo.reset();
  echo.sendAudio(new Int16Array(160).fill(9));
  assert.ok(echo.readAudio().every((v) => v === 0));
  assert.ok(echo.readAudio().every((v) => v === 0));
  assert.ok(echo.readAudio().every((v) => v === 9));
});

test('driven by an AudioPump: a tone spoken into it is heard from 1 s on', () => {
  const clock = new ManualClock();
  const echo = new EchoTest({ sampleRate: 8000 });
  const speaker = new CollectingSink();
  new AudioPump({ clock, stream: echo, source: new ToneSource(continuous(sound(1000)), { sampleRate: 8000 }), sink: speaker }).start();
  clock.advance(2000);
  assert.equal(speaker.frames.length, 101);
  assert.ok(speaker.samples().subarray(0, 8000).every((v) => v === 0));
  assert.ok(detectTone(speaker.samples(51), 8000, 1000).ratio > 0.99);
});
