// Real (virtual) sound devices: Chromium on a private PulseAudio daemon, with Playwright's
// --mute-audio removed. Proves the page's audio reaches an output device, that echo
// cancellation removes the page's own playback from the microphone, and that choosing another
// speaker or microphone during a call moves the audio there (and back when a device returns).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { LocalHandsetEngine } from '../../src/app/local-engine.js';
import { PhoneHandsetEngine } from '../../src/app/phone-engine.js';
import { startPhone, toneSource } from '../../src/phone/index.js';
import { detectTone, goertzelPower } from '../../src/media/index.js';
import type { AudioSession, HandsetEngine } from '../../src/ui/index.js';
import { buildUi, CHROMIUM, CHROMIUM_FLAGS, chromiumMissing, openHandset, startServer, tempDir } from './support/chromium.js';
import { FakeEngine } from './support/fake-engine.js';
import { PulseAudio, pulseMissing, SECOND_MICROPHONE } from './support/pulse.js';

const skip = chromiumMissing() ?? pulseMissing();
let pulse: PulseAudio;
let browser: Browser;

const tone = (freq: number, seconds: number, amplitude: number, rate = 16000): Int16Array =>
  Int16Array.from({ length: Math.round(seconds * rate) }, (_, i) => Math.round(amplitude * Math.sin((2 * Math.PI * freq * i) / rate)));

before(async () => {
  if (skip) return;
  buildUi();
  pulse = await PulseAudio.start(tempDir('pulse'));
  browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_FLAGS, '--use-fake-ui-for-media-stream'], env: pulse.env,
    // Playwright mutes audio output by default; device-level tests need it.
    ignoreDefaultArgs: ['--mute-audio'],
  });
});

after(async () => {
  await browser?.close();
  pulse?.stop();
});

/** 20 ms windows of `heard` that hold `freq` clearly (the rest may be silence or another tone). */
function toneMs(heard: Int16Array, freq: number, rate = 16000): number {
  const w = rate / 50;
  let n = 0;
  for (let i = 0; i + w <= heard.length; i += w) {
    const win = heard.subarray(i, i + w);
    if (detectTone(win, rate, freq).ratio > 0.8 && goertzelPower(win, 0, w, freq, rate) > 1e5) n++;
  }
  return n * 20;
}

/** Records both speakers into `heard` while `during` runs. */
async function phase(heard: Record<string, Int16Array>, name: string, during: () => Promise<void>): Promise<void> {
  const s1 = pulse.record('speaker.monitor');
  const s2 = pulse.record('speaker2.monitor');
  await during();
  heard[`${name}, speaker 1`] = await s1.stop();
  heard[`${name}, speaker 2`] = await s2.stop();
}

test('echo test on PulseAudio devices: the microphone tone comes out of the speaker device', { skip }, async (t) => {
  const server = await startServer(new LocalHandsetEngine());
  const speaker = pulse.record('speaker.monitor');
  const mic = pulse.play('micfeed', tone(1000, 8, 8000));
  try {
    await speaker.started;
    const { context, page } = await openHandset(browser, server, { echoCancellation: false, noiseSuppression: false, autoGainControl: false });
    await page.getByRole('button', { name: 'Echo test' }).click();
    await page.waitForTimeout(3500);
    await context.close();
  } finally {
    mic.kill();
    await server.close();
  }
  const ms = toneMs(await speaker.stop(), 1000);
  t.diagnostic(`the speaker device carried the echoed 1 kHz tone for ${ms} ms`);
  assert.ok(ms >= 1000, `the speaker device carried the echoed 1 kHz tone for ${ms} ms`);
});

/** Plays a 440 Hz far-end tone to the page and keeps the microphone frames it gets back. */
class FarEndToneEngine extends FakeEngine implements HandsetEngine {
  mic: Int16Array[] = [];

