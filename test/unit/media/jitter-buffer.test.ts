import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JitterBuffer } from '../../../src/media/jitter-buffer.js';
import { decodeL16, runScenario, voiced } from './jitter-sim.js';

const packet = (i: number, ts0 = 1000) => {
  const pcm = voiced(160, i * 160);
  return { sequenceNumber: i, timestamp: (ts0 + i * 160) >>> 0, payload: Buffer.from(pcm.buffer) };
};

test('plays packets in timestamp order whatever order they arrive in', () => {
  const jb = new JitterBuffer({ sampleRate: 8000, decode: decodeL16 });
  for (const i of [0, 2, 1, 3]) assert.equal(jb.push(packet(i), i * 20), 'queued');
  const stamps = [0, 1, 2, 3].map((i) => jb.pull(20 + i * 20).timestamp);
  // Output runs the concealment delay (30 samples) behind the packets.
  assert.deepEqual(stamps, [1000 - 30, 1160 - 30, 1320 - 30, 1480 - 30]);
  assert.equal(jb.stats.concealedFrames, 0);
});

test('drops duplicates and packets whose time has passed, and counts them', () => {
  const jb = new JitterBuffer({ sampleRate: 8000, decode: decodeL16 });
  jb.push(packet(0), 0);
  jb.push(packet(1), 20);
  assert.equal(jb.push(packet(1), 21), 'duplicate');
  jb.pull(20);
  jb.pull(40);
  jb.pull(60);
  assert.equal(jb.push(packet(0), 60), 'late');
  assert.equal(jb.stats.duplicates, 1);
  assert.equal(jb.stats.late, 1);
});

test('a missing packet is concealed once its successor is waiting, and the timeline does not slip', () => {
  const jb = new JitterBuffer({ sampleRate: 8000, decode: decodeL16 });
  for (const i of [0, 1, 3, 4]) jb.push(packet(i), i * 20);
  const kinds = [0, 1, 2, 3, 4].map((i) => jb.pull(20 + i * 20).kind);
  assert.deepEqual(kinds, ['normal', 'normal', 'concealed', 'normal', 'normal']);
  assert.equal(jb.stats.concealedFrames, 1);
});

test('an empty buffer conceals without losing the packet that arrives late in time', () => {
  const jb = new JitterBuffer({ sampleRate: 8000, decode: decodeL16 });
  jb.push(packet(0), 0);
  assert.equal(jb.pull(25).kind, 'normal');
  assert.equal(jb.pull(45).kind, 'concealed'); // packet 1 is delayed, not lost
  jb.push(packet(1), 45);
  jb.push(packet(2), 46);
  const f = jb.pull(65);
  assert.notEqual(f.kind, 'concealed');
  assert.ok(f.timestamp! >= 1160 - 30 && f.timestamp! < 1320);
  assert.equal(jb.stats.late, 0);
  assert.equal(jb.stats.underrunFrames, 1);
});

test('timestamp jump of more than 5 s restarts the timeline', () => {
  const jb = new JitterBuffer({ sampleRate: 8000, decode: decodeL16 });
  jb.push(packet(0), 0);
  jb.pull(20);
  assert.equal(jb.push(packet(0, 1000 + 8000 * 60), 20), 'reset');
  assert.equal(jb.pull(40).timestamp, 1000 + 8000 * 60 - 30);
  assert.equal(jb.stats.resets, 1);
});

test('garbage-sized payloads and 32-bit timestamp wrap are handled', () => {
  const jb = new JitterBuffer({ sampleRate: 8000, decode: decodeL16 });
  for (let i = 0; i < 4; i++) jb.push(packet(i, 0xffffffff - 200), i * 20);
  for (let i = 0; i < 4; i++) assert.notEqual(jb.pull(20 + i * 20).kind, 'concealed');
  assert.equal(jb.stats.late + jb.stats.duplicates + jb.stats.resets, 0);
});

test('scenario: clean path adds at most 40 ms', () => {
  const r = runScenario({ durationMs: 20_000, delay: () => 30, pullPhaseMs: 13 });
  assert.equal(r.late, 0);
  assert.equal(r.concealed, 0);
  assert.ok(r.maxAddedDelayMs <= 40, `max added delay ${r.maxAddedDelayMs} ms`);
});

test('scenario: 40 ± 20 ms jitter with 2 % loss gives under 1 % late loss', () => {
  const r = runScenario({ durationMs: 120_000, delay: (_i, rnd) => 20 + 40 * rnd(), lossRate: 0.02, seed: 7 });
  const lateRatio = r.late / r.sent;
  assert.ok(lateRatio < 0.01, `late loss ${(lateRatio * 100).toFixed(2)} %`);
  const concealedRatio = r.concealed / r.frames;
  assert.ok(concealedRatio < 0.035, `concealed ${(concealedRatio * 100).toFixed(2)} %`);
  assert.ok(r.meanAddedDelayMs < 100, `mean added delay ${r.meanAddedDelayMs} ms`);
});

for (const ppm of [100, -100]) {
  test(`scenario: ${ppm} ppm sender clock skew for 10 minutes keeps the hold between the target and a pull above it`, () => {
    const r = runScenario({ durationMs: 600_000, delay: (_i, rnd) => 30 + 10 * rnd(), skewPpm: ppm, seed: 3 });
    const settled = r.levels.filter((l) => l.t > 10_000);
    for (const l of settled) {
      // Pulls come every 20 ms, so the hold at decode can sit up to a frame (plus the 1 ms guard and
      // the 2 ms margin a saved pull must leave) above the target; it is never let below it.
      assert.ok(l.excess >= 0 && l.excess <= 23, `at ${l.t} ms the hold is ${l.excess.toFixed(1)} ms off target ${l.target.toFixed(1)}`);
    }
    const st = r.jb.stats;
    assert.equal(st.late, 0, 'late packets');
    assert.ok(st.underrunFrames <= 2, `underruns ${st.underrunFrames}`);
    const driftMs = 600 * Math.abs(ppm) / 1000;
    const corrected = ppm > 0 ? st.acceleratedMs - st.expandedMs : st.expandedMs - st.acceleratedMs;
    assert.ok(Math.abs(corrected - driftMs) < 30, `corrected ${corrected} ms of ${driftMs} ms drift`);
  });
}
