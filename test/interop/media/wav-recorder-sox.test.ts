// A recording cut short (header still saying "size unknown") must be readable by other tools, not
// only by our parseWav: sox reads it to the end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { WavFileRecorder } from '../../../src/media/index.js';
import { makeTempDir, removeTempDir, skipUnless } from '../../support/peers/env.js';

test('sox reads an unfinished recording to its end, and the finished one exactly', { skip: skipUnless('sox') }, async (t) => {
  const dir = makeTempDir('handset-wavrec-');
  t.after(() => removeTempDir(dir));
  const path = join(dir, 'rec.wav');
  const rec = await WavFileRecorder.open(path, { sampleRate: 8000, channels: 1 });
  assert.ok(rec.ok);
  const frame = Int16Array.from({ length: 160 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * i) / 8)));
  for (let k = 0; k < 50; k++) rec.value.write(frame);
  await rec.value.flush(); // as a crash would leave it: no close
  const samplesRead = () => {
    const r = spawnSync('sox', [path, '-n', 'stat'], { encoding: 'utf8' });
    const m = /Samples read:\s+(\d+)/.exec(r.stderr);
    assert.ok(m, r.stderr);
    return Number(m[1]);
  };
  assert.equal(samplesRead(), 8000);
  for (let k = 0; k < 25; k++) rec.value.write(frame);
  await rec.value.close();
  assert.equal(samplesRead(), 12000);
});
