import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EchoDelayLine } from '../../../src/app/echo-delay-line.js';

test('the echo delay line returns each sample exactly delaySamples later, one frame out per frame in', () => {
  const frame = 160;
  const line = new EchoDelayLine(16000, frame); // 1 s at 16 kHz
  const out: number[] = [];
  for (let f = 0; f < 120; f++) {
    const input = Int16Array.from({ length: frame }, (_, i) => ((f * frame + i) % 30000) + 1);
    out.push(...line.process(input));
  }
  assert.ok(out.slice(0, 16000).every((s) => s === 0), 'silence for the first second');
  for (let i = 16000; i < out.length; i += 997) assert.equal(out[i], ((i - 16000) % 30000) + 1);
});

test('a zero delay loops each frame straight back', () => {
  const line = new EchoDelayLine(0, 4);
  assert.deepEqual([...line.process(Int16Array.from([1, 2, 3, 4]))], [1, 2, 3, 4]);
  assert.deepEqual([...line.process(Int16Array.from([5, 6, 7, 8]))], [5, 6, 7, 8]);
  assert.throws(() => new EchoDelayLine(-1, 4), RangeError);
});