  override openAudio(o: { sampleRate: number; frameSamples: number }): AudioSession {
    let n = 0;
    const mic: Int16Array[] = (this.mic = []);
    return {
      ...o,
      process: (frame) => {
        mic.push(frame);
        const out = new Int16Array(o.frameSamples);
        for (let i = 0; i < out.length; i++, n++) out[i] = Math.round(6000 * Math.sin((2 * Math.PI * 440 * n) / o.sampleRate));
        return out;
      },
      close: () => undefined,
    };
  }
}

test('echo cancellation removes the page\'s own playback from the microphone (speaker looped into the mic)', { skip }, async (t) => {
  const engine = new FarEndToneEngine();
  engine.set({ calls: [{ id: 'c1', direction: 'outgoing', state: 'active', account: '', remoteUri: 'sip:far@example.com', remoteName: 'Far end', answeredAt: Date.now(), codec: 'PCMU', hd: false, muted: false, recording: false, quality: null }] });
  const server = await startServer(engine);
  // The acoustic path: what the speaker plays reaches the microphone.
  const loop = pulse.pactl('load-module', 'module-loopback', 'source=speaker.monitor', 'sink=micfeed', 'latency_msec=30');
  // And a near-end talker (1 kHz) that must get through: the canceller removes echo, not the user.
  const talker = pulse.play('micfeed', tone(1000, 20, 4000));
  try {
    const levels = async (echoCancellation: boolean): Promise<{ echo: number; talker: number }> => {
      const { context, page } = await openHandset(browser, server, { echoCancellation, noiseSuppression: false, autoGainControl: false });
      await page.waitForTimeout(5000);
      await context.close();
      // The last 2 s: after the canceller has converged.
      const frames = engine.mic.slice(-100);
      const all = new Int16Array(frames.length * 320);
      frames.forEach((f, i) => all.set(f, i * 320));
      assert.ok(frames.length >= 100, 'two seconds of microphone frames reached the engine');
      return { echo: goertzelPower(all, 0, all.length, 440, 16000), talker: goertzelPower(all, 0, all.length, 1000, 16000) };
    };
    const off = await levels(false);
    const on = await levels(true);
    const db = (a: number, b: number): number => 10 * Math.log10(a / Math.max(b, 1e-9));
    const reductionDb = db(off.echo, on.echo);
    const talkerLossDb = db(off.talker, on.talker);
    t.diagnostic(`at the engine, 440 Hz echo ${reductionDb.toFixed(1)} dB lower with echo cancellation; 1 kHz talker ${talkerLossDb.toFixed(1)} dB lower`);
    assert.ok(off.echo > 1e5, 'without echo cancellation the playback is clearly in the microphone');
    assert.ok(reductionDb > 15, `echo cancellation removed ${reductionDb.toFixed(1)} dB of it`);
    assert.ok(on.talker > 1e5 && talkerLossDb < 10, `the near-end talker got through (${talkerLossDb.toFixed(1)} dB lower)`);
  } finally {
    talker.kill();
    pulse.pactl('unload-module', loop);
    await server.close();
  }
});

/** Chromium learns of PulseAudio's virtual devices coming and going from no udev event: tell the page as the browser would. */
const deviceChange = (page: Page): Promise<void> => page.evaluate(() => void (globalThis as unknown as { navigator: { mediaDevices: EventTarget } }).navigator.mediaDevices.dispatchEvent(new Event('devicechange')));

