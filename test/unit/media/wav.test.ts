import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alawToLinear, linearToAlaw, linearToUlaw, ulawToLinear } from '../../../src/codecs/index.js';
import { encodeWav, parseWav, sizeOfWav, WAV_HEADER_SIZE, writeWav, writeWavHeader, type WavAudio } from '../../../src/media/index.js';

const ramp = (n: number, step = 997): Int16Array => Int16Array.from({ length: n }, (_, i) => ((i * step) % 65536) - 32768);

function chunk(id: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(id, 0, 'latin1');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body, body.length & 1 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}
function riff(...chunks: Buffer[]): Buffer {
  const body = Buffer.concat([Buffer.from('WAVE', 'latin1'), ...chunks]);
  const head = Buffer.alloc(8);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}
function fmt(tag: number, channels: number, rate: number, bits: number, extra?: Buffer): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt16LE(tag, 0);
  b.writeUInt16LE(channels, 2);
  b.writeUInt32LE(rate, 4);
  b.writeUInt32LE((rate * channels * bits) / 8, 8);
  b.writeUInt16LE((channels * bits) / 8, 12);
  b.writeUInt16LE(bits, 14);
  return chunk('fmt ', extra ? Buffer.concat([b, extra]) : b);
}
const pcmGuidTail = Buffer.from('000000001000800000aa00389b71', 'hex');
function extensible(subTag: number, validBits: number, tail = pcmGuidTail): Buffer {
  const e = Buffer.alloc(24);
  e.writeUInt16LE(22, 0);
  e.writeUInt16LE(validBits, 2);
  e.writeUInt32LE(0x3, 4);
  e.writeUInt16LE(subTag, 8);
  tail.copy(e, 10);
  return e;
}

test('16-bit PCM mono: canonical 44-byte header, exact round trip', () => {
  const audio: WavAudio = { sampleRate: 8000, channels: 1, samples: ramp(1000) };
  const file = encodeWav(audio);
  assert.equal(file.length, 44 + 2000);
  assert.equal(file.toString('latin1', 0, 4), 'RIFF');
  assert.equal(file.readUInt32LE(4), file.length - 8);
  assert.equal(file.toString('latin1', 8, 16), 'WAVEfmt ');
  assert.equal(file.readUInt16LE(20), 1);
  assert.equal(file.readUInt32LE(24), 8000);
  assert.equal(file.readUInt32LE(28), 16000);
  assert.equal(file.readUInt16LE(34), 16);
  assert.equal(file.readUInt32LE(40), 2000);
  const r = parseWav(file);
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.equal(r.value.format, 'pcm16');
  assert.equal(r.value.sampleRate, 8000);
  assert.equal(r.value.channels, 1);
  assert.deepEqual(r.value.samples, audio.samples);
});

test('16-bit PCM stereo at 44.1 kHz round trip; writeWav at an offset', () => {
  const audio: WavAudio = { sampleRate: 44100, channels: 2, samples: ramp(2000, 31) };
  const buf = Buffer.alloc(sizeOfWav(audio) + 10);
  assert.equal(writeWav(audio, buf, 10), sizeOfWav(audio));
  const r = parseWav(buf.subarray(10));
  assert.ok(r.ok);
  assert.equal(r.value.channels, 2);
  assert.equal(r.value.sampleRate, 44100);
  assert.deepEqual(r.value.samples, audio.samples);
  assert.throws(() => writeWav(audio, Buffer.alloc(100)), RangeError);
});

test('G.711 WAV (format 6 A-law, 7 µ-law), odd sample count padded to even', () => {
  const audio: WavAudio = { sampleRate: 8000, channels: 1, samples: ramp(161) };
  for (const [enc, tag, f, g] of [
    ['alaw', 6, linearToAlaw, alawToLinear],
    ['ulaw', 7, linearToUlaw, ulawToLinear],
  ] as const) {
    const file = encodeWav(audio, enc);
    assert.equal(file.length, 44 + 161 + 1);
    assert.equal(file.readUInt16LE(20), tag);
    assert.equal(file.readUInt16LE(34), 8);
    assert.equal(file[44], f(audio.samples[0]!));
    const r = parseWav(file);
    assert.ok(r.ok);
    assert.equal(r.value.format, enc);
    assert.equal(r.value.samples.length, 161);
    assert.deepEqual(r.value.samples, audio.samples.map((v) => g(f(v))));
  }
});

test('chunks before data are skipped, odd-sized ones with their pad byte (LIST, fact)', () => {
  const samples = Buffer.alloc(8);
  [100, -200, 300, -400].forEach((v, i) => samples.writeInt16LE(v, i * 2));
  const file = riff(chunk('LIST', Buffer.from('INFOISFT\x05\x00\x00\x00sox!', 'latin1')), fmt(1, 1, 16000, 16), chunk('fact', Buffer.from([1, 2, 3])), chunk('data', samples));
  const r = parseWav(file);
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.deepEqual([...r.value.samples], [100, -200, 300, -400]);
  assert.equal(r.value.sampleRate, 16000);
});

