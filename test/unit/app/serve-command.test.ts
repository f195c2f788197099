import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { serveCommand } from '../../../src/app/serve-command.js';

function io(): { out: string[]; err: string[]; io: Parameters<typeof serveCommand.run>[1] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, stdin: new PassThrough(), env: {} } };
}

test('handset serve prints the address with the token, keeps the token in the data dir (0600), stops on SIGINT', async () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'handset-serve-')), 'data');
  const o = io();
  const running = serveCommand.run({ values: { port: '0', 'data-dir': dataDir }, positionals: [] }, o.io);
  for (let i = 0; i < 100 && o.out.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  const text = o.out.join('');
  const url = /Open (http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)/.exec(text)?.[1];
  assert.ok(url, text);
  assert.match(text, /^Handset is running on 127\.0\.0\.1( and \[::1\])? port \d+\./);
  assert.match(text, /SIP on 127\.0\.0\.1:\d+, no account \(direct calls: dial sip:user@host\)/, 'the phone behind the page listens on loopback');
  assert.equal(statSync(join(dataDir, 'ui-token')).mode & 0o777, 0o600);
  const r = await fetch(url, { redirect: 'manual' });
  assert.equal(r.status, 303);
  process.emit('SIGINT');
  assert.equal(await running, 0);
});

test('handset serve names a taken port and the way out', async () => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const port = (blocker.address() as { port: number }).port;
  const o = io();
  try {
    const code = await serveCommand.run({ values: { port: String(port), 'data-dir': mkdtempSync(join(tmpdir(), 'handset-serve-')) }, positionals: [] }, o.io);
    assert.equal(code, 1);
    assert.match(o.err.join(''), new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use .*choose another with --port`));
  } finally {
    blocker.close();
  }
  const bad = io();
  assert.equal(await serveCommand.run({ values: { port: 'http' }, positionals: [] }, bad.io), 2);
  assert.match(bad.err.join(''), /--port: "http" is not a port number/);
});
