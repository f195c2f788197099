// The phone engine on two real Phones over loopback: commands become SIP, state follows the
// calls, and the page's audio (16 kHz frames) reaches the peer at 8 kHz and back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PhoneHandsetEngine } from '../../../src/app/phone-engine.js';
import { CallAudioBridge, SampleFifo } from '../../../src/app/phone-engine-audio.js';
import { startPhone, toneSource, type Call, type Phone } from '../../../src/phone/index.js';
import { detectTone, parseWav } from '../../../src/media/index.js';
import { runEngineCommand, type HandsetState } from '../../../src/ui/index.js';
import { sleep, until } from '../../support/wait.js';



function addressOf(p: Phone): string {
  const a = p.options.stack.localAddress('udp');
  return `${a.host}:${a.port}`;
}

/** Two phones on loopback; `engine` runs on the first, the second is the far end. */
async function pair(t: { after(f: () => Promise<void>): void }): Promise<{ engine: PhoneHandsetEngine; near: Phone; far: Phone; dataDir: string }> {
  const near = await startPhone({ host: '127.0.0.1' });
  const far = await startPhone({ host: '127.0.0.1' });
  const dataDir = mkdtempSync(join(tmpdir(), 'handset-phone-engine-'));
  const engine = new PhoneHandsetEngine({ phone: near, dataDir, statsIntervalMs: 0 });
  t.after(async () => {
    await engine.close();
    await Promise.all([near.close(), far.close()]);
  });
  return { engine, near, far, dataDir };
}

/** A 16 kHz frame of `freq` Hz starting at sample `at`. */
function toneFrame(freq: number, at: number, n = 320, rate = 16000): Int16Array {
  const f = new Int16Array(n);
  for (let i = 0; i < n; i++) f[i] = Math.round(8000 * Math.sin((2 * Math.PI * freq * (at + i)) / rate));
  return f;
}

const callState = (s: HandsetState, i = 0): string | undefined => s.calls[i]?.state;

test('dial from the page: the far end answers, audio flows both ways through the 16 kHz page frames, hold, DTMF, record, hang up', async (t) => {
  const { engine, far, dataDir } = await pair(t);
  let farCall: Call | undefined;
  const heardFar: Int16Array[] = [];
  const digits: string[] = [];
  const holds: boolean[] = [];
  far.on('incoming', (c) => {
    farCall = c;
    c.play(toneSource(1200));
    c.listen({ write: (f) => void heardFar.push(f.slice()) });
    c.on('dtmf', (d) => digits.push(d.digit));
    c.on('held', (h) => holds.push(h.remote));
    c.answer();
  });
  const r = await runEngineCommand(engine, 'dial', { uri: `sip:bob@${addressOf(far)}` });
  assert.equal(r.ok, true, JSON.stringify(r));
  await until('answered', () => callState(engine.snapshot()) === 'active');
  const view = engine.snapshot().calls[0]!;
  assert.equal(view.direction, 'outgoing');
  assert.equal(view.codec, 'PCMU');
  assert.equal(view.hd, false);
  assert.ok(view.answeredAt !== null);

  const audio = engine.openAudio({ sampleRate: 16000, frameSamples: 320 });
  const speaker: number[] = [];
  for (let f = 0; f < 75; f++) {
    const out = audio.process(toneFrame(500, f * 320));
    assert.equal(out.length, 320, 'one speaker frame per microphone frame');
    speaker.push(...out);
    await sleep(20);
  }
  const lastHalf = speaker.slice(-8000);
  assert.ok(detectTone(lastHalf, 16000, 1200).ratio > 0.8, `the page hears the far end's 1200 Hz: ${detectTone(lastHalf, 16000, 1200).ratio}`);
  const farSamples = heardFar.slice(-25).flatMap((x) => [...x]);
  assert.ok(detectTone(farSamples, 8000, 500).ratio > 0.8, `the far end hears the page's 500 Hz: ${detectTone(farSamples, 8000, 500).ratio}`);

  assert.equal((await runEngineCommand(engine, 'mute', { on: true })).ok, true);
  for (let f = 0; f < 25; f++) {
    audio.process(toneFrame(500, f * 320));
    await sleep(20);
  }
  const whileMuted = heardFar.slice(-10).flatMap((x) => [...x]);
  assert.ok(Math.max(...whileMuted.map(Math.abs)) < 300, `muted: the far end hears silence (peak ${Math.max(...whileMuted.map(Math.abs))})`);
  assert.equal((await runEngineCommand(engine, 'mute', { on: false })).ok, true);
  assert.equal((await runEngineCommand(engine, 'dtmf', { digits: '5' })).ok, true);
  await until('DTMF at the far end', () => digits.includes('5'));

  assert.equal((await runEngineCommand(engine, 'record', {})).ok, true);
  assert.equal(engine.snapshot().calls[0]!.recording, true);
  await sleep(200);
  const rec = await runEngineCommand(engine, 'record', {});
  assert.equal(rec.ok, true);
  const wav = parseWav(await import('node:fs').then((fs) => fs.readFileSync(rec.ok ? (rec.value as string) : '')));
  assert.ok(wav.ok && wav.value.channels === 2 && wav.value.samples.length > 0, 'a two-channel WAV in the data dir');
  assert.ok((rec.ok ? (rec.value as string) : '').startsWith(join(dataDir, 'recordings')));

  assert.equal((await runEngineCommand(engine, 'hold', {})).ok, true);
  await until('held', () => callState(engine.snapshot()) === 'held');
  await until('far end sees hold', () => holds.includes(true));
  assert.ok(audio.process(toneFrame(500, 0)).every((x) => x === 0), 'a held call is not heard');
  assert.equal((await runEngineCommand(engine, 'hold', {})).ok, true);
  await until('resumed', () => callState(engine.snapshot()) === 'active');

  assert.equal((await runEngineCommand(engine, 'hangup', {})).ok, true);
  await until('ended', () => engine.snapshot().calls.length === 0);
  await until('far end ended', () => farCall?.state === 'ended');
  const h = engine.snapshot().history[0]!;
  assert.equal(h.kind, 'outgoing');
  assert.match(h.remoteUri, /^sip:bob@127\.0\.0\.1:/);
  audio.close();
});

