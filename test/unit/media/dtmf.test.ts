import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DTMF_COLUMN_HZ,
  DTMF_KEYS,
  DTMF_ROW_HZ,
  DtmfDetector,
  DtmfGenerator,
  dtmfFrequencies,
  dtmfToneSpec,
  detectTone,
  ToneGenerator,
  type DtmfDetectorOptions,
  type DtmfEvent,
  type ToneSpec,
} from '../../../src/media/index.js';
import { pcmaCodec, pcmuCodec } from '../../../src/codecs/index.js';

const RATE = 8000;

function render(spec: ToneSpec, ms: number, levels: number[] = [-10, -8], sampleRate = RATE): Int16Array {
  const out = new Int16Array((ms * sampleRate) / 1000);
  new ToneGenerator(spec, { sampleRate, componentLevelsDbov: levels }).generate(out);
  return out;
}

function pair(row: number, col: number, onMs = 100, offMs = 100): ToneSpec {
  return { segments: [{ ms: onMs, sound: { frequencies: [row, col] } }, { ms: offMs, sound: null }], repeat: false };
}

let seed = 12345;
function addNoise(x: Int16Array, rms: number): Int16Array {
  return x.map((v) => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return Math.max(-32768, Math.min(32767, v + Math.round((seed / 2 ** 32 - 0.5) * rms * Math.sqrt(12))));
  });
}

/** Feeds in 20 ms frames, as the media pipeline would. */
function detect(x: Int16Array, options: DtmfDetectorOptions = {}): DtmfEvent[] {
  const d = new DtmfDetector(options);
  const frame = ((options.sampleRate ?? RATE) * 20) / 1000;
  const events: DtmfEvent[] = [];
  for (let i = 0; i < x.length; i += frame) events.push(...d.process(x.subarray(i, i + frame)));
  return [...events, ...d.flush()];
}

const digits = (events: DtmfEvent[]): string => events.filter((e) => e.type === 'start').map((e) => e.digit).join('');

test('Q.23 keypad: frequencies of all 16 keys, case-insensitive, unknown keys undefined', () => {
  assert.deepEqual(dtmfFrequencies('1'), [697, 1209]);
  assert.deepEqual(dtmfFrequencies('0'), [941, 1336]);
  assert.deepEqual(dtmfFrequencies('*'), [941, 1209]);
  assert.deepEqual(dtmfFrequencies('#'), [941, 1477]);
  assert.deepEqual(dtmfFrequencies('d'), [941, 1633]);
  assert.deepEqual(dtmfFrequencies('A'), [697, 1633]);
  assert.equal(dtmfFrequencies('E'), undefined);
  assert.equal(dtmfFrequencies('12'), undefined);
  assert.throws(() => dtmfToneSpec('1x'), RangeError);
});

test('generator: each digit carries exactly its two frequencies at the set levels', () => {
  for (const key of DTMF_KEYS) {
    const x = render(dtmfToneSpec(key, 100, 0), 100);
    const [r, c] = dtmfFrequencies(key)!;
    const tr = detectTone(x, RATE, r);
    const tc = detectTone(x, RATE, c);
    assert.ok(tr.ratio + tc.ratio > 0.95, `${key}: ${tr.ratio} + ${tc.ratio}`);
    assert.ok(Math.abs(10 * Math.log10(tc.power / tr.power) - 2) < 0.5, `${key}: 2 dB twist`);
  }
});

test('all 16 digits (incl. A–D) are detected in order with 100 ms tones and 100 ms pauses', () => {
  const gen = new DtmfGenerator({ sampleRate: RATE });
  gen.send(DTMF_KEYS);
  assert.ok(gen.busy);
  const x = new Int16Array(16 * 1600 + 800);
  gen.generate(x);
  assert.equal(gen.busy, false);
  const events = detect(x);
  assert.equal(digits(events), DTMF_KEYS);
  const ends = events.filter((e) => e.type === 'end');
  assert.equal(ends.length, 16);
  for (const [i, e] of events.filter((e) => e.type === 'start').entries()) {
    assert.ok(Math.abs(e.timeMs - i * 200) <= 5, `start of digit ${i} at ${e.timeMs} ms`);
  }
  for (const e of ends) assert.ok(e.type === 'end' && Math.abs(e.durationMs - 100) <= 5, `duration ${JSON.stringify(e)}`);
});

test('Q.24 timing: 40 ms tones with 40 ms pauses are all detected, repeated digits stay separate', () => {
  const x = render(dtmfToneSpec('1155990#', 40, 40), 8 * 80 + 40);
  assert.equal(digits(detect(x)), '1155990#');
});

test('Q.24 timing: tones of 30 ms and shorter are rejected', () => {
  for (const ms of [10, 20, 25, 30]) assert.equal(digits(detect(render(pair(697, 1209, ms), 200))), '', `${ms} ms`);
});

test('Q.24 frequency tolerance: ±1.5 % on either tone is accepted', () => {
  for (const off of [-0.015, 0.015]) {
    for (let i = 0; i < 4; i++) {
      const key = DTMF_KEYS[i * 4 + i]!;
      assert.equal(digits(detect(render(pair(DTMF_ROW_HZ[i]! * (1 + off), DTMF_COLUMN_HZ[i]!), 200))), key, `row ${off}`);
      assert.equal(digits(detect(render(pair(DTMF_ROW_HZ[i]!, DTMF_COLUMN_HZ[i]! * (1 + off)), 200))), key, `col ${off}`);
    }
  }
});

