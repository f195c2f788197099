import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CallRecorder, detectTone, encodeWav, parseWav, WAV_HEADER_SIZE, wavFileDevice, WavFileRecorder, WavFileSource,
} from '../../../src/media/index.js';
import { toneSamples } from './audio-fakes.js';

const dir = mkdtempSync(join(tmpdir(), 'handset-wavdev-'));
const ramp = (n: number, from = 0) => Int16Array.from({ length: n }, (_, i) => (((from + i) * 131) % 60000) - 30000);

function readAll(src: WavFileSource, frames: number, size = 160): { samples: Int16Array; results: boolean[] } {
  const samples = new Int16Array(frames * size);
  const results: boolean[] = [];
  const f = new Int16Array(size);
  for (let k = 0; k < frames; k++) {
    results.push(src.read(f));
    samples.set(f, k * size);
  }
  return { samples, results };
}

test('WAV source: plays the file exactly, its tail, then silence and false', () => {
  const src = new WavFileSource({ sampleRate: 8000, channels: 1, samples: ramp(400) }, { sampleRate: 8000 });
  const { samples, results } = readAll(src, 4);
  assert.deepEqual(results, [true, true, true, false]);
  assert.deepEqual(samples.subarray(0, 400), ramp(400));
  assert.ok(samples.subarray(400).every((v) => v === 0));
  assert.equal(src.ended, true);
  src.rewind();
  assert.equal(src.ended, false);
});

test('WAV source: loop wraps sample-exactly', () => {
  const src = new WavFileSource({ sampleRate: 8000, channels: 1, samples: ramp(250) }, { sampleRate: 8000, loop: true });
  const { samples, results } = readAll(src, 10);
  assert.ok(results.every(Boolean));
  for (let i = 0; i < samples.length; i++) assert.equal(samples[i], ramp(250)[i % 250], `sample ${i}`);
});

test('WAV source: a 44.1 kHz stereo file plays as 8 kHz mono with its tone', async () => {
  const left = toneSamples(1000, 44100, 44100);
  const stereo = new Int16Array(2 * 44100);
  for (let i = 0; i < 44100; i++) (stereo[2 * i] = left[i]!), (stereo[2 * i + 1] = left[i]!);
  const path = join(dir, 'stereo.wav');
  writeFileSync(path, encodeWav({ sampleRate: 44100, channels: 2, samples: stereo }));
  const src = await wavFileDevice.openSource!({ target: path, sampleRate: 8000 });
  assert.ok(src.ok);
  assert.equal(src.value.sampleRate, 8000);
  assert.equal((src.value as WavFileSource).samples.length, 8000);
  const { samples } = readAll(src.value as WavFileSource, 50);
  assert.ok(detectTone(samples.subarray(160), 8000, 1000).ratio > 0.98);
});

test('WAV source: missing and malformed files are errors naming the file', async () => {
  const missing = await WavFileSource.open(join(dir, 'nope.wav'), { sampleRate: 8000 });
  assert.ok(!missing.ok && missing.error.includes('nope.wav'));
  writeFileSync(join(dir, 'bad.wav'), 'RIFF0000WAVEjunk');
  const bad = await WavFileSource.open(join(dir, 'bad.wav'), { sampleRate: 8000 });
  assert.ok(!bad.ok && bad.error.includes('bad.wav') && bad.error.includes('no fmt'));
});

test('WAV recorder: sizes "unknown" (0xFFFFFFFF) while recording, exact sizes and samples after close', async () => {
  const path = join(dir, 'rec.wav');
  const rec = await WavFileRecorder.open(path, { sampleRate: 16000, channels: 1 });
  assert.ok(rec.ok);
  for (let k = 0; k < 10; k++) rec.value.write(ramp(320, k * 320));
  await rec.value.flush();
  const during = readFileSync(path);
  assert.equal(during.length, WAV_HEADER_SIZE + 6400);
  assert.equal(during.readUInt32LE(4), 0xffffffff); // sizes unknown yet: "to the end"
  assert.equal(during.readUInt32LE(40), 0xffffffff);
  const partial = parseWav(during);
  assert.ok(partial.ok);
  assert.deepEqual(partial.value.samples, ramp(3200));
  rec.value.write(ramp(320, 3200));
  await rec.value.close();
  await rec.value.close();
  rec.value.write(ramp(320)); // after close: ignored
  const done = readFileSync(path);
  assert.equal(done.readUInt32LE(4), 36 + 7040);
  assert.equal(done.readUInt32LE(40), 7040);
  const wav = parseWav(done);
  assert.ok(wav.ok);
  assert.equal(wav.value.sampleRate, 16000);
  assert.deepEqual(wav.value.samples, ramp(3520));
  assert.equal(rec.value.frames, 3520);
});

