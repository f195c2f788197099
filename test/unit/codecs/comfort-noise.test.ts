import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  analyzeComfortNoise,
  autocorrelation,
  ComfortNoiseGenerator,
  comfortNoiseCodec,
  createComfortNoiseCodec,
  indexFromReflection,
  levelFromRms,
  parseComfortNoise,
  reflectionCoefficients,
  reflectionFromIndex,
  rmsFromLevel,
  rmsOf,
  sizeOfComfortNoise,
  writeComfortNoise,
} from '../../../src/codecs/index.js';

/** Deterministic noise: white (a = 0) or first-order low-pass AR(1) with coefficient a. */
function arNoise(n: number, rms: number, a: number, seed = 7): Int16Array {
  let s = seed;
  const x = new Float64Array(n);
  let prev = 0;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    const w = s / 2 ** 32 - 0.5;
    prev = a * prev + w;
    x[i] = prev;
  }
  const scale = rms / Math.sqrt(x.reduce((t, v) => t + v * v, 0) / n);
  return Int16Array.from(x, (v) => Math.round(v * scale));
}

function lag1(x: Int16Array): number {
  const r = autocorrelation(x, 1);
  return r[1]! / r[0]!;
}

test('RFC 3389 §3.3 payload: level byte then reflection indices, round trip', () => {
  const p = { level: 47, reflectionIndices: [12, 127, 254] };
  assert.equal(sizeOfComfortNoise(p), 4);
  const buf = Buffer.alloc(6, 0xee);
  assert.equal(writeComfortNoise(p, buf, 1), 4);
  assert.deepEqual([...buf], [0xee, 47, 12, 127, 254, 0xee]);
  const r = parseComfortNoise(buf.subarray(0, 5), 1);
  assert.ok(r.ok);
  assert.deepEqual(r.value, p);
});

test('RFC 3389 §3.3: level-only payload (model order 0)', () => {
  const r = parseComfortNoise(Buffer.from([0x40]));
  assert.deepEqual(r, { ok: true, value: { level: 64, reflectionIndices: [] } });
});

test('RFC 3389 malformed payloads are results, not throws: empty, reserved index 255', () => {
  const empty = parseComfortNoise(Buffer.alloc(0));
  assert.equal(empty.ok, false);
  const reserved = parseComfortNoise(Buffer.from([30, 100, 255]));
  assert.equal(reserved.ok, false);
  if (!reserved.ok) assert.match(reserved.error, /255/);
  assert.equal(parseComfortNoise(Buffer.from([30]), 1).ok, false);
});

test('RFC 3389 §3.1: the unused MSB of the level byte is ignored', () => {
  const r = parseComfortNoise(Buffer.from([0x80 | 20]));
  assert.ok(r.ok && r.value.level === 20);
});

test('RFC 3389 §3.2: k(N) = 258 (N - 127) / 32768 and its inverse', () => {
  assert.equal(reflectionFromIndex(127), 0);
  assert.equal(reflectionFromIndex(0), (-258 * 127) / 32768);
  assert.ok(reflectionFromIndex(254) < 1 && reflectionFromIndex(0) > -1);
  for (let n = 0; n <= 254; n++) assert.equal(indexFromReflection(reflectionFromIndex(n)), n);
  assert.equal(indexFromReflection(1.5), 254);
  assert.equal(indexFromReflection(-1.5), 0);
});

test('RFC 3389 §3.1: level in -dBov relative to a full-scale square wave', () => {
  assert.equal(levelFromRms(32767), 0);
  assert.equal(levelFromRms(327.67), 40);
  assert.equal(levelFromRms(0), 127);
  assert.equal(levelFromRms(0.001), 127);
  assert.ok(Math.abs(rmsFromLevel(20) - 3276.7) < 1e-6);
});

test('Levinson–Durbin recovers an AR(1) low-pass as k1 ≈ -0.9, white noise as k ≈ 0', () => {
  const k = new Float64Array(4);
  reflectionCoefficients(autocorrelation(arNoise(8000, 1000, 0.9), 4), 4, k);
  assert.ok(Math.abs(k[0]! + 0.9) < 0.03, `k1 = ${k[0]}`);
  for (let i = 1; i < 4; i++) assert.ok(Math.abs(k[i]!) < 0.1, `k${i + 1} = ${k[i]}`);
  reflectionCoefficients(autocorrelation(arNoise(8000, 1000, 0), 4), 4, k);
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(k[i]!) < 0.05, `k${i + 1} = ${k[i]}`);
});

