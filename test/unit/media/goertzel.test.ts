import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crossCorrelation, detectTone, goertzelPower, meanSquare } from '../../../src/media/index.js';

const sine = (freq: number, rate: number, n: number, amp: number, phase = 0): Int16Array =>
  Int16Array.from({ length: n }, (_, i) => Math.round(amp * Math.sin((2 * Math.PI * freq * i) / rate + phase)));

test('goertzelPower gives A²/2 for a sine of amplitude A at the frequency', () => {
  const x = sine(1000, 8000, 800, 10000);
  assert.ok(Math.abs(goertzelPower(x, 0, 800, 1000, 8000) / 5e7 - 1) < 0.001);
  assert.ok(goertzelPower(x, 0, 800, 2000, 8000) < 5e7 * 1e-4, 'other bins empty');
  assert.equal(goertzelPower(x, 0, 0, 1000, 8000), 0);
  assert.ok(Math.abs(meanSquare(x) / 5e7 - 1) < 0.001);
});

test('detectTone: ratio near 1 for the tone, near 0 for another frequency and for silence', () => {
  const x = sine(1004, 8000, 1600, 3000);
  assert.ok(detectTone(x, 8000, 1004).ratio > 0.99);
  assert.ok(detectTone(x, 8000, 600).ratio < 0.01);
  assert.deepEqual(detectTone(new Int16Array(160), 8000, 1000), { power: 0, ratio: 0 });
  const mixed = x.map((v, i) => v + sine(400, 8000, 1600, 3000)[i]!);
  const r = detectTone(mixed, 8000, 1004).ratio;
  assert.ok(r > 0.45 && r < 0.55, `half the energy: ${r}`);
});

test('crossCorrelation finds the delay of a copy and its correlation', () => {
  let s = 3;
  const a = Int16Array.from({ length: 2000 }, () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 20) - 2048);
  const delayed = new Int16Array(2100);
  delayed.set(a.map((v) => v >> 1), 37); // delayed by 37 samples at half gain
  const r = crossCorrelation(a, delayed, 100);
  assert.equal(r.lag, 37);
  assert.ok(r.coefficient > 0.999);
  const other = Int16Array.from({ length: 2100 }, () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 20) - 2048);
  assert.ok(crossCorrelation(a, other, 100).coefficient < 0.15);
  assert.deepEqual(crossCorrelation(a, new Int16Array(0), 5), { lag: 0, coefficient: 0 });
});
