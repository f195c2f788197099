import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AUDIO_FRAME_HEADER_SIZE, parseAudioFrame, sizeOfAudioFrame, writeAudioFrame } from '../../../src/ui/index.js';

test('audio frames round-trip with their sequence, time and samples (little-endian)', () => {
  const frame = { sequence: 0xfffffffe, timeMs: 1764069600123.25, samples: Int16Array.from([0, 1, -1, 32767, -32768]) };
  const buf = new Uint8Array(3 + sizeOfAudioFrame(frame));
  assert.equal(writeAudioFrame(frame, buf, 3), AUDIO_FRAME_HEADER_SIZE + 10);
  assert.deepEqual([...buf.subarray(3, 7)], [0xfe, 0xff, 0xff, 0xff]);
  assert.deepEqual([...buf.subarray(3 + 16 + 6, 3 + 16 + 10)], [0xff, 0x7f, 0x00, 0x80]);
  const r = parseAudioFrame(buf, 3, 5);
  assert.ok(r.ok);
  assert.equal(r.value.sequence, frame.sequence);
  assert.equal(r.value.timeMs, frame.timeMs);
  assert.deepEqual([...r.value.samples], [...frame.samples]);
});

test('short or wrongly sized frames are reported, not thrown', () => {
  assert.deepEqual(parseAudioFrame(new Uint8Array(10), 0, 320), { ok: false, error: 'frame of 10 bytes is shorter than its 16-byte header' });
  assert.deepEqual(parseAudioFrame(new Uint8Array(16 + 318), 0, 320), { ok: false, error: 'frame carries 159 samples, expected 320' });
  assert.throws(() => writeAudioFrame({ sequence: 0, timeMs: 0, samples: new Int16Array(4) }, new Uint8Array(20)), RangeError);
});
