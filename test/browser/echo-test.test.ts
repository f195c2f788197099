// The built-in echo test in real Chromium: a 1 kHz tone from the fake microphone goes to the
// engine in 20 ms frames and comes back to the playback worklet about a second later.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { LocalHandsetEngine } from '../../src/app/local-engine.js';
import { detectTone } from '../../src/media/index.js';
import type { HandsetServer } from '../../src/ui/index.js';
import { buildUi, chromiumMissing, launchChromium, openHandset, readTap, soxWav, startServer, startTap, tempDir } from './support/chromium.js';

const skip = chromiumMissing();
let browser: Browser;
let server: HandsetServer;
let micWav: string;

before(async () => {
  if (skip) return;
  buildUi();
  // 0.3 s of silence, then 4 s of 1 kHz: the onset shows when the echo arrives.
  micWav = soxWav(tempDir('echo'), 'tone.wav', ['synth', '4', 'sine', '1000', 'pad', '0.3']);
  server = await startServer(new LocalHandsetEngine());
  browser = await launchChromium(micWav);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** First 20 ms window (index into samples) where the 1 kHz tone dominates. */
function toneOnset(samples: number[], rate: number): number {
  const w = rate / 50;
  for (let i = 0; i + w <= samples.length; i += w) {
    const chunk = samples.slice(i, i + w);
    if (detectTone(chunk, rate, 1000).ratio > 0.8 && Math.max(...chunk.map(Math.abs)) > 1000) return i;
  }
  return -1;
}

test('echo test (*43 on the keypad, then Call) plays the microphone back after about a second', { skip }, async (t) => {
  const { context, page } = await openHandset(browser, server, { echoCancellation: false, noiseSuppression: false, autoGainControl: false });
  try {
    await startTap(page);
    for (const key of ['*', '4', '3']) await page.getByRole('button', { name: key, exact: true }).click();
    assert.equal(await page.getByLabel('Number to dial').inputValue(), '*43');
    await page.getByRole('button', { name: 'Call', exact: true }).click();
    await page.getByText('Echo test', { exact: true }).first().waitFor();
    await page.waitForTimeout(3000);
    const tap = await readTap(page);
    const onset = toneOnset(tap.samples, tap.sampleRate);
    assert.ok(onset > 0, 'the 1 kHz tone came back');
    const onsetMs = (onset / tap.sampleRate) * 1000;
    t.diagnostic(`echo onset ${onsetMs.toFixed(0)} ms after dialling, ${tap.underruns} playback underruns`);
    // 1 s delay line + microphone start-up + 0.3 s of leading silence + ~40 ms jitter buffer.
    assert.ok(onsetMs >= 1000 && onsetMs < 2600, `echo arrived ${onsetMs.toFixed(0)} ms after dialling`);
    const after = tap.samples.slice(onset, onset + tap.sampleRate / 2);
    assert.ok(detectTone(after, tap.sampleRate, 1000).ratio > 0.9, 'half a second of clean tone follows the onset');
    await page.getByRole('button', { name: 'Hang up' }).click();
    await page.getByText('Idle', { exact: true }).waitFor();
  } finally {
    await context.close();
  }
});
