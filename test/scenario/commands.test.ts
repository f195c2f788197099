// The shared command table drives a call end to end between two Handsets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { phoneCommands, type Phone } from '../../src/phone/index.js';
import { world } from './world.js';

const run = (phone: Phone, name: string, ...args: string[]) => phoneCommands.find((c) => c.name === name)!.run(phone, args);

test('dial, answer, hold, resume, dtmf, calls, hangup, history through the command table', async () => {
  const w = world();
  const alice = await w.phone('192.0.2.10');
  const bob = await w.phone('192.0.2.20');
  const dialed = await run(alice, 'dial', 'sip:bob@192.0.2.20');
  assert.equal(dialed.ok, true, dialed.message);
  await w.run(50);
  assert.equal((await run(bob, 'answer')).ok, true);
  await w.run(50);
  assert.equal((await run(alice, 'hold')).ok, true);
  await w.run(50);
  const listed = await run(alice, 'calls');
  assert.match(listed.message, /outgoing sip:bob@192\.0\.2\.20 active held/);
  assert.match((await run(bob, 'calls')).message, /incoming .* active remote-held/);
  assert.equal((await run(alice, 'resume')).ok, true);
  await w.run(50);
  const digits: string[] = [];
  bob.activeCalls[0]!.on('dtmf', (d) => digits.push(d.digit));
  assert.equal((await run(alice, 'dtmf', '42')).message, 'sent 42 by rfc4733');
  await w.run(600);
  assert.deepEqual(digits, ['4', '2']);
  assert.equal((await run(alice, 'dtmf', 'x')).ok, false);
  assert.equal((await run(alice, 'reject', '', '99')).ok, false);
  assert.equal((await run(alice, 'hangup')).ok, true);
  await w.run(50);
  assert.equal((await run(alice, 'hangup')).message, 'no call');
  const history = await run(bob, 'history');
  assert.equal((history.data as Array<{ reason: string }>)[0]!.reason, 'remote-bye');
  assert.equal((await run(alice, 'dial', 'not a uri')).ok, false);
});