test('devices switched during a call: the echo moves to the chosen speaker, then the chosen microphone is heard; a lost microphone falls back to the default and is taken again when it comes back', { skip, timeout: 60_000 }, async (t) => {
  const engine = new LocalHandsetEngine();
  const server = await startServer(engine);
  // Microphone 1 says 1 kHz, microphone 2 says 700 Hz.
  const mic1 = pulse.play('micfeed', tone(1000, 40, 8000));
  const mic2 = pulse.play('micfeed2', tone(700, 40, 8000));
  const heard: Record<string, Int16Array> = {};
  try {
    const { context, page } = await openHandset(browser, server, { echoCancellation: false, noiseSuppression: false, autoGainControl: false });
    try {
      const form = page.getByRole('form', { name: 'Audio settings' });
      await phase(heard, 'before', async () => {
        await page.getByRole('button', { name: 'Echo test' }).click();
        await page.getByRole('tab', { name: 'Settings' }).click();
        await page.waitForTimeout(3500);
      });
      await phase(heard, 'speaker 2 chosen', async () => {
        await form.getByLabel('Speaker').selectOption({ label: 'HandsetSpeaker2' });
        await page.waitForTimeout(3000);
      });
      await phase(heard, 'microphone 2 chosen', async () => {
        await form.getByLabel('Microphone').selectOption({ label: 'HandsetMic2' });
        await page.waitForTimeout(3000);
      });
      const module = pulse.pactl('list', 'short', 'modules').split('\n').find((l) => l.includes('source_name=mic2'))!.split('\t')[0]!;
      await phase(heard, 'microphone 2 gone', async () => {
        pulse.pactl('unload-module', module);
        await page.waitForTimeout(300);
        await deviceChange(page);
        await page.waitForTimeout(3000);
      });
      // Chromium lists a returning device once its own enumeration catches up (a second or
      // more): wait until the page lists it, then hear what the call carries.
      pulse.pactl('load-module', ...SECOND_MICROPHONE);
      const chosen = form.getByLabel('Microphone').locator('option:checked');
      for (const end = Date.now() + 15_000; (await chosen.textContent()) !== 'HandsetMic2' && Date.now() < end;) {
        await page.waitForTimeout(500);
        await deviceChange(page);
      }
      assert.equal(await chosen.textContent(), 'HandsetMic2', 'the remembered microphone is selected again once it is listed');
      await phase(heard, 'microphone 2 back', () => page.waitForTimeout(3000));
      assert.equal(engine.snapshot().calls.length, 1, 'the call went on through all of it');
    } finally {
      await context.close();
    }
  } finally {
    mic1.kill();
    mic2.kill();
    await server.close();
  }
  const ms = Object.fromEntries(Object.entries(heard).map(([k, v]) => [k, { '1000 Hz': toneMs(v, 1000), '700 Hz': toneMs(v, 700) }]));
  t.diagnostic(`tone per phase and device (ms): ${JSON.stringify(ms)}`);
  const at = (k: string, f: '1000 Hz' | '700 Hz'): number => ms[k]![f];
  // (An idle null sink's monitor starts delivering a second or more late: 0.8 s of 3 is enough.)
  assert.ok(at('before, speaker 1', '1000 Hz') >= 800 && at('before, speaker 2', '1000 Hz') === 0, 'at first the echo of microphone 1 played on speaker 1 only');
  assert.ok(at('speaker 2 chosen, speaker 2', '1000 Hz') >= 800, 'after choosing speaker 2 the echo played there');
  assert.ok(at('speaker 2 chosen, speaker 1', '1000 Hz') <= 500, 'and speaker 1 fell silent (but for the moment of the switch)');
  assert.ok(at('microphone 2 chosen, speaker 2', '700 Hz') >= 800, 'after choosing microphone 2 its 700 Hz was echoed on speaker 2');
  assert.equal(at('microphone 2 chosen, speaker 1', '700 Hz'), 0, 'never on speaker 1');
  assert.ok(at('microphone 2 gone, speaker 2', '1000 Hz') >= 800, 'with microphone 2 gone the default microphone (1 kHz) was heard');
  assert.ok(at('microphone 2 back, speaker 2', '700 Hz') >= 800, 'microphone 2 was taken again when it came back');
});

