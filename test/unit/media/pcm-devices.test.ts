import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../src/util/index.js';
import { ToneStream } from './audio-fakes.js';
import {
  AudioPump, createAudioDeviceRegistry, NullSink, nullAudioDevice, pacatCommand, parecCommand, PcmIteratorSink, PcmIteratorSource,
  PipeAudioSink, PipeAudioSource, pulseAudioDevice, resampleFrame, SampleFifo, SilenceSource, toneAudioDevice, ToneSource,
  detectTone, dtmfToneSpec, wavFileDevice,
} from '../../../src/media/index.js';

const ramp = (n: number, from = 0) => Int16Array.from({ length: n }, (_, i) => (((from + i) * 131) % 60000) - 30000);
const le = (s: Int16Array) => {
  const b = Buffer.alloc(s.length * 2);
  s.forEach((v, i) => b.writeInt16LE(v, 2 * i));
  return b;
};
const tick = () => new Promise((r) => setImmediate(r));

test('SampleFifo: order, zero fill on underrun, oldest dropped when full', () => {
  const f = new SampleFifo(5);
  f.push([1, 2, 3]);
  const out = new Int16Array(4);
  assert.equal(f.shift(out), 3);
  assert.deepEqual([...out], [1, 2, 3, 0]);
  f.push([1, 2, 3, 4]);
  f.push([5, 6, 7]); // wraps, drops 1 and 2
  assert.equal(f.overflowed, 2);
  const all = new Int16Array(5);
  f.shift(all);
  assert.deepEqual([...all], [3, 4, 5, 6, 7]);
  f.push(Int16Array.from([1, 2, 3, 4, 5, 6, 7, 8]));
  f.shift(all);
  assert.deepEqual([...all], [4, 5, 6, 7, 8]);
  f.pushSilence(2);
  f.discard(1);
  assert.equal(f.length, 1);
});

test('iterator source: chunks of any size become exact frames; false after the end', async () => {
  async function* chunks() {
    for (let k = 0; k < 10; k++) yield ramp(97, k * 97);
  }
  const src = new PcmIteratorSource(chunks(), { sampleRate: 8000, bufferMs: 1000 });
  for (let i = 0; i < 20; i++) await tick();
  const out = new Int16Array(160);
  const got: number[] = [];
  const results: boolean[] = [];
  for (let k = 0; k < 8; k++) {
    results.push(src.read(out));
    got.push(...out);
  }
  assert.deepEqual(got.slice(0, 970), [...ramp(970)]);
  assert.ok(got.slice(970).every((v) => v === 0));
  assert.deepEqual(results, [true, true, true, true, true, true, true, false]);
});

test('iterator source: s16le Buffers split at odd byte boundaries (a Node stream) decode exactly', async () => {
  const bytes = le(ramp(500));
  const pieces = [bytes.subarray(0, 3), bytes.subarray(3, 4), bytes.subarray(4, 501), bytes.subarray(501)];
  const src = new PcmIteratorSource(Readable.from(pieces), { sampleRate: 8000, bufferMs: 1000 });
  for (let i = 0; i < 20; i++) await tick();
  const out = new Int16Array(500);
  src.read(out);
  assert.deepEqual(out, ramp(500));
});

test('iterator source: a file-like producer is paused at bufferMs (back-pressure), a live one overwrites', async () => {
  let produced = 0;
  async function* endless() {
    for (;;) {
      produced += 160;
      yield ramp(160, produced - 160);
    }
  }
  const src = new PcmIteratorSource(endless(), { sampleRate: 8000, bufferMs: 100 }); // 800 samples
  for (let i = 0; i < 50; i++) await tick();
  assert.ok(produced <= 960, `produced ${produced}`);
  const out = new Int16Array(160);
  const got: number[] = [];
  for (let k = 0; k < 20; k++) {
    src.read(out);
    got.push(...out);
    for (let i = 0; i < 5; i++) await tick();
  }
  assert.deepEqual(got, [...ramp(3200)]); // nothing lost, nothing repeated
  await src.close();

  let livePos = 0;
  async function* capture() {
    for (;;) {
      await tick(); // a capture pipe delivers on I/O turns
      livePos += 160;
      yield ramp(160, livePos - 160);
    }
  }
  const live = new PcmIteratorSource(capture(), { sampleRate: 8000, bufferMs: 100, live: true });
  for (let i = 0; i < 50; i++) await tick();
  assert.ok(livePos > 2000);
  assert.ok(live.overflowed > 0);
  live.read(out);
  assert.equal(out[0], ramp(1, live.overflowed)[0]); // the oldest gave way
  await live.close();
});

