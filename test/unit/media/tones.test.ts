import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cadence,
  cadenceIsOn,
  detectTone,
  sineAmplitude,
  sound,
  tonePlanFor,
  tonePlans,
  ToneGenerator,
  type CallProgressTone,
} from '../../../src/media/index.js';

const RATE = 8000;

function play(region: string, tone: CallProgressTone, ms: number, sampleRate = RATE): Int16Array {
  const out = new Int16Array((ms * sampleRate) / 1000);
  new ToneGenerator(tonePlanFor(region)!.tones[tone], { sampleRate }).generate(out);
  return out;
}

/** On/off pattern in 50 ms blocks (1 = sound), from block energy. */
function pattern(x: Int16Array, blockMs = 50, sampleRate = RATE): string {
  const n = (blockMs * sampleRate) / 1000;
  let s = '';
  for (let i = 0; i + n <= x.length; i += n) {
    let e = 0;
    for (let j = i; j < i + n; j++) e += x[j]! * x[j]!;
    s += e / n > 1e5 ? '1' : '0';
  }
  return s;
}

const run = (c: string, n: number): string => c.repeat(n);

test('every region has all five call-progress tones and a ring cadence', () => {
  for (const region of ['us', 'uk', 'etsi', 'de', 'fr', 'jp']) {
    const plan = tonePlans[region]!;
    assert.equal(plan.region, region);
    for (const t of ['dial', 'ringback', 'busy', 'congestion', 'callWaiting'] as const) {
      assert.ok(plan.tones[t].segments.length > 0, `${region} ${t}`);
    }
    assert.ok(plan.ringCadenceMs.length >= 2);
  }
  assert.equal(tonePlanFor('UK'), tonePlans.uk);
  assert.equal(tonePlanFor('toString'), undefined);
  assert.equal(tonePlanFor('xx'), undefined);
});

test('US dial tone: continuous 350 + 440 Hz at -16 dBov per component', () => {
  const x = play('us', 'dial', 1000);
  assert.equal(pattern(x), run('1', 20));
  const a = detectTone(x, RATE, 350);
  const b = detectTone(x, RATE, 440);
  assert.ok(a.ratio + b.ratio > 0.98);
  const expected = sineAmplitude(-16) ** 2 / 2;
  assert.ok(Math.abs(10 * Math.log10(a.power / expected)) < 0.3);
});

test('US ringback: 440 + 480 Hz, 2 s on, 4 s off, repeating', () => {
  const x = play('us', 'ringback', 12000);
  assert.equal(pattern(x), (run('1', 40) + run('0', 80)).repeat(2));
  const on = x.subarray(0, 16000);
  assert.ok(detectTone(on, RATE, 440).ratio + detectTone(on, RATE, 480).ratio > 0.98);
});

test('UK ringback: 400 + 450 Hz double ring 0.4/0.2/0.4/2.0 s', () => {
  assert.equal(pattern(play('uk', 'ringback', 3000)), run('1', 8) + run('0', 4) + run('1', 8) + run('0', 40));
});

test('busy and congestion cadences per region', () => {
  assert.equal(pattern(play('us', 'busy', 2000)), (run('1', 10) + run('0', 10)).repeat(2));
  assert.equal(pattern(play('us', 'congestion', 1000)), (run('1', 5) + run('0', 5)).repeat(2));
  assert.equal(pattern(play('etsi', 'busy', 2000)), (run('1', 10) + run('0', 10)).repeat(2));
  assert.equal(pattern(play('fr', 'congestion', 1000), 50), (run('1', 5) + run('0', 5)).repeat(2));
  assert.equal(pattern(play('de', 'busy', 1920), 10).length, 192);
  assert.equal(pattern(play('de', 'busy', 1920), 10), (run('1', 48) + run('0', 48)).repeat(2));
  assert.equal(pattern(play('uk', 'congestion', 1500), 25), run('1', 16) + run('0', 14) + run('1', 9) + run('0', 21));
  const de = play('de', 'ringback', 1000);
  assert.ok(detectTone(de, RATE, 425).ratio > 0.98);
  assert.ok(detectTone(play('fr', 'dial', 500), RATE, 440).ratio > 0.98);
});

