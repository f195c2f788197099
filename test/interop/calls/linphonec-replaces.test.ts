// Attended transfer with linphonec as the transferee: it follows our REFER with Replaces by an
// INVITE with Replaces to another Handset (RFC 3891), which takes over its consultation call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { makeTempDir, removeTempDir, skipUnless } from '../../support/peers/env.js';
import { startLinphonec } from '../../support/peers/linphonec.js';
import { makeToneWav } from '../../support/peers/audio.js';
import { detectTone } from '../../../src/media/index.js';
import { attendedTransfer, startPhone, toneSource, type Call } from '../../../src/phone/index.js';

const skip = skipUnless('linphonec', 'sox');
const loopbackRc = '[sip]\nbind_address=127.0.0.1\nipv6=0\n[rtp]\nbind_address=127.0.0.1\n';

test('linphonec follows REFER with Replaces; the INVITE with Replaces replaces the consultation call', { skip, timeout: 60_000 }, async (t) => {
  const dir = makeTempDir('replaces');
  t.after(() => removeTempDir(dir));
  const bobWav = makeToneWav(join(dir, 'b1000.wav'), { freqs: [1000], seconds: 10 });
  const bob = await startLinphonec({ t, identity: 'sip:bob@127.0.0.1', autoAnswer: true, extraRc: loopbackRc });
  await bob.useFiles(bobWav, join(dir, 'bob-heard.wav'));
  const alice = await startPhone();
  const carol = await startPhone();
  t.after(() => alice.close());
  t.after(() => carol.close());
  const carolCalls: Call[] = [];
  carol.on('incoming', (c) => {
    carolCalls.push(c);
    c.play(toneSource(1800));
    c.answer();
  });
  const ab = (await alice.dial(bob.sipUri, { source: toneSource(500) })) as Call;
  await new Promise<void>((r) => ab.once('answered', r));
  const ac = (await alice.dial(`sip:carol@127.0.0.1:${carol.options.stack.localAddress('udp').port}`, { source: toneSource(500) })) as Call;
  await new Promise<void>((r) => ac.once('answered', r));
  const second = new Promise<Call>((r) => carol.once('incoming', r));
  assert.ok(attendedTransfer(ab, ac));
  const replacing = await second;
  assert.ok(replacing.session.replaces, 'the INVITE carried Replaces naming our consultation dialog');
  assert.equal((await carolCalls[0]!.whenEnded()).reason, 'replaced');
  assert.equal((await ac.whenEnded()).reason, 'transferred');
  await new Promise<void>((r) => (replacing.state === 'active' ? r() : replacing.once('answered', r)));
  const frames: Int16Array[] = [];
  replacing.listen({ write: (f) => void frames.push(f.slice()) });
  // linphonec may take a moment to restart its file player on the new call: look for the tone in
  // the latest 600 ms, for up to 8 s (bounded).
  let ratio = 0;
  for (let waited = 0; waited < 8000 && ratio <= 0.5; waited += 500) {
    await new Promise((r) => setTimeout(r, 500));
    ratio = detectTone(Int16Array.from(frames.slice(-30).flatMap((f) => [...f])), 8000, 1000).ratio;
  }
  assert.ok(ratio > 0.5, `carol hears linphonec after the replacement: ${ratio}`);
});