test('iterator source: a producer that throws ends the source with the error', async () => {
  async function* broken() {
    yield ramp(160);
    throw new Error('bot crashed');
  }
  const src = new PcmIteratorSource(broken(), { sampleRate: 8000 });
  for (let i = 0; i < 10; i++) await tick();
  assert.equal(src.error, 'bot crashed');
  const out = new Int16Array(160);
  assert.equal(src.read(out), true);
  assert.deepEqual(out, ramp(160));
  assert.equal(src.read(out), false);
});

test('iterator sink: for await yields copies in order, ends on close; slow consumers lose the oldest', async () => {
  const sink = new PcmIteratorSink({ sampleRate: 8000, maxQueuedFrames: 3 });
  const frame = new Int16Array(160);
  for (let k = 0; k < 5; k++) sink.write(frame.fill(k));
  assert.equal(sink.droppedFrames, 2);
  const seen: number[] = [];
  const done = (async () => {
    for await (const f of sink) seen.push(f[0]!);
  })();
  await tick();
  sink.write(frame.fill(9)); // to a waiting consumer
  await tick();
  await sink.close();
  await done;
  assert.deepEqual(seen, [2, 3, 4, 9]);
});

test('iterator sink: bytes() gives s16le for byte streams', async () => {
  const sink = new PcmIteratorSink({ sampleRate: 8000 });
  sink.write(ramp(160));
  sink.write(ramp(160, 160));
  await sink.close();
  const chunks: Buffer[] = [];
  for await (const b of Readable.from(sink.bytes())) chunks.push(b as Buffer);
  assert.deepEqual(Buffer.concat(chunks), le(ramp(320)));
});

test('pipe source and sink: a child process speaking raw s16le on stdout and stdin', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'handset-pipe-'));
  const outFile = join(dir, 'played.raw');
  const producer = `const b = Buffer.alloc(3200); for (let i = 0; i < 1600; i++) b.writeInt16LE(((i * 131) % 60000) - 30000, 2 * i);
    process.stdout.write(b.subarray(0, 1001)); setTimeout(() => process.stdout.write(b.subarray(1001)), 20);`;
  const src = await PipeAudioSource.start({ command: process.execPath, args: ['-e', producer] }, { sampleRate: 8000, bufferMs: 1000 });
  assert.ok(src.ok);
  for (let i = 0; i < 200 && src.value.buffered < 1600; i++) await new Promise((r) => setTimeout(r, 5));
  const out = new Int16Array(1600);
  assert.equal(src.value.read(out), true);
  assert.deepEqual(out, ramp(1600));
  await src.value.close();

  const consumer = `const fs = require('fs'); process.stdin.pipe(fs.createWriteStream(${JSON.stringify(outFile)}));`;
  const sink = await PipeAudioSink.start({ command: process.execPath, args: ['-e', consumer] }, { sampleRate: 8000 });
  assert.ok(sink.ok);
  for (let k = 0; k < 10; k++) sink.value.write(ramp(160, k * 160));
  await sink.value.close();
  assert.deepEqual(readFileSync(outFile), le(ramp(1600)));
  assert.equal(sink.value.droppedFrames, 0);
});

