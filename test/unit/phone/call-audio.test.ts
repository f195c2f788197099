import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectTone, encodeWav } from '../../../src/media/index.js';
import { addFrames, PcmFeed, PcmTap, toneSource, wavSource } from '../../../src/phone/index.js';

test('PcmFeed plays pushed frames in order across frame edges, silence when dry, false once ended', () => {
  const feed = new PcmFeed();
  feed.push(Int16Array.from([1, 2, 3]));
  feed.push(Int16Array.from([4, 5]));
  const out = new Int16Array(4);
  assert.equal(feed.read(out), true);
  assert.deepEqual([...out], [1, 2, 3, 4]);
  feed.end();
  assert.equal(feed.read(out), false);
  assert.deepEqual([...out], [5, 0, 0, 0]);
});

test('PcmTap yields written frames as an async iterator and finishes on close', async () => {
  const tap = new PcmTap(2);
  tap.write(Int16Array.from([1]));
  tap.write(Int16Array.from([2]));
  tap.write(Int16Array.from([3]));
  assert.equal(tap.dropped, 1);
  const got: number[] = [];
  const reading = (async () => {
    for await (const f of tap) got.push(f[0]!);
  })();
  await new Promise((r) => setImmediate(r));
  tap.write(Int16Array.from([4]));
  tap.close();
  await reading;
  assert.deepEqual(got, [2, 3, 4]);
});

test('wavSource resamples a 16 kHz stereo file to 8 kHz mono; junk is refused with a reason', () => {
  const n = 16000;
  const samples = new Int16Array(n * 2);
  const tone = new Int16Array(n);
  toneSource(1000).read(tone, 16000);
  for (let i = 0; i < n; i++) samples[2 * i] = samples[2 * i + 1] = tone[i]!;
  const src = wavSource(encodeWav({ sampleRate: 16000, channels: 2, samples }));
  assert.ok(typeof src !== 'string');
  const out = new Int16Array(8000 - 160);
  assert.equal(src.read(out, 8000), true);
  assert.ok(detectTone(out, 8000, 1000).ratio > 0.95);
  const tail = new Int16Array(320);
  assert.equal(src.read(tail, 8000), true, 'the last 160 samples still play');
  assert.equal(src.read(tail, 8000), false);
  assert.match(String(wavSource(Buffer.from('not a wav'))), /WAV/);
});

test('addFrames saturates', () => {
  assert.deepEqual([...addFrames(Int16Array.from([30000, -30000, 1]), Int16Array.from([30000, -30000]))], [32767, -32768, 1]);
});
