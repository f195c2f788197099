// The `handset` binary against itself on loopback (no external peer): a call with audio both
// ways, a failure with its exit code and one-line reason, and argument errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { makeTempDir, removeTempDir } from '../../support/peers/env.js';
import { encodeWav, parseWav } from '../../../src/media/index.js';
import { toneSource } from '../../../src/phone/index.js';
import { measureToneInWav } from '../../support/peers/audio.js';
import { runHandset } from './handset-cli.js';

function toneWav(path: string, hz: number): string {
  const samples = new Int16Array(8000 * 5);
  toneSource(hz).read(samples, 8000);
  writeFileSync(path, encodeWav({ sampleRate: 8000, channels: 1, samples }));
  return path;
}

test('handset call → handset listen: answered, two-way audio, DTMF, both exit 0', { timeout: 30_000 }, async (t) => {
  const dir = makeTempDir('h2h');
  t.after(() => removeTempDir(dir));
  const [aRec, bRec] = [join(dir, 'a.wav'), join(dir, 'b.wav')];
  const listener = runHandset(['listen', '--listen', '127.0.0.1:0', '--auto-answer', '--play', toneWav(join(dir, 'b.wav.src'), 1200), '--record', bRec, '--data-dir', join(dir, 'data')], t);
  const ready = await listener.waitFor('ready');
  const caller = runHandset(['call', `sip:bob@${String(ready['address'])}`, '--play', toneWav(join(dir, 'a.wav.src'), 500), '--record', aRec, '--duration', '2', '--dtmf', '7*'], t);
  assert.equal(await caller.exit, 0, caller.stderr());
  // The listener answers at once: its 200 is the first response, no 180 (so no "ringing" here).
  assert.deepEqual(caller.events.map((e) => e.event), ['ready', 'media', 'answered', 'ended']);
  await listener.waitFor('ended');
  assert.deepEqual(listener.events.filter((e) => e.event === 'dtmf').map((e) => e['digit']), ['7', '*']);
  assert.equal(await listener.stop(), 0);
  assert.ok(measureToneInWav(aRec, 1200).ratio > 0.8);
  assert.ok(measureToneInWav(bRec, 500).ratio > 0.8);
});

test('--record survives a killed process: the WAV written so far plays and holds the tone', { timeout: 30_000 }, async (t) => {
  const dir = makeTempDir('h2h-kill');
  t.after(() => removeTempDir(dir));
  const bRec = join(dir, 'b.wav');
  const listener = runHandset(['listen', '--listen', '127.0.0.1:0', '--auto-answer', '--record', bRec], t);
  const ready = await listener.waitFor('ready');
  const caller = runHandset(['call', `sip:bob@${String(ready['address'])}`, '--play', toneWav(join(dir, 'a.wav.src'), 500), '--duration', '5'], t);
  await listener.waitFor('answered');
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(await listener.kill(), 128);
  await caller.stop();
  const wav = parseWav(readFileSync(bRec));
  assert.ok(wav.ok, 'the recording parses');
  assert.ok(wav.value.samples.length >= 8000, `at least 1 s recorded, got ${wav.value.samples.length} samples`);
  assert.ok(measureToneInWav(bRec, 500).ratio > 0.8);
});

test('a refused call exits 1 with "488 Not Acceptable Here from <uri>" on stderr', { timeout: 30_000 }, async (t) => {
  const listener = runHandset(['listen', '--listen', '127.0.0.1:0', '--auto-answer', '--codecs', 'pcma'], t);
  const ready = await listener.waitFor('ready');
  const target = `sip:bob@${String(ready['address'])}`;
  const caller = runHandset(['call', target, '--codecs', 'pcmu'], t);
  assert.equal(await caller.exit, 1);
  assert.equal(caller.stderr(), `488 Not Acceptable Here from ${target}\n`);
  const ended = caller.events.find((e) => e.event === 'ended')!;
  assert.equal(ended['reason'], 'codec-mismatch');
});

test('argument errors name the option and exit 2', { timeout: 30_000 }, async (t) => {
  for (const [args, message] of [
    [['call'], /a target URI is required/],
    [['call', 'sip:b@127.0.0.1', '--srtp', 'maybe'], /--srtp: "maybe" is not off, optional or mandatory/],
    [['call', 'sip:b@127.0.0.1', '--codecs', 'opus'], /--codecs: "opus" is not one of pcmu, pcma, cn/],
    [['call', 'sip:b@127.0.0.1', '--dtmf', '12x'], /--dtmf: "12x" is not DTMF digits/],
    [['listen', '--listen', 'nowhere'], /--listen: "nowhere" is not <ip>:<port>/],
    [['call', 'sip:b@127.0.0.1', '--play', '/nonexistent.wav'], /--play: cannot read/],
  ] as const) {
    const p = runHandset([...args], t);
    assert.equal(await p.exit, 2, args.join(' '));
    assert.match(p.stderr(), message);
  }
});