test('an incoming call shows as incoming, Answer answers it, mute is local; a refused dial names the field; *43 is still the echo test', async (t) => {
  const { engine, near, far } = await pair(t);
  const placed = await far.dial(`sip:handset@${addressOf(near)}`);
  assert.ok(typeof placed !== 'string');
  await until('incoming', () => callState(engine.snapshot()) === 'incoming');
  assert.equal(engine.snapshot().calls[0]!.direction, 'incoming');
  assert.equal((await runEngineCommand(engine, 'answer', {})).ok, true);
  await until('active', () => callState(engine.snapshot()) === 'active' && placed.state === 'active');
  assert.equal((await runEngineCommand(engine, 'mute', {})).ok, true);
  assert.equal(engine.snapshot().calls[0]!.muted, true);
  placed.hangup();
  await until('ended', () => engine.snapshot().calls.length === 0);
  assert.equal(engine.snapshot().history[0]!.kind, 'incoming');

  const bad = await runEngineCommand(engine, 'dial', { uri: 'bob' });
  assert.equal(bad.ok, false);
  assert.equal(!bad.ok && bad.field, 'uri');

  assert.equal((await runEngineCommand(engine, 'dial', { uri: '*43' })).ok, true);
  assert.equal(engine.snapshot().calls[0]!.remoteName, 'Echo test');
  const audio = engine.openAudio({ sampleRate: 16000, frameSamples: 320 });
  const out: number[] = [];
  for (let f = 0; f < 60; f++) out.push(...audio.process(new Int16Array(320).fill(f + 1)));
  assert.equal(out[16000], 1, 'frame 0 comes back after one second');
  assert.equal((await runEngineCommand(engine, 'hangup', {})).ok, true);
  assert.deepEqual(engine.snapshot().calls, []);
  assert.ok(engine.commands.some((c) => c.name === 'reject') && engine.commands.some((c) => c.name === 'stop-recording'), "the phone's whole command table is there");
});

test('a missed call (the caller gives up) is a missed history row; DND without an account refuses with 486', async (t) => {
  const { engine, near, far } = await pair(t);
  const first = await far.dial(`sip:handset@${addressOf(near)}`);
  assert.ok(typeof first !== 'string');
  await until('incoming', () => callState(engine.snapshot()) === 'incoming');
  first.hangup();
  await until('missed', () => engine.snapshot().history[0]?.kind === 'missed');
  assert.equal((await runEngineCommand(engine, 'dnd', { on: true })).ok, true);
  const second = await far.dial(`sip:handset@${addressOf(near)}`);
  assert.ok(typeof second !== 'string');
  const end = await second.whenEnded();
  assert.equal(end.status, 486);
});

test('SampleFifo drops the oldest samples when full and pads reads with silence; the bridge answers with silence without a call', () => {
  const q = new SampleFifo(4);
  q.push(Int16Array.from([1, 2, 3, 4, 5, 6]));
  assert.equal(q.dropped, 2);
  const out = new Int16Array(6);
  assert.equal(q.read(out), 4);
  assert.deepEqual([...out], [3, 4, 5, 6, 0, 0]);
  const primed = new SampleFifo(100);
  const frame = new Int16Array(4);
  primed.push(Int16Array.from([1, 2, 3, 4, 5]));
  assert.equal(primed.readFrame(frame, 2), false, 'not primed: a frame plus 2 are needed');
  primed.push(Int16Array.from([6]));
  assert.equal(primed.readFrame(frame, 2), true);
  assert.deepEqual([...frame], [1, 2, 3, 4]);
  assert.equal(primed.readFrame(frame, 2), false, 'less than a frame left: silence, never a cut frame');
  assert.deepEqual([...frame], [0, 0, 0, 0]);
  primed.push(Int16Array.from([7, 8, 9]));
  assert.equal(primed.readFrame(frame, 2), false, 'ran dry: primes again');
  primed.push(Int16Array.from([10]));
  assert.equal(primed.readFrame(frame, 2), true);
  assert.deepEqual([...frame], [5, 6, 7, 8]);
  const bridge = new CallAudioBridge(16000, 320);
  assert.deepEqual([...bridge.process(new Int16Array(320).fill(7), undefined)], new Array(320).fill(0));
});