test('pipe devices: a missing program is an error; parec/pacat command lines', async () => {
  const r = await PipeAudioSource.start({ command: 'handset-no-such-program', args: [] }, { sampleRate: 8000 });
  assert.ok(!r.ok && r.error.includes('handset-no-such-program'));
  assert.deepEqual(parecCommand({ sampleRate: 16000, device: 'mic' }), {
    command: 'parec', args: ['--raw', '--format=s16le', '--rate=16000', '--channels=1', '--latency-msec=20', '--device=mic'],
  });
  assert.deepEqual(pacatCommand({ sampleRate: 8000 }).args, ['--playback', '--raw', '--format=s16le', '--rate=8000', '--channels=1', '--latency-msec=40']);
});

test('device registry, null and tone devices', async () => {
  const reg = createAudioDeviceRegistry([nullAudioDevice, toneAudioDevice, wavFileDevice, pulseAudioDevice]);
  assert.deepEqual(reg.devices.map((d) => d.name), ['null', 'tone', 'wav', 'pulse']);
  assert.equal(reg.find('tone'), toneAudioDevice);
  assert.equal(reg.find('nope'), undefined);
  assert.throws(() => createAudioDeviceRegistry([nullAudioDevice, nullAudioDevice]), /twice/);

  const silence = await reg.find('null')!.openSource!({ target: '', sampleRate: 8000 });
  assert.ok(silence.ok && silence.value instanceof SilenceSource);
  const f = new Int16Array(160).fill(3);
  assert.equal(silence.value.read(f), true);
  assert.ok(f.every((v) => v === 0));
  const nul = await nullAudioDevice.openSink!({ target: '', sampleRate: 8000 });
  assert.ok(nul.ok);
  nul.value.write(f);
  assert.equal((nul.value as NullSink).frames, 1);

  const dual = await toneAudioDevice.openSource!({ target: '350+440@-13', sampleRate: 8000 });
  assert.ok(dual.ok);
  const pcm = new Int16Array(8000);
  dual.value.read(pcm);
  assert.ok(detectTone(pcm, 8000, 350).ratio > 0.45 && detectTone(pcm, 8000, 440).ratio > 0.45);
  assert.ok(!(await toneAudioDevice.openSource!({ target: '5000', sampleRate: 8000 })).ok);
  assert.ok(!(await toneAudioDevice.openSource!({ target: 'abc', sampleRate: 8000 })).ok);
  assert.ok(!(await toneAudioDevice.openSource!({ target: '1000@3', sampleRate: 8000 })).ok);

  const digits = new ToneSource(dtmfToneSpec('1', 100, 0), { sampleRate: 8000 });
  assert.equal(digits.read(new Int16Array(800)), true);
  assert.equal(digits.read(new Int16Array(160)), false);
});

test('resampleFrame: same rate is the same array; 20 ms frames map to whole counts', () => {
  const f = ramp(160);
  assert.equal(resampleFrame(f, 8000, 8000), f);
  assert.equal(resampleFrame(f, 8000, 16000).length, 320);
  assert.equal(resampleFrame(new Int16Array(882), 44100, 8000).length, 160);
});

test('a capture can be the audio clock: the pump sends exactly one frame per 20 ms captured', async () => {
  const clock = new ManualClock();
  async function* capture() {
    for (let k = 0; k < 48; k++) {
      await tick(); // odd 100-sample chunks, as a pipe might deliver them
      yield ramp(100, k * 100);
    }
  }
  const mic = new PcmIteratorSource(capture(), { sampleRate: 8000, live: true, onSamples: (n) => clock.advance((n * 1000) / 8000) });
  const stream = new ToneStream(clock, 0);
  new AudioPump({ clock, stream, source: mic, sink: new NullSink(8000) }).start();
  for (let i = 0; i < 100; i++) await tick();
  assert.equal(stream.sent.length, 1 + 30); // 4800 samples captured = 30 frames, after the first (silent) one
  assert.ok(stream.sent[0]!.pcm.every((v) => v === 0));
  assert.deepEqual(stream.sentSamples(1), ramp(4800)); // no gap, no repeat, no drift
  assert.equal(mic.overflowed, 0);
});
