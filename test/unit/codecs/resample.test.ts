import { test } from 'node:test';
import assert from 'node:assert/strict';
import { downmixToMono, resampleLinear } from '../../../src/codecs/index.js';
import { detectTone } from '../../../src/media/index.js';

const sine = (freq: number, rate: number, ms: number, amp = 10000): Int16Array =>
  Int16Array.from({ length: (rate * ms) / 1000 }, (_, i) => Math.round(amp * Math.sin((2 * Math.PI * freq * i) / rate)));

test('44.1 kHz → 8 kHz keeps a 1 kHz tone and the duration', () => {
  const out = resampleLinear(sine(1000, 44100, 500), 44100, 8000);
  assert.equal(out.length, 4000);
  const t = detectTone(out, 8000, 1000);
  assert.ok(t.ratio > 0.97, `ratio ${t.ratio}`);
  assert.ok(Math.abs(10 * Math.log10(t.power / (10000 ** 2 / 2))) < 1, 'level kept within 1 dB');
});

test('8 kHz → 16 kHz and 48 kHz keep a 440 Hz tone', () => {
  for (const to of [16000, 48000]) {
    const out = resampleLinear(sine(440, 8000, 500), 8000, to);
    assert.equal(out.length, to / 2);
    assert.ok(detectTone(out, to, 440).ratio > 0.99, `${to}`);
  }
});

test('decimation averages: a 20 kHz tone at 48 kHz is strongly attenuated at 8 kHz', () => {
  const out = resampleLinear(sine(20000, 48000, 200), 48000, 8000);
  const rms = Math.sqrt(out.reduce((s, v) => s + v * v, 0) / out.length);
  assert.ok(rms < 10000 / Math.SQRT2 / 10, `alias rms ${rms}`);
});

test('stereo channels are resampled independently; same rate copies', () => {
  const st = Int16Array.from({ length: 200 }, (_, i) => (i % 2 ? -1000 : 1000));
  const out = resampleLinear(st, 16000, 8000, 2);
  assert.equal(out.length, 100);
  assert.ok([...out].every((v, i) => v === (i % 2 ? -1000 : 1000)));
  const same = resampleLinear(st, 8000, 8000, 2);
  assert.deepEqual(same, st);
  assert.notEqual(same, st);
});

test('downmix averages interleaved channels', () => {
  assert.deepEqual([...downmixToMono(Int16Array.from([100, 300, -50, -150]), 2)], [200, -100]);
});