test('Conference merges the held and the current call: the page hears both parties, each party hears the page and the other', async (t) => {
  const { engine, far } = await pair(t);
  const carol = await startPhone({ host: '127.0.0.1' });
  t.after(() => carol.close());
  const heard = new Map<string, Int16Array[]>();
  for (const [p, freq] of [[far, 1200], [carol, 1800]] as const) {
    p.on('incoming', (c) => {
      c.play(toneSource(freq));
      const frames: Int16Array[] = [];
      heard.set(String(freq), frames);
      c.listen({ write: (f) => void frames.push(f.slice()) });
      c.answer();
    });
  }
  const audio = engine.openAudio({ sampleRate: 16000, frameSamples: 320 });
  let at = 0;
  const talk = async (ms: number): Promise<number[]> => {
    const out: number[] = [];
    for (let f = 0; f < ms / 20; f++, at += 320) {
      out.push(...audio.process(toneFrame(500, at)));
      await sleep(20);
    }
    return out;
  };
  assert.equal((await runEngineCommand(engine, 'dial', { uri: `sip:bob@${addressOf(far)}` })).ok, true);
  await until('bob answered', () => callState(engine.snapshot()) === 'active');
  await talk(200);
  assert.equal((await runEngineCommand(engine, 'dial', { uri: `sip:carol@${addressOf(carol)}` })).ok, true);
  await until('bob held, carol answered', () => callState(engine.snapshot(), 0) === 'held' && callState(engine.snapshot(), 1) === 'active');
  assert.equal((await runEngineCommand(engine, 'conference', {})).ok, true);
  await until('both active', () => engine.snapshot().calls.every((c) => c.state === 'active'));
  const out = await talk(1500);
  const tail = out.slice(-8000);
  const ratio = (xs: ArrayLike<number>, rate: number, f: number): number => detectTone(xs, rate, f).ratio;
  // Two tones of equal level: each holds about half the power.
  assert.ok(ratio(tail, 16000, 1200) > 0.3 && ratio(tail, 16000, 1800) > 0.3, `the page hears bob and carol: ${ratio(tail, 16000, 1200)}, ${ratio(tail, 16000, 1800)}`);
  const atBob = heard.get('1200')!.slice(-20).flatMap((f) => [...f]);
  const atCarol = heard.get('1800')!.slice(-20).flatMap((f) => [...f]);
  assert.ok(ratio(atBob, 8000, 500) > 0.2 && ratio(atBob, 8000, 1800) > 0.2, `bob hears the page and carol: ${ratio(atBob, 8000, 500)}, ${ratio(atBob, 8000, 1800)}`);
  assert.ok(ratio(atCarol, 8000, 500) > 0.2 && ratio(atCarol, 8000, 1200) > 0.2, `carol hears the page and bob: ${ratio(atCarol, 8000, 500)}, ${ratio(atCarol, 8000, 1200)}`);
  audio.close();
});

test('a second dial holds the first call; swap moves the talk between the lines; flash and redial reach the phone', async (t) => {
  const { engine, far } = await pair(t);
  const carol = await startPhone({ host: '127.0.0.1' });
  t.after(() => carol.close());
  for (const p of [far, carol]) p.on('incoming', (c) => c.answer());
  assert.equal((await runEngineCommand(engine, 'dial', { uri: `sip:bob@${addressOf(far)}` })).ok, true);
  await until('bob answered', () => callState(engine.snapshot()) === 'active');
  const bobId = engine.snapshot().calls[0]!.id;
  assert.equal((await runEngineCommand(engine, 'dial', { uri: `sip:carol@${addressOf(carol)}` })).ok, true);
  await until('bob held, carol talking', () => callState(engine.snapshot(), 0) === 'held' && callState(engine.snapshot(), 1) === 'active');
  assert.equal((await runEngineCommand(engine, 'swap', { callId: bobId })).ok, true);
  await until('carol held, bob talking', () => callState(engine.snapshot(), 0) === 'active' && callState(engine.snapshot(), 1) === 'held');
  const flash = await runEngineCommand(engine, 'flash', { callId: bobId });
  assert.equal(flash.ok, true, JSON.stringify(flash));
  assert.match(String(flash.ok && flash.value), /rfc4733/);
  const missing = await runEngineCommand(engine, 'swap', { callId: 'call-none' });
  assert.equal(!missing.ok && missing.field, 'callId');
  for (const id of engine.snapshot().calls.map((c) => c.id)) await runEngineCommand(engine, 'hangup', { callId: id });
  await until('all ended', () => engine.snapshot().calls.length === 0);
  assert.equal((await runEngineCommand(engine, 'redial', {})).ok, true, 'redial calls carol again');
  await until('carol again', () => engine.snapshot().calls[0]?.remoteUri.startsWith('sip:carol@') === true && callState(engine.snapshot()) === 'active');
});
