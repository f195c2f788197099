import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiscontinuousTransmission, EnergyVad, frameDbov, type DtxDecision } from '../../../src/codecs/index.js';

let seed = 1;
function noiseFrame(rms: number, n = 160): Int16Array {
  const f = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    f[i] = Math.round((seed / 2 ** 32 - 0.5) * rms * Math.sqrt(12));
  }
  return f;
}
function toneFrame(amplitude: number, n = 160): Int16Array {
  return Int16Array.from({ length: n }, (_, i) => Math.round(amplitude * Math.sin((2 * Math.PI * 440 * i) / 8000)));
}

test('frameDbov: full-scale square wave is 0 dBov, silence is -120', () => {
  assert.ok(Math.abs(frameDbov(new Int16Array(160).fill(32767))) < 1e-9);
  assert.equal(frameDbov(new Int16Array(160)), -120);
});

test('VAD: quiet room is silence, speech-level tone is speech, hangover then silence', () => {
  const vad = new EnergyVad({ hangoverMs: 100 });
  for (let i = 0; i < 20; i++) assert.equal(vad.process(noiseFrame(30)), false, `noise frame ${i}`);
  assert.equal(vad.process(toneFrame(8000)), true);
  const after = Array.from({ length: 8 }, () => vad.process(noiseFrame(30)));
  assert.deepEqual(after, [true, true, true, true, true, false, false, false], '100 ms = 5 frames of hangover');
});

test('VAD: a call opening with speech is detected at once', () => {
  assert.equal(new EnergyVad().process(toneFrame(5000)), true);
});

test('VAD: steady loud background noise is learnt as floor within the window', () => {
  const vad = new EnergyVad({ floorWindowMs: 400, hangoverMs: 0 });
  const results = Array.from({ length: 40 }, () => vad.process(noiseFrame(600))); // about -35 dBov
  assert.equal(results[0], true, 'unknown at first');
  assert.ok(results.slice(25).every((r) => !r), 'learnt after the window');
  assert.ok(Math.abs(vad.noiseFloorDbov - frameDbov(noiseFrame(600))) < 3);
  assert.equal(vad.process(toneFrame(10000)), true, 'speech above the noise still detected');
});

test('VAD: frames below the absolute minimum are never speech', () => {
  const vad = new EnergyVad({ minSpeechDbov: -50 });
  for (let i = 0; i < 10; i++) vad.process(new Int16Array(160));
  assert.equal(vad.process(noiseFrame(40)), false); // about -58 dBov: above the floor, under the minimum
});

test('DTX (RFC 3389 §5): SID at the start of silence, suppressed after, SID on level change and on refresh', () => {
  const dtx = new DiscontinuousTransmission({ hangoverMs: 40, refreshMs: 200, order: 2, minSpeechDbov: -45 });
  const kinds: string[] = [];
  const sids: DtxDecision[] = [];
  const feed = (f: Int16Array): void => {
    const d = dtx.next(f);
    kinds.push(d.kind);
    if (d.kind === 'sid') sids.push(d);
  };
  for (let i = 0; i < 3; i++) feed(toneFrame(8000));
  for (let i = 0; i < 6; i++) feed(noiseFrame(30));
  assert.deepEqual(kinds, ['speech', 'speech', 'speech', 'speech', 'speech', 'sid', 'silent', 'silent', 'silent']);
  kinds.length = 0;
  feed(noiseFrame(90)); // +9.5 dB: new SID
  for (let i = 0; i < 10; i++) feed(noiseFrame(90)); // 10 × 20 ms = refresh
  assert.deepEqual(kinds, ['sid', ...Array(9).fill('silent'), 'sid']);
  const first = sids[0]!;
  assert.ok(first.kind === 'sid' && first.payload.reflectionIndices.length === 2);
  assert.ok(first.kind === 'sid' && Math.abs(first.payload.level - 61) <= 1);
  kinds.length = 0;
  feed(toneFrame(8000));
  assert.deepEqual(kinds, ['speech']);
});