test('devices switched during a SIP call to another Handset: its 440 Hz moves to the chosen speaker, it hears the chosen microphone', { skip, timeout: 60_000 }, async (t) => {
  const phone = await startPhone({ host: '127.0.0.1' });
  const engine = new PhoneHandsetEngine({ phone, statsIntervalMs: 0 });
  const server = await startServer(engine);
  const bob = await startPhone({ host: '127.0.0.1' });
  // What bob hears, 8 kHz frames stamped with the phase they arrived in.
  let bobPhase = '';
  const bobHeard: Record<string, Int16Array[]> = {};
  bob.on('incoming', (c) => {
    c.play(toneSource(440));
    c.listen({ write: (f) => void (bobHeard[bobPhase] ??= []).push(f.slice()) });
    c.answer();
  });
  const mic1 = pulse.play('micfeed', tone(1000, 40, 8000));
  const mic2 = pulse.play('micfeed2', tone(700, 40, 8000));
  const heard: Record<string, Int16Array> = {};
  try {
    const { context, page } = await openHandset(browser, server, { echoCancellation: false, noiseSuppression: false, autoGainControl: false });
    try {
      const form = page.getByRole('form', { name: 'Audio settings' });
      const sip = bob.options.stack.localAddress('udp');
      await page.getByLabel('Number to dial').fill(`sip:bob@${sip.host}:${sip.port}`);
      await page.getByRole('button', { name: 'Call', exact: true }).click();
      for (const end = Date.now() + 10_000; engine.snapshot().calls[0]?.state !== 'active'; await page.waitForTimeout(50)) assert.ok(Date.now() < end, 'the call is answered');
      await page.getByRole('tab', { name: 'Settings' }).click();
      await phase(heard, 'before', async () => {
        bobPhase = 'before';
        await page.waitForTimeout(3000);
      });
      await phase(heard, 'speaker 2 chosen', async () => {
        await form.getByLabel('Speaker').selectOption({ label: 'HandsetSpeaker2' });
        bobPhase = 'speaker 2 chosen';
        await page.waitForTimeout(3000);
      });
      await phase(heard, 'microphone 2 chosen', async () => {
        await form.getByLabel('Microphone').selectOption({ label: 'HandsetMic2' });
        await page.waitForTimeout(500);
        bobPhase = 'microphone 2 chosen';
        await page.waitForTimeout(2500);
      });
      assert.equal(engine.snapshot().calls[0]?.state, 'active', 'the call went on through both switches');
      await page.getByRole('button', { name: 'Hang up' }).click();
    } finally {
      await context.close();
    }
  } finally {
    mic1.kill();
    mic2.kill();
    await server.close();
    await engine.close();
    await bob.close();
    await phone.close();
  }
  const join = (frames: Int16Array[] = []): Int16Array => {
    const all = new Int16Array(frames.reduce((n, f) => n + f.length, 0));
    frames.reduce((o, f) => (all.set(f, o), o + f.length), 0);
    return all;
  };
  const speakers = Object.fromEntries(Object.entries(heard).map(([k, v]) => [k, toneMs(v, 440)]));
  const atBob = Object.fromEntries(Object.entries(bobHeard).map(([k, v]) => [k, { '1000 Hz': toneMs(join(v), 1000, 8000), '700 Hz': toneMs(join(v), 700, 8000) }]));
  t.diagnostic(`bob's 440 Hz on each speaker (ms): ${JSON.stringify(speakers)}; what bob heard (ms): ${JSON.stringify(atBob)}`);
  assert.ok(speakers['before, speaker 1']! >= 800 && speakers['before, speaker 2'] === 0, 'bob was heard on speaker 1 only');
  assert.ok(speakers['speaker 2 chosen, speaker 2']! >= 800, 'after choosing speaker 2 bob was heard there');
  assert.ok(speakers['speaker 2 chosen, speaker 1']! <= 500 && speakers['microphone 2 chosen, speaker 1'] === 0, 'and no longer on speaker 1');
  assert.ok(atBob['before']!['1000 Hz'] >= 2000, 'bob heard microphone 1');
  assert.ok(atBob['microphone 2 chosen']!['700 Hz'] >= 1500 && atBob['microphone 2 chosen']!['1000 Hz'] === 0, 'after choosing microphone 2 bob heard it, and only it');
});
