import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../src/util/index.js';
import { DEFAULT_PONG_TIMEOUT_MS, KeepAliveTimer } from '../../../src/net/index.js';

function run(pongTimeout: number | null, intervalMs = 30_000) {
  const clock = new ManualClock();
  const log: string[] = [];
  const timer = new KeepAliveTimer(clock, intervalMs, pongTimeout, () => log.push(`ping@${clock.now()}`), () => log.push(`failed@${clock.now()}`));
  return { clock, log, timer };
}

test('pings at every interval; answered pings never fail', () => {
  const { clock, log, timer } = run(DEFAULT_PONG_TIMEOUT_MS);
  timer.start();
  clock.advance(30_000);
  for (let i = 0; i < 3; i++) {
    clock.advance(9_999);
    timer.pong(); // 9.999 s after the ping: just in time
    clock.advance(20_001);
  }
  clock.advance(9_999);
  assert.deepEqual(log, ['ping@30000', 'ping@60000', 'ping@90000', 'ping@120000']);
});

test('RFC 5626 §4.4.1: no pong within 10 s of the ping is a flow failure, exactly at +10 s, and pinging stops', () => {
  const { clock, log, timer } = run(DEFAULT_PONG_TIMEOUT_MS);
  assert.equal(DEFAULT_PONG_TIMEOUT_MS, 10_000);
  timer.start();
  clock.advance(39_999);
  assert.deepEqual(log, ['ping@30000']);
  clock.advance(1);
  assert.deepEqual(log, ['ping@30000', 'failed@40000']);
  clock.advance(120_000);
  assert.deepEqual(log, ['ping@30000', 'failed@40000']);
  assert.equal(clock.timerCount, 0);
});

test('with an interval shorter than the timeout, the deadline counts from the oldest unanswered ping', () => {
  const { clock, log, timer } = run(10_000, 4_000);
  timer.start();
  clock.advance(14_000);
  assert.deepEqual(log, ['ping@4000', 'ping@8000', 'ping@12000', 'failed@14000']);
});

test('UDP mode (no timeout) pings forever until stopped', () => {
  const { clock, log, timer } = run(null, 15_000);
  timer.start();
  clock.advance(60_000);
  assert.equal(log.length, 4);
  timer.stop();
  clock.advance(60_000);
  assert.equal(log.length, 4);
  assert.equal(clock.timerCount, 0);
});

test('a non-positive interval is a programmer error', () => {
  assert.throws(() => run(null, 0));
});