test('Q.24 frequency tolerance: ±3.5 % (and more) off-frequency tones are rejected', () => {
  for (const off of [-0.06, -0.035, 0.035, 0.06]) {
    for (let i = 0; i < 4; i++) {
      assert.equal(digits(detect(render(pair(DTMF_ROW_HZ[i]! * (1 + off), DTMF_COLUMN_HZ[i]!), 200))), '', `row ${i} ${off}`);
      assert.equal(digits(detect(render(pair(DTMF_ROW_HZ[i]!, DTMF_COLUMN_HZ[i]! * (1 + off)), 200))), '', `col ${i} ${off}`);
    }
  }
});

test('twist (limits 8 dB normal, 4 dB reverse): inside accepted, beyond rejected', () => {
  // Goertzel estimates carry about ±0.5 dB on 25 ms windows, so test half a dB inside the limits.
  const at = (rowDb: number, colDb: number): string => digits(detect(render(pair(852, 1336), 200, [rowDb, colDb])));
  assert.equal(at(-19.5, -12), '8', 'normal twist 7.5 dB');
  assert.equal(at(-12, -15.5), '8', 'reverse twist 3.5 dB');
  assert.equal(at(-22, -12), '', 'normal twist 10 dB');
  assert.equal(at(-10, -16), '', 'reverse twist 6 dB');
});

test('level: tones at -30 dBov each detected, at -40 dBov not', () => {
  assert.equal(digits(detect(render(pair(770, 1477), 200, [-30, -30]))), '6');
  assert.equal(digits(detect(render(pair(770, 1477), 200, [-40, -40]))), '');
});

test('noise: digits survive white noise at 15 dB SNR; noise alone gives nothing', () => {
  const clean = render(dtmfToneSpec('2580*#', 60, 60), 6 * 120 + 100);
  const toneRms = Math.sqrt(clean.reduce((s, v) => s + v * v, 0) / clean.length) * Math.SQRT2; // during tones
  assert.equal(digits(detect(addNoise(clean, toneRms / 10 ** (15 / 20)))), '2580*#');
  assert.equal(digits(detect(addNoise(new Int16Array(RATE * 2), 3000))), '');
});

test('speech rejection: a single tone, a harmonic-rich voiced sound and a pair with strong 2nd harmonics are not digits', () => {
  const single = render({ segments: [{ ms: 200, sound: { frequencies: [697] } }], repeat: false }, 200);
  assert.equal(digits(detect(single)), '');
  // 100 Hz pitch with 30 harmonics (a crude vowel): 697/1209-ish energy but spread out.
  const harmonics = Array.from({ length: 30 }, (_, k) => 100 * (k + 1));
  const vowel = render({ segments: [{ ms: 300, sound: { frequencies: harmonics } }], repeat: false }, 300, harmonics.map(() => -30));
  assert.equal(digits(detect(vowel)), '');
  const withHarmonics = render(
    { segments: [{ ms: 200, sound: { frequencies: [697, 1209, 1394, 2418] } }], repeat: false },
    200,
    [-12, -12, -14, -14],
  );
  assert.equal(digits(detect(withHarmonics)), '');
});

test('other sample rates: 16 kHz and 48 kHz digits are detected', () => {
  for (const sampleRate of [16000, 48000]) {
    const gen = new DtmfGenerator({ sampleRate, toneMs: 50, pauseMs: 50 });
    gen.send('159D');
    const x = new Int16Array((sampleRate * 450) / 1000);
    gen.generate(x);
    assert.equal(digits(detect(x, { sampleRate })), '159D', `${sampleRate} Hz`);
  }
});

test('generator output is phase-continuous across odd frame sizes', () => {
  const whole = new Int16Array(800);
  const a = new DtmfGenerator({ sampleRate: RATE });
  a.send('7');
  a.generate(whole);
  const parts = new Int16Array(800);
  const b = new DtmfGenerator({ sampleRate: RATE });
  b.send('7');
  for (let i = 0; i < 800; i += 37) b.generate(parts.subarray(i, Math.min(800, i + 37)));
  assert.deepEqual(parts, whole);
});

test('digits survive a G.711 round trip (PCMU and PCMA), as they arrive over RTP', () => {
  for (const codec of [pcmuCodec, pcmaCodec]) {
    const gen = new DtmfGenerator({ sampleRate: RATE, toneMs: 60, pauseMs: 60 });
    gen.send('147*2580369#ABCD');
    const enc = codec.createEncoder();
    const dec = codec.createDecoder();
    const det = new DtmfDetector();
    const frame = new Int16Array(160);
    const payload = Buffer.alloc(160);
    const decoded = new Int16Array(160);
    const events: DtmfEvent[] = [];
    for (let f = 0; f < 110; f++) {
      gen.generate(frame);
      enc.encode(frame, payload);
      dec.decode(payload, decoded);
      events.push(...det.process(decoded));
    }
    assert.equal(digits([...events, ...det.flush()]), '147*2580369#ABCD', codec.name);
  }
});
