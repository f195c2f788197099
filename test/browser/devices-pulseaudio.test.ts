// Real (virtual) sound devices: Chromium on a private PulseAudio daemon, with Playwright's
// --mute-audio removed. Proves the page's audio reaches an output device, and that echo
// cancellation removes the page's own playback from the microphone.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';
import { LocalHandsetEngine } from '../../src/app/local-engine.js';
import { detectTone, goertzelPower } from '../../src/media/index.js';
import type { AudioSession, HandsetEngine } from '../../src/ui/index.js';
import { buildUi, CHROMIUM, CHROMIUM_FLAGS, chromiumMissing, openHandset, startServer, tempDir } from './support/chromium.js';
import { FakeEngine } from './support/fake-engine.js';
import { PulseAudio, pulseMissing } from './support/pulse.js';

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
  const heard = await speaker.stop();
  const w = 320;
  let toneWindows = 0;
  for (let i = 0; i + w <= heard.length; i += w) {
    const win = heard.subarray(i, i + w);
    if (detectTone(win, 16000, 1000).ratio > 0.8 && goertzelPower(win, 0, w, 1000, 16000) > 1e5) toneWindows++;
  }
  t.diagnostic(`the speaker device carried the echoed 1 kHz tone for ${toneWindows * 20} ms`);
  assert.ok(toneWindows >= 50, `the speaker device carried the echoed 1 kHz tone for ${toneWindows * 20} ms`);
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
  engine.set({ calls: [{ id: 'c1', direction: 'outgoing', state: 'active', remoteUri: 'sip:far@example.com', remoteName: 'Far end', answeredAt: Date.now(), codec: 'PCMU', hd: false, muted: false, recording: false, quality: null }] });
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
