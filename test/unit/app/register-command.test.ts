import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { runCli } from '../../../src/cli/index.js';
import { registerCommand } from '../../../src/app/register-command.js';

async function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(['register', ...args], [registerCommand], {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    stdin: Readable.from([]),
    env,
  });
  return { code, out, err };
}

const rows: Array<[string, string[], Record<string, string>, RegExp]> = [
  ['no --user', ['--password', 'x'], {}, /--user is required \(a sip: or sips: URI\)/],
  ['--user not a URI', ['--user', 'alice', '--password', 'x'], {}, /--user: "alice" is not a SIP URI/],
  ['--user without user part', ['--user', 'sip:example.com', '--password', 'x'], {}, /--user: "sip:example\.com" has no user part/],
  ['--user tel URI', ['--user', 'tel:+12015550123', '--password', 'x'], {}, /--user: "tel:\+12015550123" is not a sip: or sips: URI/],
  ['no password', ['--user', 'sip:alice@example.com'], {}, /--password is required \(or set HANDSET_PASSWORD\)/],
  ['bad --proxy', ['--user', 'sip:alice@example.com', '--password', 'x', '--proxy', 'http://x'], {}, /--proxy: "http:\/\/x" is not a sip: or sips: URI/],
  ['bad --transport', ['--user', 'sip:alice@example.com', '--password', 'x', '--transport', 'sctp'], {}, /--transport: "sctp" is not one of udp, tcp, tls, ws, wss/],
  ['bad --listen', ['--user', 'sip:alice@example.com', '--password', 'x', '--listen', 'localhost:99999'], {}, /--listen: "localhost:99999" is not <ip>:<port>/],
  ['bad --expires', ['--user', 'sip:alice@example.com', '--password', 'x', '--expires', 'soon'], {}, /--expires: "soon" is not a positive number of seconds/],
  ['unreadable --ca', ['--user', 'sip:alice@example.com', '--password', 'x', '--ca', '/nonexistent/ca.pem'], {}, /--ca: cannot read "\/nonexistent\/ca\.pem"/],
];

for (const [name, args, env, msg] of rows) {
  test(`handset register: ${name} → exit 2 naming the field`, async () => {
    const r = await run(args, env);
    assert.equal(r.code, 2);
    assert.match(r.err, msg);
    assert.equal(r.out, '');
  });
}

test('the password from HANDSET_PASSWORD passes the argument check (fails later on the bad proxy, not on the password)', async () => {
  const r = await run(['--user', 'sip:alice@example.com', '--proxy', 'sip:x;transport=bogus', '--transport', 'nope'], { HANDSET_PASSWORD: 's3cret' });
  assert.equal(r.code, 2);
  assert.match(r.err, /--transport/);
  assert.doesNotMatch(r.err, /s3cret/);
});
