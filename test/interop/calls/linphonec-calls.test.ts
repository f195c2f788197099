// linphonec and Handset (the `handset` binary) call each other directly on loopback; two-way
// audio proven by tone detection in both recordings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { makeTempDir, removeTempDir, skipUnless } from '../../support/peers/env.js';
import { startLinphonec } from '../../support/peers/linphonec.js';
import { makeToneWav, measureToneInWav } from '../../support/peers/audio.js';
import { runHandset } from './handset-cli.js';

const skip = skipUnless('linphonec', 'sox');
// linphonec otherwise advertises the host's first global address (e.g. an fd00:: one) in SDP even
// on loopback calls, and its RTP then comes from 127.0.0.1: pin both to loopback.
const loopbackRc = '[sip]\nbind_address=127.0.0.1\nipv6=0\n[rtp]\nbind_address=127.0.0.1\n';

function files(t: { after(fn: () => void): void }) {
  const dir = makeTempDir('handset-linphonec');
  t.after(() => removeTempDir(dir));
  return {
    handsetWav: makeToneWav(join(dir, 'h500.wav'), { freqs: [500], seconds: 6 }),
    linphoneWav: makeToneWav(join(dir, 'l1000.wav'), { freqs: [1000], seconds: 6 }),
    handsetRecord: join(dir, 'handset-heard.wav'),
    linphoneRecord: join(dir, 'linphone-heard.wav'),
  };
}

function assertTwoWay(f: ReturnType<typeof files>): void {
  const atHandset = measureToneInWav(f.handsetRecord, 1000);
  const atLinphone = measureToneInWav(f.linphoneRecord, 500);
  assert.ok(atHandset.ratio > 0.5, `handset hears linphonec's 1000 Hz: ${JSON.stringify(atHandset)}`);
  assert.ok(atLinphone.ratio > 0.5, `linphonec hears handset's 500 Hz: ${JSON.stringify(atLinphone)}`);
}

test('handset calls linphonec (auto-answer): two-way audio, exit 0', { skip, timeout: 60_000 }, async (t) => {
  const f = files(t);
  const l = await startLinphonec({ t, identity: 'sip:carol@127.0.0.1', autoAnswer: true, extraRc: loopbackRc });
  await l.useFiles(f.linphoneWav, f.linphoneRecord);
  const h = runHandset(['call', l.sipUri, '--play', f.handsetWav, '--record', f.handsetRecord, '--duration', '3'], t);
  await h.waitFor('answered', 15_000);
  assert.equal(await h.exit, 0, h.stderr());
  await l.waitForCallState('none', 10_000);
  await l.stop();
  assertTwoWay(f);
});

test('linphonec calls handset listen --auto-answer: two-way audio, ended by linphonec', { skip, timeout: 60_000 }, async (t) => {
  const f = files(t);
  const h = runHandset(['listen', '--listen', '127.0.0.1:0', '--auto-answer', '--play', f.handsetWav, '--record', f.handsetRecord], t);
  const ready = await h.waitFor('ready');
  const l = await startLinphonec({ t, identity: 'sip:carol@127.0.0.1', extraRc: loopbackRc });
  await l.useFiles(f.linphoneWav, f.linphoneRecord);
  await l.command(`call sip:handset@${String(ready['address'])}`);
  await h.waitFor('answered', 15_000);
  await l.waitForCallState('StreamsRunning', 10_000);
  // Audio flows for 2.5 s; the assertions are on the recordings.
  await new Promise((r) => setTimeout(r, 2500));
  await l.command('terminate');
  const ended = await h.waitFor('ended', 10_000);
  assert.equal(ended['reason'], 'remote-bye');
  await l.stop();
  assert.equal(await h.stop(), 0, h.stderr());
  assertTwoWay(f);
});
