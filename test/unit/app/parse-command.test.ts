// `handset parse`: JSON for a good message, one line naming the fault for a bad one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { sharedDir } from '../../support/paths.js';
import { parseCommand } from '../../../src/app/parse-command.js';
import { commandLoaders } from '../../../src/app/commands.js';

async function run(positionals: string[], stdin = Buffer.alloc(0)): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await parseCommand.run({ values: {}, positionals }, {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    stdin: Readable.from([stdin]),
    env: {},
  });
  return { code, out, err };
}

test('parse is in the command table', async () => {
  assert.equal(await commandLoaders['parse']!(), parseCommand);
});

test('a valid file prints start line, headers and body length as JSON (exit 0)', async () => {
  const r = await run([sharedDir('conformance', 'sip-torture', 'dblreq.dat')]);
  assert.equal(r.code, 0);
  assert.equal(r.err, '');
  const json = JSON.parse(r.out);
  assert.deepEqual(json.startLine, { type: 'request', method: 'REGISTER', uri: 'sip:example.com', version: 'SIP/2.0' });
  assert.deepEqual(json.headers[3], { name: 'I', value: 'dblreq.0ha0isndaksdj99sdfafnl3lk233412' });
  assert.equal(json.headers.length, 8);
  assert.equal(json.bodyLength, 0);
  assert.ok(json.ignoredTrailingBytes > 0);
});

test('stdin is read when no file is given; responses print status and reason', async () => {
  const msg = Buffer.from('SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>;tag=2\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n');
  const r = await run([], msg);
  assert.equal(r.code, 0);
  assert.deepEqual(JSON.parse(r.out).startLine, { type: 'response', version: 'SIP/2.0', status: 180, reason: 'Ringing' });
});

test('a malformed message gives one line naming the fault, its place and the answer (exit 2)', async () => {
  const bad = await run([sharedDir('conformance', 'sip-torture', 'badinv01.dat')]);
  assert.equal(bad.code, 2);
  assert.equal(bad.out, '');
  assert.equal(bad.err, 'handset parse: malformed: Via: empty parameter at line 7, column 29 (byte 217); a server answers 400 Bad Via Header\n');
  const vers = await run([sharedDir('conformance', 'sip-torture', 'badvers.dat')]);
  assert.match(vers.err, /unsupported SIP-Version at line 1.*505 Version Not Supported\n$/);
  const resp = await run([sharedDir('conformance', 'sip-torture', 'bigcode.dat')]);
  assert.match(resp.err, /Status-Code .*dropped\n$/);
  const scheme = await run([sharedDir('conformance', 'sip-torture', 'unkscm.dat')]);
  assert.match(scheme.err, /416 Unsupported URI Scheme/);
  const missing = await run(['/nonexistent/file.sip']);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /cannot read/);
  const empty = await run([], Buffer.alloc(0));
  assert.equal(empty.code, 2);
});