test('call waiting: US 440 Hz beep of 300 ms, then silence', () => {
  const x = play('us', 'callWaiting', 1000);
  assert.equal(pattern(x), run('1', 6) + run('0', 14));
});

test('modulated tone (Japan ringback 400×16): carrier and 16 Hz sidebands, 16 Hz envelope', () => {
  const x = play('jp', 'ringback', 1000);
  const carrier = detectTone(x, RATE, 400).power;
  const upper = detectTone(x, RATE, 416).power;
  const lower = detectTone(x, RATE, 384).power;
  // Full-depth AM: each sideband has half the carrier amplitude, -6 dB in power.
  assert.ok(Math.abs(10 * Math.log10(upper / carrier) + 6) < 0.5, `upper ${10 * Math.log10(upper / carrier)}`);
  assert.ok(Math.abs(10 * Math.log10(lower / carrier) + 6) < 0.5);
  // The envelope 0.5 - 0.5 cos(2π 16 t) closes every 62.5 ms (500 samples) and peaks between.
  for (let k = 1; k < 16; k++) {
    const near = (c: number): number => Math.max(...Array.from(x.subarray(c - 8, c + 8), Math.abs));
    assert.ok(near(k * 500) < 400, `envelope minimum at ${k * 62.5} ms`);
    assert.ok(near(k * 500 + 250) > 5000, `envelope peak at ${k * 62.5 + 31.25} ms`);
  }
});

test('output is phase-continuous across frames of any size and any sample rate', () => {
  for (const sampleRate of [8000, 16000, 44100, 48000]) {
    const spec = cadence(sound(350, 440), 130, 70);
    const whole = new Int16Array(sampleRate / 2);
    new ToneGenerator(spec, { sampleRate }).generate(whole);
    const parts = new Int16Array(whole.length);
    const g = new ToneGenerator(spec, { sampleRate });
    for (let i = 0; i < parts.length; i += 97) g.generate(parts, Math.min(97, parts.length - i), i);
    assert.deepEqual(parts, whole, `${sampleRate} Hz`);
    assert.ok(detectTone(whole.subarray(0, (sampleRate * 120) / 1000), sampleRate, 440).ratio > 0.4);
  }
});

test('a non-repeating spec finishes and then writes silence; continuous never finishes', () => {
  const g = new ToneGenerator({ segments: [{ ms: 10, sound: sound(1000) }], repeat: false }, { sampleRate: RATE });
  const out = new Int16Array(160).fill(7);
  assert.equal(g.generate(out), 80);
  assert.ok(g.finished);
  assert.ok(out.subarray(80).every((v) => v === 0));
  const dial = new ToneGenerator(tonePlans.us!.tones.dial, { sampleRate: RATE });
  dial.generate(new Int16Array(80000));
  assert.equal(dial.finished, false);
  assert.equal(dial.elapsedMs, 10000);
});

test('segment edges are ramped: no full-amplitude step at a cadence switch', () => {
  const x = play('us', 'busy', 1000);
  assert.ok(Math.abs(x[0]!) < 100);
  assert.ok(Math.abs(x[3999]!) < 1000, 'last sample of the on period');
});

test('ring cadence: on/off lookup over repeating periods', () => {
  const uk = tonePlans.uk!.ringCadenceMs;
  assert.equal(cadenceIsOn(uk, 0), true);
  assert.equal(cadenceIsOn(uk, 450), false);
  assert.equal(cadenceIsOn(uk, 700), true);
  assert.equal(cadenceIsOn(uk, 1500), false);
  assert.equal(cadenceIsOn(uk, 3000 + 100), true);
  assert.equal(cadenceIsOn(tonePlans.us!.ringCadenceMs, 2500), false);
  assert.equal(cadenceIsOn([], 10), false);
});
