import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runOnClock, runScenario } from './jitter-sim.js';

/** Output runs the concealment overlap (3.75 ms) behind the packets. */
const plcDelayMs = 3.75;
/** Packet k leaves every 20 ms and spends 0.5 to 3.5 ms in the network (a repeating pattern). */
const jitter = (k: number) => 0.5 + (k % 4);
/** Under a millisecond of jitter, as on a LAN (enough to make the old rule cycle on silence). */
const lanJitter = (k: number) => 0.2 * (k % 5);

for (const phase of [0, 5, 10, 15]) {
  test(`regular pulls, packets ${phase} ms after a pull: held for the target plus what is left to the next pull, not a whole frame more`, () => {
    const { jb, held } = runOnClock({ durationMs: 10_000, arrival: (k) => k * 20 + phase + jitter(k), pull: (n) => n * 20 });
    const settled = held.filter((h) => h.at > 2000);
    assert.equal(settled.length, 399);
    // Every packet is decoded by the first pull after the slowest one (3.5 ms) could have come in.
    for (const h of settled) assert.ok(h.ms <= 20 - phase - 0.5 + plcDelayMs + 1e-9, `held ${h.ms} ms`);
    const mean = settled.reduce((a, h) => a + h.ms, 0) / settled.length;
    assert.ok(Math.abs(mean - (20 - phase - 2 + plcDelayMs)) < 0.01, `mean hold ${mean} ms`);
    const st = jb.stats;
    assert.equal(st.targetDelayMs, 3);
    assert.deepEqual([st.underrunFrames, st.concealedFrames, st.late, st.acceleratedMs, st.expandedMs], [0, 0, 0, 0, 0]);
  });
}

for (const [name, pull] of [
  ['regular pulls', (n: number) => n * 20],
  // A 16 kHz audio thread rendering 128-sample quanta: a frame is asked for when its last quantum is.
  ['8 ms render quanta', (n: number) => Math.ceil(((n + 1) * 320) / 128) * 8],
] as const) {
  test(`a steady silent stream settles and stays put for 15 s (${name}): no accelerate/expand cycling`, () => {
    for (const phase of [0, 5, 10, 15]) {
      let settledAt: { acc: number; exp: number } | null = null;
      const { jb, held } = runOnClock({
        durationMs: 17_000, rate: 16000, signal: 'silent', arrival: (k) => k * 20 + phase + lanJitter(k), pull,
        onPull: (t, b) => {
          if (settledAt === null && t >= 2000) settledAt = { acc: b.stats.acceleratedMs, exp: b.stats.expandedMs };
        },
      });
      const st = jb.stats;
      assert.ok(settledAt !== null);
      const s = settledAt as { acc: number; exp: number };
      assert.equal(st.acceleratedMs - s.acc, 0, `phase ${phase}: accelerated ${st.acceleratedMs - s.acc} ms after settling`);
      assert.equal(st.expandedMs - s.exp, 0, `phase ${phase}: expanded ${st.expandedMs - s.exp} ms after settling`);
      assert.ok(st.underrunFrames <= 1, `phase ${phase}: ${st.underrunFrames} underruns`);
      // And it settled low: under a frame plus the render quantum above the arrival.
      const last = held.filter((h) => h.at > 2000);
      assert.ok(Math.max(...last.map((h) => h.ms)) < 20 + 8 + plcDelayMs, `phase ${phase}: held up to ${Math.max(...last.map((h) => h.ms))} ms`);
    }
  });
}

test('jitter spikes raise the target, are covered without underruns, and the delay comes down after them', () => {
  // 20 ms network delay; 5 s in, eight packets queue behind a 150 ms stall and arrive together.
  const delay = (i: number) => (i >= 250 && i < 258 ? 150 - (i - 250) * 18 : 20);
  const targets: number[] = [];
  const r = runScenario({ durationMs: 20_000, delay, pullPhaseMs: 7 });
  for (const l of r.levels) targets.push(l.target);
  assert.ok(Math.max(...targets) >= 80, `target peaked at ${Math.max(...targets)} ms`);
  assert.ok(targets[targets.length - 1]! < 5, `target ${targets[targets.length - 1]} ms at the end`);
  const st = r.jb.stats;
  // The stall itself is lost to the buffer (it had no reason to expect it); nothing after it is.
  assert.ok(st.underrunFrames <= 7, `underruns ${st.underrunFrames}`);
  assert.equal(r.late, 0);
  // Repeated spikes (every 2 s) are covered once seen: no underrun after the first.
  const spiky = runScenario({ durationMs: 60_000, delay: (i) => 20 + (i % 100 < 8 ? 150 - (i % 100) * 18 : 0), seed: 5 });
  assert.equal(spiky.jb.stats.underrunFrames, 0);
  assert.equal(spiky.late, 0);
  assert.ok(spiky.jb.stats.targetDelayMs >= 100);
});