test('Levinson–Durbin on digital silence gives zero coefficients', () => {
  const k = new Float64Array(3).fill(9);
  assert.equal(reflectionCoefficients(autocorrelation(new Int16Array(160), 3), 3, k), 1);
  assert.deepEqual([...k], [0, 0, 0]);
});

test('generator: white noise at the signalled level (±1 dB)', () => {
  const g = new ComfortNoiseGenerator();
  g.update({ level: 40, reflectionIndices: [] });
  const out = new Int16Array(16000);
  assert.equal(g.generate(out), 16000);
  const db = 20 * Math.log10(rmsOf(out) / rmsFromLevel(40));
  assert.ok(Math.abs(db) < 1, `level off by ${db} dB`);
  assert.ok(Math.abs(lag1(out)) < 0.05, 'white');
});

test('generator level 127 is silence', () => {
  const g = new ComfortNoiseGenerator();
  g.update({ level: 127, reflectionIndices: [] });
  const out = new Int16Array(160).fill(5);
  g.generate(out);
  assert.ok(out.every((v) => v === 0));
});

test('analysis → SID → generator keeps level and spectral tilt of low-pass noise', () => {
  const input = arNoise(16000, 800, 0.9);
  const sid = analyzeComfortNoise(input, 4);
  assert.equal(sid.level, levelFromRms(800));
  assert.equal(sid.reflectionIndices.length, 4);
  const g = new ComfortNoiseGenerator(99);
  g.update(sid);
  const out = new Int16Array(16000);
  g.generate(out);
  const db = 20 * Math.log10(rmsOf(out) / 800);
  assert.ok(Math.abs(db) < 1.5, `level off by ${db} dB`);
  assert.ok(Math.abs(lag1(out) - lag1(input)) < 0.08, `lag-1 ${lag1(out)} vs ${lag1(input)}`);
});

test('CN codec: PT 13 at 8000 Hz; dynamic at 16000; encode a frame, decode fills the frame, conceal continues', () => {
  assert.equal(comfortNoiseCodec.name, 'CN');
  assert.equal(comfortNoiseCodec.payloadType, 13);
  assert.equal(comfortNoiseCodec.clockRate, 8000);
  assert.equal(createComfortNoiseCodec({ clockRate: 16000 }).payloadType, null);
  const frame = arNoise(160, 300, 0.5);
  const payload = Buffer.alloc(32);
  const n = comfortNoiseCodec.createEncoder().encode(frame, payload);
  assert.equal(n, 5, 'level + 4 coefficients');
  assert.equal(payload[0], levelFromRms(rmsOf(frame)));
  const dec = comfortNoiseCodec.createDecoder();
  const out = new Int16Array(160);
  assert.equal(dec.conceal!(out), 0, 'no noise before the first SID');
  assert.equal(dec.decode(payload.subarray(0, n), out), 160);
  assert.ok(rmsOf(out) > 100);
  const more = new Int16Array(160);
  assert.equal(dec.conceal!(more), 160);
  assert.ok(rmsOf(more) > 100);
  assert.equal(dec.decode(Buffer.alloc(0), out), 0, 'malformed SID yields no samples');
});

test('CN codec with order 0 sends the level only', () => {
  const codec = createComfortNoiseCodec({ order: 0 });
  const payload = Buffer.alloc(4);
  assert.equal(codec.createEncoder().encode(new Int16Array(160).fill(100), payload), 1);
  assert.equal(payload[0], levelFromRms(100));
});

test('generator glides to a new SID level instead of stepping, and starts at the first SID level', () => {
  const g = new ComfortNoiseGenerator();
  g.update({ level: 60, reflectionIndices: [] });
  const first = new Int16Array(160);
  g.generate(first);
  assert.ok(Math.abs(20 * Math.log10(rmsOf(first) / rmsFromLevel(60))) < 2, 'first frame at level');
  g.update({ level: 30, reflectionIndices: [] });
  const next = new Int16Array(800);
  g.generate(next);
  const head = rmsOf(next.subarray(0, 16));
  const tail = rmsOf(next.subarray(400));
  assert.ok(head < rmsFromLevel(40), `no step: first 2 ms at ${head}`);
  assert.ok(Math.abs(20 * Math.log10(tail / rmsFromLevel(30))) < 1, 'settled after 50 ms');
});
