import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sharedDir } from '../../support/paths.js';
import {
  alawToLinear,
  linearToAlaw,
  linearToUlaw,
  pcmaCodec,
  pcmuCodec,
  ulawToLinear,
} from '../../../src/codecs/index.js';

// ITU-T STL (G.191) reference sweep: raw little-endian 16-bit words (see the folder's README).
function readWords(name: string): Int16Array {
  const buf = readFileSync(sharedDir('conformance', 'itu-stl', 'g711', name));
  const words = new Int16Array(buf.length / 2);
  for (let i = 0; i < words.length; i++) words[i] = buf.readInt16LE(i * 2);
  return words;
}

const sweep = readWords('sweep.src');

function countDiffs(expected: Int16Array, actual: (i: number) => number): { diffs: number; first: string } {
  let diffs = 0;
  let first = '';
  for (let i = 0; i < expected.length; i++) {
    const a = actual(i);
    if (a !== expected[i]) {
      if (diffs++ === 0) first = `input ${sweep[i]}: got ${a}, want ${expected[i]}`;
    }
  }
  return { diffs, first };
}

test('STL sweep.src holds all 65,536 inputs in order', () => {
  assert.equal(sweep.length, 65536);
  for (let i = 0; i < 65536; i++) assert.equal(sweep[i], i - 32768);
});

for (const [law, codeFile, decodedFile, encode, decode, codec] of [
  ['µ-law', 'sweep-r.u', 'sweep-r.reu', linearToUlaw, ulawToLinear, pcmuCodec],
  ['A-law', 'sweep-r.a', 'sweep-r.rea', linearToAlaw, alawToLinear, pcmaCodec],
] as const) {
  const codes = readWords(codeFile);
  const decoded = readWords(decodedFile);

  test(`${law} scalar encoder: zero differences over the 65,536-sample STL sweep`, () => {
    const r = countDiffs(codes, (i) => encode(sweep[i]!));
    assert.equal(r.diffs, 0, r.first);
  });

  test(`${law} scalar decoder: zero differences over all 256 codes (STL decoded sweep)`, () => {
    const seen = new Set<number>();
    const r = countDiffs(decoded, (i) => {
      seen.add(codes[i]!);
      return decode(codes[i]!);
    });
    assert.equal(r.diffs, 0, r.first);
    assert.equal(seen.size, 256, 'sweep exercises every code');
  });

  test(`${law} stream encoder/decoder (tables): zero differences over the sweep`, () => {
    const enc = codec.createEncoder();
    const dec = codec.createDecoder();
    const payload = Buffer.alloc(65536);
    assert.equal(enc.encode(sweep, payload), 65536);
    for (let i = 0; i < 65536; i++) assert.equal(payload[i], codes[i], `code for ${sweep[i]}`);
    const out = new Int16Array(65536);
    assert.equal(dec.decode(payload, out), 65536);
    assert.deepEqual(out, decoded);
  });
}

test('µ-law known points: 0 → 0xFF, -1 → 0x7F, full scale → 0x80 / 0x00, 0x7F and 0xFF decode to 0', () => {
  assert.equal(linearToUlaw(0), 0xff);
  assert.equal(linearToUlaw(-1), 0x7f);
  assert.equal(linearToUlaw(32767), 0x80);
  assert.equal(linearToUlaw(-32768), 0x00);
  assert.equal(ulawToLinear(0xff), 0);
  assert.equal(ulawToLinear(0x7f), 0);
  assert.equal(ulawToLinear(0x80), 32124);
});

test('A-law known points: 0 → 0xD5, -1 → 0x55, full scale decodes to ±32256', () => {
  assert.equal(linearToAlaw(0), 0xd5);
  assert.equal(linearToAlaw(-1), 0x55);
  assert.equal(alawToLinear(0xaa), 32256);
  assert.equal(alawToLinear(0x2a), -32256);
});

test('G.711 descriptors: RFC 3551 static payload types, 8000 Hz, 20 ms default (160 samples)', () => {
  assert.equal(pcmuCodec.name, 'PCMU');
  assert.equal(pcmuCodec.payloadType, 0);
  assert.equal(pcmaCodec.name, 'PCMA');
  assert.equal(pcmaCodec.payloadType, 8);
  for (const c of [pcmuCodec, pcmaCodec]) {
    assert.equal(c.clockRate, 8000);
    assert.equal(c.sampleRate, 8000);
    assert.equal(c.channels, 1);
    assert.equal(c.defaultPtimeMs, 20);
    assert.equal(c.createDecoder().conceal, undefined, 'G.711 has no own PLC');
  }
});

test('G.711 decoder truncates a payload longer than the output, never throws', () => {
  const dec = pcmuCodec.createDecoder();
  const out = new Int16Array(4);
  assert.equal(dec.decode(Buffer.from([0xff, 0x80, 0x00, 0x7f, 0x12, 0x34]), out), 4);
  assert.deepEqual([...out], [0, 32124, -32124, 0]);
  assert.equal(dec.decode(Buffer.alloc(0), out), 0);
});

test('G.711 encoder with an output buffer too small is a programmer error', () => {
  assert.throws(() => pcmaCodec.createEncoder().encode(new Int16Array(160), Buffer.alloc(80)), RangeError);
});

test('G.711 decoder: odd lengths, unaligned and reused output arrays give the scalar result', () => {
  for (const codec of [pcmuCodec, pcmaCodec]) {
    const scalar = codec === pcmuCodec ? ulawToLinear : alawToLinear;
    const dec = codec.createDecoder();
    const backing = new Int16Array(200);
    for (const [len, outOffset] of [
      [161, 0],
      [160, 1],
      [33, 2],
      [1, 0],
      [160, 0],
    ] as const) {
      const payload = Buffer.from(Array.from({ length: len }, (_, i) => (i * 37 + len) & 0xff));
      const out = outOffset === 0 ? backing : backing.subarray(outOffset);
      assert.equal(dec.decode(payload, out), len);
      for (let i = 0; i < len; i++) assert.equal(out[i], scalar(payload[i]!), `${codec.name} len ${len} offset ${outOffset} [${i}]`);
    }
  }
});
