// Hold both ways with baresip (RFC 6337): baresip holds us (sendonly → we answer recvonly) and
// resumes; we hold baresip (sendonly, it answers recvonly) and resume.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { skipUnless } from '../../support/peers/env.js';
import { startBaresip } from '../../support/peers/baresip.js';
import { setHold, startPhone, toneSource, type Call } from '../../../src/phone/index.js';

const skip = skipUnless('baresip');

test('hold and resume with baresip in both directions: SDP directions and our held state', { skip, timeout: 60_000 }, async (t) => {
  const bob = await startBaresip({ t, sipTrace: true, accounts: [{ aor: 'sip:bob@127.0.0.1', answermode: 'auto' }] });
  const alice = await startPhone();
  t.after(() => alice.close());
  const a = (await alice.dial(bob.sipUri, { source: toneSource(500) })) as Call;
  await new Promise<void>((r) => a.once('answered', r));
  const nextHeld = () => new Promise<{ local: boolean; remote: boolean }>((r) => a.once('held', r));

  let held = nextHeld();
  assert.equal((await bob.command('hold')).ok, true);
  assert.deepEqual(await held, { local: false, remote: true });
  assert.equal(a.media?.negotiated?.direction, 'recvonly');
  held = nextHeld();
  assert.equal((await bob.command('resume')).ok, true);
  assert.deepEqual(await held, { local: false, remote: false });

  held = nextHeld();
  assert.ok(setHold(a, true));
  assert.deepEqual(await held, { local: true, remote: false });
  assert.equal(a.media?.negotiated?.direction, 'sendonly');
  held = nextHeld();
  assert.ok(setHold(a, false));
  assert.deepEqual(await held, { local: false, remote: false });
  assert.equal(a.media?.negotiated?.direction, 'sendrecv');

  // baresip's trace: its hold offer sendonly got our recvonly; our sendonly got its recvonly.
  const directionLines = () => bob.log().filter((l) => /^a=(sendrecv|sendonly|recvonly|inactive)$/.test(l));
  // baresip's stdout trails the signalling a little: wait (bounded) for the last exchange's lines.
  for (let i = 0; i < 40 && directionLines().length < 10; i++) await new Promise((r) => setTimeout(r, 50));
  const directions = directionLines();
  assert.deepEqual(directions, ['a=sendrecv', 'a=sendrecv', 'a=sendonly', 'a=recvonly', 'a=sendrecv', 'a=sendrecv', 'a=sendonly', 'a=recvonly', 'a=sendrecv', 'a=sendrecv']);
  const closed = a.whenEnded();
  a.hangup();
  assert.equal((await closed).reason, 'local-bye');
});