test('WAVE_FORMAT_EXTENSIBLE 24-bit stereo and float 32 are converted to 16-bit', () => {
  const data24 = Buffer.from([0x00, 0x00, 0x80, 0xff, 0xff, 0x7f, 0x56, 0x34, 0x12, 0x00, 0x00, 0x00]);
  const r = parseWav(riff(fmt(0xfffe, 2, 48000, 24, extensible(1, 24)), chunk('data', data24)));
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.equal(r.value.format, 'pcm24');
  assert.deepEqual([...r.value.samples], [-32768, 32767, 0x1234, 0]);
  const f = Buffer.alloc(16);
  [0.5, -1, 2, 0].forEach((v, i) => f.writeFloatLE(v, i * 4));
  const rf = parseWav(riff(fmt(0xfffe, 1, 8000, 32, extensible(3, 32)), chunk('data', f)));
  assert.ok(rf.ok, rf.ok ? '' : rf.error);
  assert.deepEqual([...rf.value.samples], [16384, -32767, 32767, 0]);
});

test('8-bit unsigned and 32-bit PCM', () => {
  const r8 = parseWav(riff(fmt(1, 1, 8000, 8), chunk('data', Buffer.from([0, 128, 255]))));
  assert.ok(r8.ok);
  assert.deepEqual([...r8.value.samples], [-32768, 0, 32512]);
  const d32 = Buffer.alloc(8);
  d32.writeInt32LE(0x12345678, 0);
  d32.writeInt32LE(-0x80000000, 4);
  const r32 = parseWav(riff(fmt(1, 1, 8000, 32), chunk('data', d32)));
  assert.ok(r32.ok);
  assert.deepEqual([...r32.value.samples], [0x1234, -32768]);
});

test('streaming writers: data size 0 or 0xFFFFFFFF means "to the end"; partial frames dropped', () => {
  const file = encodeWav({ sampleRate: 8000, channels: 2, samples: Int16Array.from([1, 2, 3, 4]) });
  file.writeUInt32LE(0xffffffff, 40);
  const r = parseWav(Buffer.concat([file, Buffer.from([9, 9])]));
  assert.ok(r.ok);
  assert.deepEqual([...r.value.samples], [1, 2, 3, 4], 'the 2 extra bytes are half a frame');
  file.writeUInt32LE(0, 40);
  const z = parseWav(file);
  assert.ok(z.ok && z.value.samples.length === 4);
});

test('malformed and unsupported files give clear reasons, never throw', () => {
  const reason = (b: Buffer): string => {
    const r = parseWav(b);
    assert.equal(r.ok, false);
    return r.ok ? '' : r.error;
  };
  assert.match(reason(Buffer.alloc(4)), /12/);
  assert.match(reason(Buffer.from('RIFX\0\0\0\0WAVE', 'latin1')), /RIFF/);
  assert.match(reason(Buffer.from('RIFF\0\0\0\0AVI ', 'latin1')), /WAVE/);
  assert.match(reason(riff(chunk('data', Buffer.alloc(4)))), /before any fmt/);
  assert.match(reason(riff(fmt(1, 1, 8000, 16))), /no data chunk/);
  assert.match(reason(riff(chunk('LIST', Buffer.alloc(3)))), /no fmt chunk/);
  assert.match(reason(riff(fmt(2, 1, 8000, 4), chunk('data', Buffer.alloc(4)))), /unsupported WAV format: tag 0x0002/);
  assert.match(reason(riff(fmt(3, 1, 8000, 64), chunk('data', Buffer.alloc(8)))), /64 bits/);
  assert.match(reason(riff(fmt(0xfffe, 1, 8000, 16, extensible(1, 16, Buffer.alloc(14))), chunk('data', Buffer.alloc(4)))), /GUID/);
  assert.match(reason(riff(fmt(0xfffe, 1, 8000, 16), chunk('data', Buffer.alloc(4)))), /EXTENSIBLE/);
  assert.match(reason(riff(fmt(1, 0, 8000, 16), chunk('data', Buffer.alloc(4)))), /0 channels/);
  const badAlign = riff(fmt(1, 2, 8000, 16), chunk('data', Buffer.alloc(4)));
  badAlign.writeUInt16LE(3, 12 + 8 + 12);
  assert.match(reason(badAlign), /block align/);
  const truncatedFmt = riff(fmt(1, 1, 8000, 16)).subarray(0, 30);
  assert.match(reason(truncatedFmt), /fmt chunk runs past/);
});

test('recorder pattern: header with size 0 first, data appended, header rewritten at the end', () => {
  const chunks = [Int16Array.from([1, -2, 3]), Int16Array.from([4, -5])];
  const head = Buffer.alloc(WAV_HEADER_SIZE);
  assert.equal(writeWavHeader({ sampleRate: 16000, channels: 1 }, 0, head), 44);
  const body = Buffer.concat(chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength)));
  const unfinished = parseWav(Buffer.concat([head, body]));
  assert.ok(unfinished.ok && unfinished.value.samples.length === 5, 'readable before the header is patched');
  writeWavHeader({ sampleRate: 16000, channels: 1 }, body.length, head);
  const file = Buffer.concat([head, body]);
  assert.equal(file.readUInt32LE(4), file.length - 8);
  assert.deepEqual(file, encodeWav({ sampleRate: 16000, channels: 1, samples: Int16Array.from([1, -2, 3, 4, -5]) }));
});
