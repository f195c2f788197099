import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pooledRandomBytes, randomToken, randomUint32 } from '../../../src/util/index.js';

test('pooledRandomBytes: the length asked for, across block refills and for large draws', () => {
  for (const n of [0, 1, 4, 16, 255, 256, 257, 1024, 5000]) assert.equal(pooledRandomBytes(n).length, n);
  // 3000 draws of 7 bytes cross many 1 KiB refills.
  for (let i = 0; i < 3000; i++) assert.equal(pooledRandomBytes(7).length, 7);
});

test('pooledRandomBytes: no draw repeats another, and the bytes cover the whole range', () => {
  const seen = new Set<string>();
  const counts = new Array<number>(256).fill(0);
  for (let i = 0; i < 2000; i++) {
    const b = pooledRandomBytes(16);
    const hex = b.toString('hex');
    assert.ok(!seen.has(hex), 'a 16-byte draw came twice');
    seen.add(hex);
    for (const x of b) counts[x]!++;
  }
  // 32000 bytes, 125 expected per value: a stuck or zeroed pool would leave values unseen.
  assert.ok(Math.min(...counts) > 50, `least frequent byte value seen ${Math.min(...counts)} times`);
  assert.ok(Math.max(...counts) < 250, `most frequent byte value seen ${Math.max(...counts)} times`);
});

test('pooledRandomBytes: each draw is the caller’s own copy', () => {
  const a = pooledRandomBytes(8);
  const keep = Buffer.from(a);
  const b = pooledRandomBytes(8);
  b.fill(0xff);
  assert.deepEqual(a, keep);
  a.fill(0);
  assert.notDeepEqual(pooledRandomBytes(8), Buffer.alloc(8));
});

test('randomToken and randomUint32 still draw fresh values from the pool', () => {
  const tokens = new Set(Array.from({ length: 500 }, () => randomToken(10)));
  assert.equal(tokens.size, 500);
  for (const t of tokens) assert.match(t, /^[a-z0-9]{10}$/);
  const ints = new Set(Array.from({ length: 500 }, () => randomUint32()));
  assert.ok(ints.size > 495);
  for (const x of ints) assert.ok(Number.isInteger(x) && x >= 0 && x <= 0xffffffff);
});
