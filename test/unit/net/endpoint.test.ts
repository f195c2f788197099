import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeAddress, normalizeFingerprint } from '../../../src/net/index.js';

test('IPv4-mapped IPv6 source addresses are reported as IPv4 (what the peer put in its Via)', () => {
  assert.equal(normalizeAddress('::ffff:192.0.2.1'), '192.0.2.1');
  assert.equal(normalizeAddress('::FFFF:127.0.0.1'), '127.0.0.1');
  assert.equal(normalizeAddress('::ffff:1'), '::ffff:1');
  assert.equal(normalizeAddress('2001:db8::1'), '2001:db8::1');
  assert.equal(normalizeAddress('192.0.2.1'), '192.0.2.1');
});

test('fingerprints compare in any case, with or without colons', () => {
  assert.equal(normalizeFingerprint('ab:cd:EF:01'), 'ABCDEF01');
  assert.equal(normalizeFingerprint('abcdef01'), 'ABCDEF01');
});
