import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../src/util/index.js';

test('ManualClock fires timers in due order, including timers set while firing', () => {
  const clock = new ManualClock(1000);
  const fired: string[] = [];
  clock.setTimer(500, () => {
    fired.push(`a@${clock.now()}`);
    clock.setTimer(100, () => fired.push(`c@${clock.now()}`));
  });
  const b = clock.setTimer(550, () => fired.push(`b@${clock.now()}`));
  clock.setTimer(700, () => fired.push(`d@${clock.now()}`));
  clock.clearTimer(b);
  clock.advance(650);
  assert.deepEqual(fired, ['a@1500', 'c@1600']);
  assert.equal(clock.now(), 1650);
  assert.equal(clock.step(), true);
  assert.deepEqual(fired, ['a@1500', 'c@1600', 'd@1700']);
  assert.equal(clock.step(), false);
});