test('WAV recorder: a process killed mid-recording leaves a readable WAV', async () => {
  const path = join(dir, 'killed.wav');
  const media = new URL('../../../src/media/index.js', import.meta.url).href;
  const script = `
    const { WavFileRecorder } = await import(${JSON.stringify(media)});
    const r = await WavFileRecorder.open(${JSON.stringify(path)}, { sampleRate: 8000, channels: 1 });
    let k = 0;
    const frame = () => Int16Array.from({ length: 160 }, (_, i) => (((k * 160 + i) * 131) % 60000) - 30000);
    for (; k < 25; k++) r.value.write(frame());
    await r.value.flush();
    process.stdout.write('flushed ' + k + '\\n');
    setInterval(() => { r.value.write(frame()); k++; }, 2);
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString())));
  assert.match(line, /^flushed 25/);
  await new Promise((r) => setTimeout(r, 50)); // let it write more frames, then kill it mid-stream
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await gone;
  const wav = parseWav(readFileSync(path));
  assert.ok(wav.ok, wav.ok ? '' : wav.error);
  const n = wav.value.samples.length;
  assert.ok(n >= 25 * 160, `${n} samples survived`);
  assert.deepEqual(wav.value.samples, ramp(n));
});

test('WAV recorder: an unwritable path is an error, not a throw', async () => {
  const r = await WavFileRecorder.open(join(dir, 'no-such-dir', 'x.wav'), { sampleRate: 8000, channels: 1 });
  assert.ok(!r.ok && r.error.includes('no-such-dir'));
});

test('call recorder: start/stop on demand, sides at different rates aligned, lagging side padded', async () => {
  const rec = new CallRecorder({ sampleRate: 8000, maxSkewMs: 100 });
  rec.local(ramp(160), 8000); // before start: ignored
  const first = join(dir, 'call1.wav');
  assert.ok((await rec.start(first)).ok);
  assert.equal(rec.recording, true);
  assert.ok(!(await rec.start(join(dir, 'other.wav'))).ok);
  for (let k = 0; k < 10; k++) {
    rec.local(toneSamples(1000, 160), 8000);
    rec.remote(toneSamples(600, 320, 16000), 16000); // a wideband peer
  }
  // The peer stops sending (hold): our side runs on, theirs is taken as silence after 100 ms.
  for (let k = 0; k < 10; k++) rec.local(new Int16Array(160).fill(5), 8000);
  await rec.stop();
  assert.equal(rec.recording, false);
  const wav = parseWav(readFileSync(first));
  assert.ok(wav.ok);
  assert.equal(wav.value.channels, 2);
  const left = wav.value.samples.filter((_, i) => i % 2 === 0);
  const right = wav.value.samples.filter((_, i) => i % 2 === 1);
  assert.equal(left.length, 20 * 160);
  assert.deepEqual(left.subarray(0, 1600), Int16Array.from({ length: 1600 }, (_, i) => toneSamples(1000, 160)[i % 160]!));
  assert.ok(left.subarray(1600).every((v) => v === 5));
  assert.ok(detectTone(right.subarray(0, 1600), 8000, 600).ratio > 0.9);
  assert.ok(right.subarray(1600).every((v) => v === 0));
  // A second recording into another file.
  const second = join(dir, 'call2.wav');
  assert.ok((await rec.start(second)).ok);
  rec.local(ramp(160), 8000);
  rec.remote(ramp(160, 7), 8000);
  await rec.stop();
  const wav2 = parseWav(readFileSync(second));
  assert.ok(wav2.ok);
  assert.deepEqual(wav2.value.samples.filter((_, i) => i % 2 === 1), ramp(160, 7));
});
