// Tones, DTMF detection and WAV I/O against files and tools from the installed peers:
// baresip's DTMF digit sounds, linphone's speech prompts (talk-off: no digits, VAD says speech),
// and sox writing and reading WAV in several formats.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { downmixToMono, EnergyVad, resampleLinear } from '../../../src/codecs/index.js';
import { detectTone, DtmfDetector, encodeWav, parseWav, type DtmfEvent } from '../../../src/media/index.js';
import { makeTempDir, removeTempDir, skipUnless } from '../../support/peers/env.js';

const BARESIP_SOUNDS = '/usr/share/baresip';
const LINPHONE_SOUNDS = '/usr/share/sounds/linphone';

function digitsIn(samples: Int16Array, sampleRate: number): { digits: string; events: DtmfEvent[] } {
  const d = new DtmfDetector({ sampleRate });
  const events = [...d.process(samples), ...d.flush()];
  return { digits: events.filter((e) => e.type === 'start').map((e) => e.digit).join(''), events };
}

function readMono(path: string): { samples: Int16Array; sampleRate: number } {
  const r = parseWav(readFileSync(path));
  assert.ok(r.ok, r.ok ? '' : `${path}: ${r.error}`);
  return { samples: downmixToMono(r.value.samples, r.value.channels), sampleRate: r.value.sampleRate };
}

test('baresip DTMF sounds (44.1 kHz WAV): each gives its digit, natively and resampled to 8 kHz', { skip: skipUnless('baresip') }, () => {
  const files: [string, string][] = [...'0123456789'].map((d) => [`sound${d}.wav`, d]);
  files.push(['soundstar.wav', '*'], ['soundroute.wav', '#']);
  for (const [file, digit] of files) {
    const path = join(BARESIP_SOUNDS, file);
    assert.ok(existsSync(path), `${path} is installed with baresip`);
    const { samples, sampleRate } = readMono(path);
    const native = digitsIn(samples, sampleRate);
    assert.equal(native.digits, digit, `${file} at ${sampleRate} Hz`);
    const end = native.events.find((e) => e.type === 'end');
    assert.ok(end && end.type === 'end' && end.durationMs > 300, `${file}: one long tone, not fragments`);
    assert.equal(digitsIn(resampleLinear(samples, sampleRate, 8000), 8000).digits, digit, `${file} at 8 kHz`);
  }
});

test('baresip progress tones and linphone speech prompts contain no DTMF (talk-off)', { skip: skipUnless('baresip', 'linphonec') }, () => {
  const files = ['busy.wav', 'ringback.wav', 'callwaiting.wav', 'error.wav', 'ring.wav'].map((f) => join(BARESIP_SOUNDS, f));
  files.push(...['hello8000.wav', 'hello16000.wav', 'toy-mono.wav', 'ringback.wav'].map((f) => join(LINPHONE_SOUNDS, f)));
  for (const path of files.filter(existsSync)) {
    const { samples, sampleRate } = readMono(path);
    assert.equal(digitsIn(samples, sampleRate).digits, '', path);
  }
});

test('linphone speech prompt: the VAD finds speech and pauses', { skip: skipUnless('linphonec') }, () => {
  const { samples, sampleRate } = readMono(join(LINPHONE_SOUNDS, 'hello8000.wav'));
  assert.equal(sampleRate, 8000);
  const vad = new EnergyVad();
  let speech = 0;
  let frames = 0;
  for (let i = 0; i + 160 <= samples.length; i += 160, frames++) if (vad.process(samples.subarray(i, i + 160))) speech++;
  assert.ok(speech > frames * 0.2 && speech < frames * 0.95, `speech in ${speech} of ${frames} frames`);
});

test('sox-written WAVs (24-bit EXTENSIBLE stereo, float, µ-law, A-law, 8-bit) parse to the right tone', { skip: skipUnless('sox') }, (t) => {
  const dir = makeTempDir('wav');
  t.after(() => removeTempDir(dir));
  const variants: [string[], string][] = [
    [['-r', '44100', '-c', '2', '-b', '24'], 'pcm24'],
    [['-r', '48000', '-c', '1', '-e', 'floating-point', '-b', '32'], 'float32'],
    [['-r', '8000', '-c', '1', '-e', 'u-law'], 'ulaw'],
    [['-r', '8000', '-c', '1', '-e', 'a-law'], 'alaw'],
    [['-r', '8000', '-c', '1', '-b', '8'], 'pcm8'],
    [['-r', '16000', '-c', '3', '-b', '16'], 'pcm16'],
  ];
  for (const [args, format] of variants) {
    const file = join(dir, `${format}.wav`);
    const r = spawnSync('sox', ['-n', ...args, file, 'synth', '0.2', 'sine', '1000', 'vol', '0.5'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const parsed = parseWav(readFileSync(file));
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
    assert.equal(parsed.value.format, format);
    const mono = downmixToMono(parsed.value.samples, parsed.value.channels);
    const tone = detectTone(mono, parsed.value.sampleRate, 1000);
    assert.ok(tone.ratio > 0.99, `${format}: ratio ${tone.ratio}`);
    assert.ok(Math.abs(Math.sqrt(2 * tone.power) - 16384) < 200, `${format}: amplitude ${Math.sqrt(2 * tone.power)}`);
  }
});

test('sox reads the WAVs we write (16-bit stereo, µ-law, A-law)', { skip: skipUnless('sox') }, (t) => {
  const dir = makeTempDir('wav');
  t.after(() => removeTempDir(dir));
  const samples = Int16Array.from({ length: 16000 }, (_, i) => Math.round(10000 * Math.sin((2 * Math.PI * 500 * (i >> 1)) / 8000)));
  for (const [encoding, channels, soxEncoding] of [
    ['pcm16', 2, 'Signed Integer PCM'],
    ['ulaw', 1, 'u-law'],
    ['alaw', 1, 'A-law'],
  ] as const) {
    const file = join(dir, `${encoding}.wav`);
    writeFileSync(file, encodeWav({ sampleRate: 8000, channels, samples }, encoding));
    const info = spawnSync('sox', ['--i', file], { encoding: 'utf8' });
    assert.equal(info.status, 0, info.stderr);
    assert.match(info.stdout, new RegExp(`Channels\\s*: ${channels}`));
    assert.match(info.stdout, /Sample Rate\s*: 8000/);
    assert.match(info.stdout, new RegExp(soxEncoding));
    assert.match(info.stdout, new RegExp(`= ${16000 / channels} samples`));
  }
});
