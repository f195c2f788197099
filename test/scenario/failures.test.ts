// How calls fail, each with its reason; SRTP between Handsets; flash; recording of every call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pcmaCodec, pcmuCodec } from '../../src/codecs/index.js';
import { detectTone, parseWav } from '../../src/media/index.js';
import { describeEnd, sendFlash, stopRecording, toneSource, type Call } from '../../src/phone/index.js';
import { world, collect, nextIncoming } from './world.js';

test('no peer at all: Timer B ends the call with timeout', async () => {
  const w = world();
  const alice = await w.phone('192.0.2.10');
  const a = (await alice.dial('sip:nobody@192.0.2.99')) as Call;
  await w.run(40_000);
  assert.equal(a.end?.reason, 'timeout');
  assert.equal(a.end?.answered, false);
});

test('no common codec: 488 and codec-mismatch, with a one-line description', async () => {
  const w = world();
  const alice = await w.phone('192.0.2.10', { codecs: [pcmuCodec] });
  const bob = await w.phone('192.0.2.20', { codecs: [pcmaCodec] });
  const ringing = nextIncoming(bob);
  const a = (await alice.dial('sip:bob@192.0.2.20')) as Call;
  await w.run(50);
  assert.equal((await ringing).answer(), false);
  await w.run(50);
  assert.equal(a.end?.status, 488);
  assert.equal(a.end?.reason, 'codec-mismatch');
  assert.equal(describeEnd(a.end!, a.remoteUri), '488 Not Acceptable Here from sip:bob@192.0.2.20');
});

test('SRTP mandatory against SRTP off: refused as codec-mismatch; mandatory on both: encrypted audio flows', async () => {
  const w = world();
  const alice = await w.phone('192.0.2.10', { srtp: 'mandatory' });
  const plain = await w.phone('192.0.2.20', { srtp: 'off' });
  const refused = nextIncoming(plain);
  const a = (await alice.dial('sip:bob@192.0.2.20')) as Call;
  await w.run(50);
  (await refused).answer();
  await w.run(50);
  assert.equal(a.end?.reason, 'codec-mismatch');

  const secure = await w.phone('192.0.2.30', { srtp: 'mandatory' });
  const ringing = nextIncoming(secure);
  const b = (await alice.dial('sip:carol@192.0.2.30', { source: toneSource(500) })) as Call;
  await w.run(50);
  const c = await ringing;
  const heard = collect(c);
  c.answer();
  await w.run(1000);
  assert.ok(b.media?.negotiated?.srtp, 'SRTP negotiated');
  assert.equal(b.media?.negotiated?.protocol, 'RTP/SAVP');
  assert.ok(detectTone(heard.pcm(300), 8000, 500).ratio > 0.8, 'audio through SRTP');
  // On the wire: PCMU packets carry an SRTP tag (plain RTP would be 12 + 160 bytes).
  const sizes = new Set<number>();
  w.rtp.path = (_f, _t, data) => {
    if ((data[1]! & 0x7f) === 0) sizes.add(data.length);
    return 0;
  };
  await w.run(200);
  assert.ok(sizes.size > 0 && ![...sizes].includes(172), `SRTP packet sizes ${[...sizes]}`);
});

test('hook flash is RFC 4733 event 16 (reported as "!"), or INFO signal=hf', async () => {
  const w = world();
  const alice = await w.phone('192.0.2.10');
  const bob = await w.phone('192.0.2.20');
  const ringing = nextIncoming(bob);
  const a = (await alice.dial('sip:bob@192.0.2.20')) as Call;
  await w.run(50);
  const b = await ringing;
  b.answer();
  await w.run(50);
  const got: string[] = [];
  b.on('dtmf', (d) => got.push(`${d.digit}/${d.via}`));
  assert.equal(sendFlash(a), 'rfc4733');
  await w.run(800);
  assert.equal(sendFlash(a, 'info'), 'info');
  await w.run(100);
  assert.deepEqual(got, ['!/rfc4733', 'hf/info']);
});

test('recordDir: every call is recorded from the start; the finished WAV is there after the end', async (t) => {
  const w = world();
  const dir = mkdtempSync(join(tmpdir(), 'handset-rec-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const alice = await w.phone('192.0.2.10', { recordDir: dir });
  const bob = await w.phone('192.0.2.20');
  const ringing = nextIncoming(bob);
  const a = (await alice.dial('sip:bob@192.0.2.20', { source: toneSource(500) })) as Call;
  await w.run(50);
  const b = await ringing;
  b.play(toneSource(1200));
  b.answer();
  await w.run(1000);
  a.hangup();
  await w.run(50);
  assert.equal(await stopRecording(a), undefined, 'the recording ended with the call');
  const files = readdirSync(dir);
  assert.equal(files.length, 1);
  await new Promise((r) => setTimeout(r, 50)); // the file's last write and close
  const wav = parseWav(readFileSync(join(dir, files[0]!)));
  assert.ok(wav.ok);
  assert.equal(wav.value.channels, 2);
  const right = wav.value.samples.filter((_, i) => i % 2 === 1).subarray(-4000);
  assert.ok(detectTone(right, 8000, 1200).ratio > 0.8);
});
