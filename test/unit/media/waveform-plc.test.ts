import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WaveformSubstitutionPlc } from '../../../src/media/waveform-plc.js';
import { TimeStretcher } from '../../../src/media/time-stretch.js';
import { findPitch } from '../../../src/media/pitch.js';
import { prng, voiced } from './jitter-sim.js';

const frame = 160;

/** Runs frames through the PLC, losing the ones listed; returns the output timeline. */
function run(frames: number, lost: Set<number>): Float32Array {
  const plc = new WaveformSubstitutionPlc(8000);
  const out = new Float32Array(frames * frame);
  for (let f = 0; f < frames; f++) {
    const o = out.subarray(f * frame, (f + 1) * frame);
    if (lost.has(f)) plc.conceal(o);
    else plc.good(voiced(frame, f * frame), o);
  }
  return out;
}

const snrDb = (ref: ArrayLike<number>, x: ArrayLike<number>, from: number, to: number): number => {
  let s = 0;
  let n = 0;
  for (let i = from; i < to; i++) {
    s += ref[i]! * ref[i]!;
    n += (ref[i]! - x[i]!) ** 2;
  }
  return 10 * Math.log10(s / Math.max(n, 1e-9));
};

test('output runs 3.75 ms (30 samples at 8 kHz) behind input and is otherwise untouched', () => {
  const out = run(10, new Set());
  const ref = voiced(10 * frame, 0);
  for (let i = 30; i < out.length; i++) assert.equal(out[i], ref[i - 30]);
  assert.equal(out.slice(0, 30).every((v) => v === 0), true);
});

test('a lost frame of periodic speech is replaced by its pitch period (close to the original)', () => {
  const out = run(10, new Set([5]));
  const ref = voiced(10 * frame, -30); // aligned with the 30-sample output delay
  // The concealed region is output samples 5*160+30 .. 6*160+30.
  assert.ok(snrDb(ref, out, 5 * frame + 30, 6 * frame + 30) > 20, 'concealment should continue the waveform');
  assert.ok(snrDb(ref, out, 7 * frame + 30, 10 * frame) > 40, 'after recovery the signal is the original');
});

test('long losses fade out: silent after 60 ms, and the pitch search finds the 200 Hz period', () => {
  const lost = new Set([4, 5, 6, 7, 8, 9, 10, 11]);
  const out = run(14, lost);
  assert.equal(findPitch(voiced(400, 0), 400, 160, 20, 120).lag, 40);
  let tail = 0;
  for (let i = 4 * frame + 30 + 480; i < 12 * frame; i++) tail = Math.max(tail, Math.abs(out[i]!));
  assert.ok(tail < 200, `after 60 ms of loss the output is (nearly) silent, max ${tail}`);
  let first10 = 0;
  for (let i = 4 * frame + 30; i < 4 * frame + 30 + 80; i++) first10 = Math.max(first10, Math.abs(out[i]!));
  assert.ok(first10 > 5000, 'the first 10 ms are played at full level');
});

test('no discontinuity at erasure edges (largest step stays within the signal’s own)', () => {
  const out = run(12, new Set([3, 7, 8]));
  const ref = voiced(12 * frame, 0);
  let maxRefStep = 0;
  for (let i = 1; i < ref.length; i++) maxRefStep = Math.max(maxRefStep, Math.abs(ref[i]! - ref[i - 1]!));
  for (let i = 31; i < out.length; i++) assert.ok(Math.abs(out[i]! - out[i - 1]!) <= maxRefStep * 1.5, `step at ${i}`);
});

test('time stretching removes or repeats exactly one pitch period, keeping the waveform periodic', () => {
  const ts = new TimeStretcher(8000);
  const x = Float32Array.from(voiced(320, 0));
  const shorter = ts.accelerate(x)!;
  const longer = ts.expand(x)!;
  assert.equal(x.length - shorter.length, 40);
  assert.equal(longer.length - x.length, 40);
  // A periodic signal stays itself: compare with the original shifted by the removed period.
  assert.ok(snrDb(x.subarray(40), shorter, 0, shorter.length) > 30);
  assert.ok(snrDb(x, longer.subarray(40), 0, x.length) > 30);
  const rnd = prng(5);
  const noise = Float32Array.from({ length: 320 }, () => (rnd() - 0.5) * 20000);
  assert.equal(ts.accelerate(noise), null, 'aperiodic loud signal is left alone');
  assert.equal(ts.accelerate(new Float32Array(320))!.length, 320 - 120, 'silence can lose the longest lag');
});
