// Smoke tests of the baresip harness: registration through kamailio (seen in ul.dump), and a
// call between two baresips through kamailio with different tones each way, found in the
// recordings (proves the audio plumbing later call tests rely on).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { makeTempDir, removeTempDir, skipUnless } from '../../support/peers/env.js';
import { startKamailio } from '../../support/peers/kamailio.js';
import { startBaresip } from '../../support/peers/baresip.js';
import { makeToneWav, measureToneInWav } from '../../support/peers/audio.js';

const skip = skipUnless('kamailio', 'kamcmd', 'openssl', 'baresip', 'sox');

test('baresip registers to kamailio with digest; ul.dump shows it', { skip }, async (t) => {
  const k = await startKamailio({ t });
  const alice = k.users[0]!;
  const b = await startBaresip({
    t,
    accounts: [{ aor: `sip:${alice.user}@${k.domain}`, password: alice.password, registrar: k.proxyUri('udp') }],
  });
  await b.waitForRegistration(5000);
  const bindings = await k.dumpUsrloc();
  assert.equal(bindings.length, 1);
  assert.equal(bindings[0]!.aor, alice.user);
  assert.match(bindings[0]!.contact, new RegExp(`^sip:${alice.user}[^@]*@127\\.0\\.0\\.1:${b.sipPort}\\b`));
  assert.match(bindings[0]!.userAgent, /baresip/);
});

test('two baresips call each other through kamailio; each hears the other tone', { skip }, async (t) => {
  const dir = makeTempDir('tones');
  t.after(() => removeTempDir(dir));
  const aliceWav = makeToneWav(join(dir, 'a440.wav'), { freqs: [440], seconds: 5 });
  const bobWav = makeToneWav(join(dir, 'b1000.wav'), { freqs: [1000], seconds: 5 });
  const k = await startKamailio({ t });
  const [alice, bob] = [k.users[0]!, k.users[1]!];
  const a = await startBaresip({ t, playWav: aliceWav, accounts: [{ aor: `sip:${alice.user}@${k.domain}`, password: alice.password, registrar: k.proxyUri('udp') }] });
  const b = await startBaresip({ t, playWav: bobWav, accounts: [{ aor: `sip:${bob.user}@${k.domain}`, password: bob.password, registrar: k.proxyUri('udp'), answermode: 'auto' }] });
  await Promise.all([a.waitForRegistration(), b.waitForRegistration()]);

  const dial = await a.command('dial', `sip:${bob.user}@${k.domain}`);
  assert.equal(dial.ok, true, dial.data);
  await Promise.all([a.waitForEvent('CALL_ESTABLISHED'), b.waitForEvent('CALL_ESTABLISHED')]);
  // Let audio flow: wait for 1.5 s of call by the clock of the call itself (the recording grows).
  await new Promise((r) => setTimeout(r, 1500));
  await a.command('hangup');
  await Promise.all([a.waitForEvent('CALL_CLOSED'), b.waitForEvent('CALL_CLOSED')]);
  await a.stop({ keepDir: true });
  await b.stop({ keepDir: true });
  t.after(() => { removeTempDir(a.dir); removeTempDir(b.dir); });

  const heardByAlice = a.recordings().dec;
  const heardByBob = b.recordings().dec;
  assert.equal(heardByAlice.length, 1, a.log().slice(-20).join('\n'));
  assert.equal(heardByBob.length, 1);
  const aHears1000 = measureToneInWav(heardByAlice[0]!, 1000);
  const aHears440 = measureToneInWav(heardByAlice[0]!, 440);
  const bHears440 = measureToneInWav(heardByBob[0]!, 440);
  const bHears1000 = measureToneInWav(heardByBob[0]!, 1000);
  assert.ok(aHears1000.ratio > 0.5, `alice should hear 1000 Hz: ${JSON.stringify(aHears1000)}`);
  assert.ok(aHears440.ratio < 0.1, `alice must not hear her own 440 Hz: ${JSON.stringify(aHears440)}`);
  assert.ok(bHears440.ratio > 0.5, `bob should hear 440 Hz: ${JSON.stringify(bHears440)}`);
  assert.ok(bHears1000.ratio < 0.1, `bob must not hear his own 1000 Hz: ${JSON.stringify(bHears1000)}`);
});
