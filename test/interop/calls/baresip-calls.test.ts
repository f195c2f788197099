// Handset (the `handset` binary) and baresip call each other on loopback; two-way audio is
// proven by a different tone each way, found in both recordings. PCMU, PCMA and SDES-SRTP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { makeTempDir, removeTempDir, skipUnless } from '../../support/peers/env.js';
import { startBaresip } from '../../support/peers/baresip.js';
import { startKamailio } from '../../support/peers/kamailio.js';
import { makeToneWav, measureToneInWav } from '../../support/peers/audio.js';
import { runHandset } from './handset-cli.js';

const skip = skipUnless('baresip', 'sox');
const skipKamailio = skipUnless('baresip', 'sox', 'kamailio', 'kamcmd', 'openssl');

const variants = [
  { name: 'PCMU', codecs: ['PCMU'], handsetCodecs: 'pcmu', mediaenc: undefined, srtp: 'off' },
  { name: 'PCMA', codecs: ['PCMA'], handsetCodecs: 'pcma', mediaenc: undefined, srtp: 'off' },
  { name: 'PCMU with SDES-SRTP', codecs: ['PCMU'], handsetCodecs: 'pcmu', mediaenc: 'srtp-mand' as const, srtp: 'mandatory' },
];

function tones(t: { after(fn: () => void): void }) {
  const dir = makeTempDir('handset-calls');
  t.after(() => removeTempDir(dir));
  return {
    dir,
    handsetWav: makeToneWav(join(dir, 'h500.wav'), { freqs: [500], seconds: 6 }),
    baresipWav: makeToneWav(join(dir, 'b1200.wav'), { freqs: [1200], seconds: 6 }),
    handsetRecord: join(dir, 'handset-heard.wav'),
  };
}

/** Both directions heard: the far tone dominates each recording. */
function assertTwoWay(handsetRecord: string, baresipHeard: string | undefined): void {
  const atHandset = measureToneInWav(handsetRecord, 1200);
  assert.ok(atHandset.ratio > 0.8, `handset hears baresip's 1200 Hz: ${JSON.stringify(atHandset)}`);
  assert.ok(baresipHeard, 'baresip wrote a recording');
  const atBaresip = measureToneInWav(baresipHeard!, 500);
  assert.ok(atBaresip.ratio > 0.8, `baresip hears handset's 500 Hz: ${JSON.stringify(atBaresip)}`);
}

for (const v of variants) {
  test(`handset calls baresip directly (${v.name}): answered, two-way audio, exit 0`, { skip, timeout: 60_000 }, async (t) => {
    const f = tones(t);
    const b = await startBaresip({ t, playWav: f.baresipWav, accounts: [{ aor: 'sip:bob@127.0.0.1', answermode: 'auto', codecs: v.codecs, mediaenc: v.mediaenc }] });
    const h = runHandset(['call', b.sipUri, '--play', f.handsetWav, '--record', f.handsetRecord, '--duration', '3', '--dtmf', '159', '--codecs', v.handsetCodecs, '--srtp', v.srtp], t);
    const media = await h.waitFor('media', 10_000);
    assert.equal(media['codec'], v.codecs[0]);
    if (v.srtp === 'mandatory') assert.match(String(media['srtp']), /AES_CM_128_HMAC_SHA1_(80|32)|AEAD/);
    await h.waitFor('answered');
    const ended = await h.waitFor('ended', 15_000);
    assert.equal(ended['reason'], 'local-bye');
    assert.equal(await h.exit, 0, h.stderr());
    await b.waitForEvent('CALL_CLOSED', 5000);
    // RFC 4733 digits (sent 0.5 s after the answer) reached baresip as DTMF events.
    assert.deepEqual(b.seen.filter((e) => e.type === 'CALL_DTMF_START').map((e) => e.param), ['1', '5', '9']);
    await b.stop({ keepDir: true });
    t.after(() => removeTempDir(b.dir));
    assertTwoWay(f.handsetRecord, b.recordings().dec[0]);
  });

  test(`baresip calls handset listen --auto-answer (${v.name}): two-way audio, baresip's RFC 4733 digits reported`, { skip, timeout: 60_000 }, async (t) => {
    const f = tones(t);
    const h = runHandset(['listen', '--listen', '127.0.0.1:0', '--auto-answer', '--play', f.handsetWav, '--record', f.handsetRecord, '--codecs', v.handsetCodecs, '--srtp', v.srtp], t);
    const ready = await h.waitFor('ready');
    const b = await startBaresip({ t, playWav: f.baresipWav, accounts: [{ aor: 'sip:alice@127.0.0.1', codecs: v.codecs, mediaenc: v.mediaenc }] });
    const dial = await b.command('dial', `sip:handset@${String(ready['address'])}`);
    assert.equal(dial.ok, true, dial.data);
    await h.waitFor('answered', 10_000);
    await b.waitForEvent('CALL_ESTABLISHED', 10_000);
    // baresip sends digits as RFC 4733 events (menu's sndcode); the listener reports each once.
    assert.equal((await b.command('sndcode', '4#')).ok, true);
    await h.waitFor('dtmf', 5000, (e) => e['digit'] === '#');
    assert.deepEqual(h.events.filter((e) => e.event === 'dtmf').map((e) => [e['digit'], e['via']]), [['4', 'rfc4733'], ['#', 'rfc4733']]);
    // Audio flows for 2.5 s; the assertions are on the recordings.
    await new Promise((r) => setTimeout(r, 2500));
    await b.command('hangup');
    const ended = await h.waitFor('ended', 10_000);
    assert.equal(ended['reason'], 'remote-bye');
    await b.stop({ keepDir: true });
    t.after(() => removeTempDir(b.dir));
    assert.equal(await h.stop(), 0, h.stderr());
    assertTwoWay(f.handsetRecord, b.recordings().dec[0]);
  });
}

test('handset registers at kamailio and calls baresip through it; a busy callee gives exit 1 and a reason', { skip: skipKamailio, timeout: 60_000 }, async (t) => {
  const f = tones(t);
  const k = await startKamailio({ t });
  const [alice, bob] = [k.users[0]!, k.users[1]!];
  const b = await startBaresip({ t, playWav: f.baresipWav, accounts: [{ aor: `sip:${bob.user}@${k.domain}`, password: bob.password, registrar: k.proxyUri('udp'), answermode: 'auto' }] });
  await b.waitForRegistration();
  const h = runHandset(['call', `sip:${bob.user}@${k.domain}`, '--user', `sip:${alice.user}@${k.domain}`, '--proxy', k.proxyUri('udp'),
    '--play', f.handsetWav, '--record', f.handsetRecord, '--duration', '3'], t, { HANDSET_PASSWORD: alice.password });
  await h.waitFor('registered', 10_000);
  await h.waitFor('answered', 10_000);
  assert.equal(await h.exit, 0, h.stderr());
  await b.stop({ keepDir: true });
  t.after(() => removeTempDir(b.dir));
  assertTwoWay(f.handsetRecord, b.recordings().dec[0]);

  // Nobody registered as carol: kamailio answers 404, the CLI says so and exits non-zero.
  const miss = runHandset(['call', `sip:${k.users[2]!.user}@${k.domain}`, '--user', `sip:${alice.user}@${k.domain}`, '--proxy', k.proxyUri('udp')], t, { HANDSET_PASSWORD: alice.password });
  assert.equal(await miss.exit, 1);
  assert.match(miss.stderr(), /^404 .* from sip:carol@/m);
});
