import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PullSchedule } from '../../../src/media/jitter-buffer-pulls.js';

test('pull lateness: measured against the earliest phase of the last 50 pulls, at most a frame', () => {
  const s = new PullSchedule(20);
  // Every other pull comes 7 ms late (an audio callback bunching frames).
  const bunched = Array.from({ length: 10 }, (_, n) => s.lateness(1000 + n * 20 + (n % 2) * 7));
  assert.deepEqual(bunched, [0, 7, 0, 7, 0, 7, 0, 7, 0, 7]);
  // The caller's phase moves 5 ms later for good: reported late until the early pulls leave the window.
  const moved = Array.from({ length: 60 }, (_, n) => s.lateness(1000 + (10 + n) * 20 + 5));
  assert.equal(moved[0], 5);
  assert.equal(moved[40], 5);
  assert.equal(moved[59], 0);
  // A pull two frames late still says one frame: the buffer never plans on more than that.
  assert.equal(s.lateness(1000 + 70 * 20 + 45), 20);
});

test('pull lateness: a pause longer than five frames starts the schedule afresh', () => {
  const s = new PullSchedule(20);
  for (let n = 0; n < 10; n++) assert.equal(s.lateness(n * 20), 0);
  // Held for a second: the next pulls are on a new phase, none of them late.
  for (let n = 0; n < 10; n++) assert.equal(s.lateness(1000 + 13 + n * 20), 0);
});
