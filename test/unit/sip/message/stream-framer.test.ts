// Stream framing (RFC 3261 §18.3) and CRLF keep-alives (RFC 5626 §4.4.1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { sharedDir } from '../../../support/paths.js';
import { parseMessage, StreamFramer, type ParseLimits } from '../../../../src/sip/message/index.js';

type Ev = { kind: string; bytes?: Buffer; reason?: string };

function corpus(): { name: string; bytes: Buffer }[] {
  const out: { name: string; bytes: Buffer }[] = [];
  for (const parts of [['conformance', 'sip-torture'], ['conformance', 'sip-torture-ipv6'], ['bench', 'sip-corpus']]) {
    const dir = sharedDir(...parts);
    for (const f of readdirSync(dir).sort()) if (f.endsWith('.dat') || f.endsWith('.sip')) out.push({ name: f, bytes: readFileSync(`${dir}/${f}`) });
  }
  return out;
}

/** Events as comparable values: kinds, framing errors, message bytes. */
function same(actual: Ev[], expected: Ev[], what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let k = 0; k < actual.length; k++) {
    assert.equal(actual[k]!.kind, expected[k]!.kind, what);
    assert.equal(actual[k]!.reason, expected[k]!.reason, what);
    if (expected[k]!.bytes) assert.ok(actual[k]!.bytes!.equals(expected[k]!.bytes!), what);
  }
}

test('every corpus message split at every byte offset frames to the same result as in one chunk', () => {
  let splits = 0;
  let parsed = 0;
  for (const { name, bytes } of corpus()) {
    const whole = new StreamFramer().push(bytes) as Ev[];
    // Identical bytes parse identically; check once that the framed bytes are the message.
    const first = whole[0];
    if (first?.kind === 'message' && parseMessage(first.bytes!).kind === 'ok') parsed++;
    for (let at = 1; at < bytes.length; at++) {
      const f = new StreamFramer();
      same([...f.push(bytes.subarray(0, at)), ...f.push(bytes.subarray(at))] as Ev[], whole, `${name} split at ${at}`);
      splits++;
    }
  }
  assert.ok(splits > 30_000);
  assert.ok(parsed >= 45, `${parsed} corpus messages framed and parsed`);
});

test('a message byte by byte, then several messages and keep-alives in one chunk', () => {
  const msg = readFileSync(sharedDir('bench', 'sip-corpus', '01-invite.sip'));
  const f = new StreamFramer();
  const events: Ev[] = [];
  for (let i = 0; i < msg.length; i++) events.push(...f.push(msg.subarray(i, i + 1)));
  assert.equal(events.length, 1);
  assert.deepEqual(events[0]!.bytes, msg);
  assert.equal(f.bufferedBytes, 0);

  const bye = readFileSync(sharedDir('bench', 'sip-corpus', '06-bye.sip'));
  const chunk = Buffer.concat([Buffer.from('\r\n\r\n'), msg, Buffer.from('\r\n'), bye, msg.subarray(0, 10)]);
  const out = new StreamFramer().push(chunk);
  assert.deepEqual(out.map((e) => e.kind), ['ping', 'message', 'pong', 'message']);
  assert.deepEqual((out[1] as Ev).bytes, msg);
  assert.deepEqual((out[3] as Ev).bytes, bye);
});

test('keep-alives (RFC 5626 §4.4.1): CRLFCRLF is a ping, a lone CRLF a pong', () => {
  const f = new StreamFramer();
  assert.deepEqual(f.push(Buffer.from('\r\n\r\n')), [{ kind: 'ping' }]);
  assert.deepEqual(f.push(Buffer.from('\r\n')), [{ kind: 'pong' }]);
  assert.deepEqual(f.push(Buffer.from('\r\n\r\n\r\n')), [{ kind: 'ping' }, { kind: 'pong' }]);
  assert.deepEqual(f.push(Buffer.from('\r')), []); // wait for the LF
  assert.deepEqual(f.push(Buffer.from('\n\r\n')), [{ kind: 'ping' }]);
});

test('framing errors end the stream: bad, negative, conflicting Content-Length, size cap', () => {
  const head = 'OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\n';
  for (const [cl, reason] of [['l: -999', /Content-Length/], ['Content-Length: five', /Content-Length/], ['Content-Length: 13\r\nContent-Length: 5', /conflicting/]] as const) {
    const f = new StreamFramer();
    const ev = f.push(Buffer.from(`${head}${cl}\r\n\r\nbody`)) as Ev[];
    assert.equal(ev.length, 1);
    assert.equal(ev[0]!.kind, 'error');
    assert.match(ev[0]!.reason!, reason);
    assert.deepEqual(f.push(Buffer.from('\r\n\r\n')), []); // nothing more after an error
  }
  const limits: ParseLimits = { maxMessageBytes: 200, maxHeaders: 50, maxLineBytes: 100 };
  const big = new StreamFramer(limits).push(Buffer.from(`${head}Content-Length: 500\r\n\r\n`)) as Ev[];
  assert.match(big[0]!.reason!, /too large/);
  const endless = new StreamFramer(limits).push(Buffer.from(`${head}X: ${'y'.repeat(300)}`)) as Ev[];
  assert.match(endless[0]!.reason!, /too large/);
});
