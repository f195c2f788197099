import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateToken, TOKEN_FILE } from '../../../src/ui/index.js';

test('the token is created once, 0600, and reused', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'handset-token-')), 'data');
  const t = loadOrCreateToken(dir);
  assert.match(t, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(statSync(join(dir, TOKEN_FILE)).mode & 0o777, 0o600);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(loadOrCreateToken(dir), t);
});

test('a readable-by-others token file is tightened; a damaged one is replaced', () => {
  const dir = mkdtempSync(join(tmpdir(), 'handset-token-'));
  const file = join(dir, TOKEN_FILE);
  writeFileSync(file, `${'x'.repeat(40)}\n`);
  chmodSync(file, 0o644);
  assert.equal(loadOrCreateToken(dir), 'x'.repeat(40));
  assert.equal(statSync(file).mode & 0o777, 0o600);
  writeFileSync(file, 'short');
  const t = loadOrCreateToken(dir);
  assert.notEqual(t, 'short');
  assert.equal(readFileSync(file, 'utf8').trim(), t);
});
