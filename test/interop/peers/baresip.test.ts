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
import { runSipp } from '../../support/peers/sipp.js';
import { readRssKb } from '../../support/peers/process.js';

const skip = skipUnless('kamailio', 'kamcmd', 'openssl', 'baresip', 'sox');

for (const transport of ['udp', 'tcp', 'tls'] as const) {
  test(`baresip registers to kamailio over ${transport} with digest; ul.dump shows it`, { skip, timeout: 60_000 }, async (t) => {
    const k = await startKamailio({ t });
    const alice = k.users[0]!;
    const b = await startBaresip({
      t,
      caFile: k.ca!.certPath,
      accounts: [{ aor: `sip:${alice.user}@${k.domain}`, password: alice.password, registrar: k.proxyUri(transport) }],
    });
    const registeredAfterMs = await b.waitForRegistration(10000);
    assert.ok(registeredAfterMs > 0 && registeredAfterMs < 10000);
    assert.ok((readRssKb(b.pid) ?? 0) > 1000, 'baresip RSS readable from /proc');
    const bindings = await k.dumpUsrloc();
    assert.equal(bindings.length, 1);
    assert.equal(bindings[0]!.aor, alice.user);
    assert.match(bindings[0]!.contact, new RegExp(`^sip:${alice.user}[^@]*@127\\.0\\.0\\.1:\\d+\\b`));
    const port = { udp: k.udpPort, tcp: k.tcpPort, tls: k.tlsPort }[transport];
    assert.equal(bindings[0]!.socket, `${transport}:127.0.0.1:${port}`);
    assert.match(bindings[0]!.userAgent, /baresip/);
  });
}

for (const variant of [
  { name: 'PCMU', codecs: ['PCMU'], mediaenc: undefined },
  { name: 'PCMA with SDES-SRTP (srtp-mand)', codecs: ['PCMA'], mediaenc: 'srtp-mand' as const },
]) {
  test(`two baresips call each other through kamailio (${variant.name}); each hears the other tone`, { skip, timeout: 60_000 }, async (t) => {
    const dir = makeTempDir('tones');
    t.after(() => removeTempDir(dir));
    const aliceWav = makeToneWav(join(dir, 'a440.wav'), { freqs: [440], seconds: 5 });
    const bobWav = makeToneWav(join(dir, 'b1000.wav'), { freqs: [1000], seconds: 5 });
    const k = await startKamailio({ t });
    const [alice, bob] = [k.users[0]!, k.users[1]!];
    const common = { registrar: k.proxyUri('udp'), codecs: variant.codecs, mediaenc: variant.mediaenc };
    const sipTrace = true;
    const a = await startBaresip({ t, sipTrace, playWav: aliceWav, accounts: [{ aor: `sip:${alice.user}@${k.domain}`, password: alice.password, ...common }] });
    const b = await startBaresip({ t, playWav: bobWav, accounts: [{ aor: `sip:${bob.user}@${k.domain}`, password: bob.password, answermode: 'auto', ...common }] });
    await Promise.all([a.waitForRegistration(), b.waitForRegistration()]);

    const dial = await a.command('dial', `sip:${bob.user}@${k.domain}`);
    assert.equal(dial.ok, true, dial.data);
    await Promise.all([a.waitForEvent('CALL_ESTABLISHED'), b.waitForEvent('CALL_ESTABLISHED')]);
    // Audio flows for 1.5 s of call; the assertion is on the recordings, not on this timer.
    await new Promise((r) => setTimeout(r, 1500));
    await a.command('hangup');
    await Promise.all([a.waitForEvent('CALL_CLOSED'), b.waitForEvent('CALL_CLOSED')]);
    if (variant.mediaenc) {
      // The SIP trace (-s) shows the SDP: the answer from bob must be RTP/SAVP with an SDES key.
      assert.ok(a.log().some((l) => /^m=audio \d+ RTP\/SAVP /.test(l)), 'SDP should use RTP/SAVP');
      assert.ok(a.log().some((l) => /^a=crypto:\d+ AES_CM_128_HMAC_SHA1_(80|32) inline:/.test(l)), 'SDP should carry a=crypto');
    } else {
      assert.ok(!a.log().some((l) => /^m=audio \d+ RTP\/SAVP /.test(l)));
    }
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
    if (process.env['HANDSET_PEER_DEBUG']) console.log(variant.name, { aHears1000, aHears440, bHears440, bHears1000 });
    assert.ok(aHears1000.ratio > 0.5, `alice should hear 1000 Hz: ${JSON.stringify(aHears1000)}`);
    assert.ok(aHears440.ratio < 0.1, `alice must not hear her own 440 Hz: ${JSON.stringify(aHears440)}`);
    assert.ok(bHears440.ratio > 0.5, `bob should hear 440 Hz: ${JSON.stringify(bHears440)}`);
    assert.ok(bHears1000.ratio < 0.1, `bob must not hear his own 1000 Hz: ${JSON.stringify(bHears1000)}`);
  });
}

test('sipp calls baresip directly at its sipUri (no proxy) and baresip auto-answers', { skip: skip || skipUnless('sipp'), timeout: 60_000 }, async (t) => {
  const b = await startBaresip({ t });
  const r = await runSipp({ t, scenario: { builtin: 'uac' }, remote: `127.0.0.1:${b.sipPort}`, service: 'baresip', timeoutS: 10, traceRtt: true, extraArgs: ['-d', '200'] });
  assert.equal(r.exitCode, 0, r.errors);
  // -trace_rtt: one row per response-time measure of the scenario's rtd (INVITE to 200 here).
  assert.match(r.rtt ?? '', /\d/, 'rtt CSV should hold a measurement');
  const got = r.messages.filter((m) => m.direction === 'received').map((m) => m.firstLine);
  assert.ok(got.includes('SIP/2.0 200 Answering') || got.some((l) => l.startsWith('SIP/2.0 200')), got.join(' | '));
  await b.waitForEvent('CALL_CLOSED', 10000);
});
