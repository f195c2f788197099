// Smoke test of the linphonec harness: it starts, answers console commands, and registers to
// kamailio with digest (the binding shows in ul.dump).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { makeTempDir, removeTempDir, skipUnless } from '../../support/peers/env.js';
import { startBaresip } from '../../support/peers/baresip.js';
import { makeToneWav, measureToneInWav } from '../../support/peers/audio.js';
import { startKamailio } from '../../support/peers/kamailio.js';
import { startLinphonec } from '../../support/peers/linphonec.js';

const skip = skipUnless('kamailio', 'kamcmd', 'openssl', 'linphonec');

test('linphonec starts, takes commands and registers to kamailio', { skip, timeout: 60_000 }, async (t) => {
  const k = await startKamailio({ t });
  const carol = k.users[2]!;
  const l = await startLinphonec({
    t,
    identity: `sip:${carol.user}@${k.domain}`,
    registrar: k.proxyUri('udp'),
    user: carol.user,
    password: carol.password,
  });
  await l.waitForRegistration(10000);
  const out = await l.command('proxy list');
  assert.ok(out.some((x) => x.includes(`identity: sip:${carol.user}@${k.domain}`)), out.join('\n'));
  const bindings = await k.dumpUsrloc();
  assert.equal(bindings.length, 1);
  assert.equal(bindings[0]!.aor, carol.user);
  assert.equal(bindings[0]!.contact, `sip:${carol.user}@127.0.0.1:${l.sipPort};transport=udp`);
  assert.match(bindings[0]!.userAgent, /Linphonec/);
});

test('baresip calls linphonec (auto-answer, playing and recording files) through kamailio: both hear the other tone', { skip: skip || skipUnless('baresip', 'sox'), timeout: 60_000 }, async (t) => {
  const dir = makeTempDir('lp-tones');
  t.after(() => removeTempDir(dir));
  const aliceWav = makeToneWav(join(dir, 'a440.wav'), { freqs: [440], seconds: 5 });
  const carolWav = makeToneWav(join(dir, 'c1000.wav'), { freqs: [1000], seconds: 5 });
  const carolRec = join(dir, 'carol-heard.wav');
  const k = await startKamailio({ t });
  const [alice, carol] = [k.users[0]!, k.users[2]!];
  const a = await startBaresip({ t, playWav: aliceWav, accounts: [{ aor: `sip:${alice.user}@${k.domain}`, password: alice.password, registrar: k.proxyUri('udp') }] });
  const l = await startLinphonec({ t, identity: `sip:${carol.user}@${k.domain}`, registrar: k.proxyUri('udp'), user: carol.user, password: carol.password, autoAnswer: true });
  await Promise.all([a.waitForRegistration(), l.waitForRegistration()]);
  await l.useFiles(carolWav, carolRec);
  assert.equal((await a.command('dial', `sip:${carol.user}@${k.domain}`)).ok, true);
  await a.waitForEvent('CALL_ESTABLISHED', 10000);
  await l.waitForCallState('StreamsRunning', 10000);
  // Audio flows for 1.5 s; the assertion is on the recordings.
  await new Promise((r) => setTimeout(r, 1500));
  await a.command('hangup');
  await a.waitForEvent('CALL_CLOSED', 10000);
  await l.waitForCallState('none', 10000);
  await a.stop({ keepDir: true });
  t.after(() => removeTempDir(a.dir));
  await l.stop();
  const aliceHeard = measureToneInWav(a.recordings().dec[0]!, 1000);
  const carolHeard = measureToneInWav(carolRec, 440);
  assert.ok(aliceHeard.ratio > 0.5, `alice should hear 1000 Hz from linphonec: ${JSON.stringify(aliceHeard)}`);
  assert.ok(carolHeard.ratio > 0.5, `linphonec should record 440 Hz from alice: ${JSON.stringify(carolHeard)}`);
  assert.ok(measureToneInWav(carolRec, 1000).ratio < 0.1, 'linphonec must not record its own tone');
});
