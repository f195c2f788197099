// Two `handset` processes registered at kamailio: bob listens (UDP), alice calls him through
// the proxy over TCP (`;transport=tcp` honoured); RFC 4733 digits reach bob; both recordings
// hold the other's tone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { makeTempDir, removeTempDir, skipUnless } from '../../support/peers/env.js';
import { startKamailio } from '../../support/peers/kamailio.js';
import { makeToneWav, measureToneInWav } from '../../support/peers/audio.js';
import { runHandset } from './handset-cli.js';

const skip = skipUnless('kamailio', 'kamcmd', 'openssl', 'sox');

test('handset call → kamailio (TCP) → handset listen: registered both, DTMF, two-way audio', { skip, timeout: 60_000 }, async (t) => {
  const dir = makeTempDir('cli-kamailio');
  t.after(() => removeTempDir(dir));
  const aWav = makeToneWav(join(dir, 'a500.wav'), { freqs: [500], seconds: 6 });
  const bWav = makeToneWav(join(dir, 'b1200.wav'), { freqs: [1200], seconds: 6 });
  const [aRec, bRec] = [join(dir, 'alice-heard.wav'), join(dir, 'bob-heard.wav')];
  const k = await startKamailio({ t });
  const [alice, bob] = [k.users[0]!, k.users[1]!];
  const listener = runHandset(['listen', '--user', `sip:${bob.user}@${k.domain}`, '--password', bob.password, '--proxy', k.proxyUri('udp'),
    '--auto-answer', '--play', bWav, '--record', bRec], t);
  await listener.waitFor('registered', 10_000);
  const caller = runHandset(['call', `sip:${bob.user}@${k.domain}`, '--user', `sip:${alice.user}@${k.domain}`, '--proxy', k.proxyUri('tcp'),
    '--play', aWav, '--record', aRec, '--duration', '3', '--dtmf', '42'], t, { HANDSET_PASSWORD: alice.password });
  const ready = await caller.waitFor('ready');
  assert.equal(ready['transport'], 'tcp');
  await caller.waitFor('registered', 10_000);
  assert.equal(await caller.exit, 0, caller.stderr());
  await listener.waitFor('ended', 10_000);
  const digits = listener.events.filter((e) => e.event === 'dtmf').map((e) => `${String(e['digit'])}/${String(e['via'])}`);
  assert.deepEqual(digits, ['4/rfc4733', '2/rfc4733']);
  assert.equal(await listener.stop(), 0, listener.stderr());
  assert.ok(measureToneInWav(aRec, 1200).ratio > 0.8, 'alice hears bob');
  assert.ok(measureToneInWav(bRec, 500).ratio > 0.8, 'bob hears alice');
});
