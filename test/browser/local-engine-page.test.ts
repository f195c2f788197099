// The page against today's local engine in real Chromium: the built-in echo test (a tone with
// processing off, speech with processing on), settings errors that name the field, contacts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { LocalHandsetEngine } from '../../src/app/local-engine.js';
import { crossCorrelation, detectTone, parseWav } from '../../src/media/index.js';
import type { HandsetServer } from '../../src/ui/index.js';
import { buildUi, chromiumMissing, launchChromium, openHandset, readTap, soxWav, startServer, startTap, tempDir } from './support/chromium.js';

const skip = chromiumMissing();
let toneBrowser: Browser;
let speechBrowser: Browser;
let server: HandsetServer;
let speech: Int16Array;

before(async () => {
  if (skip) return;
  buildUi();
  const dir = tempDir('echo');
  // 0.3 s of silence, then 4 s of 1 kHz: the onset shows when the echo arrives.
  const tone = soxWav(dir, 'tone.wav', ['synth', '4', 'sine', '1000', 'pad', '0.3']);
  spawnSync('espeak-ng', ['-w', join(dir, 'speech-raw.wav'), 'Handset echo test. One two three four five. The quick brown fox jumps over the lazy dog.']);
  const sox = spawnSync('sox', [join(dir, 'speech-raw.wav'), '-r', '16000', '-c', '1', '-b', '16', join(dir, 'speech.wav'), 'pad', '0.3']);
  assert.equal(sox.status, 0, 'espeak-ng and sox make the speech file');
  const parsed = parseWav(readFileSync(join(dir, 'speech.wav')));
  assert.ok(parsed.ok);
  speech = parsed.value.samples;
  server = await startServer(new LocalHandsetEngine());
  [toneBrowser, speechBrowser] = await Promise.all([launchChromium(tone), launchChromium(join(dir, 'speech.wav'))]);
});

after(async () => {
  await toneBrowser?.close();
  await speechBrowser?.close();
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
  const { context, page } = await openHandset(toneBrowser, server, { echoCancellation: false, noiseSuppression: false, autoGainControl: false });
  try {
    await startTap(page);
    for (const key of ['*', '4', '3']) await page.getByRole('button', { name: key, exact: true }).click();
    assert.equal(await page.getByLabel('Number to dial').inputValue(), '*43');
    await page.getByRole('button', { name: 'Call', exact: true }).click();
    await page.getByText('Echo test', { exact: true }).first().waitFor();
    await page.waitForTimeout(3500);
    const tap = await readTap(page);
    const onset = toneOnset(tap.samples, tap.sampleRate);
    assert.ok(onset > 0, 'the 1 kHz tone came back');
    const onsetMs = (onset / tap.sampleRate) * 1000;
    t.diagnostic(`echo onset ${onsetMs.toFixed(0)} ms after dialling, ${tap.underruns} playback underruns`);
    // 1 s delay line + microphone start-up + 0.3 s of leading silence + ~40 ms jitter buffer.
    assert.ok(onsetMs >= 1000 && onsetMs < 3000, `echo arrived ${onsetMs.toFixed(0)} ms after dialling`);
    const after = tap.samples.slice(onset, onset + tap.sampleRate / 2);
    assert.ok(detectTone(after, tap.sampleRate, 1000).ratio > 0.9, 'half a second of clean tone follows the onset');
    await page.getByRole('button', { name: 'Hang up' }).click();
    await page.getByText('Idle', { exact: true }).waitFor();
  } finally {
    await context.close();
  }
});

/** Lag (samples) of `b` behind `a` from 10 ms energy envelopes, then refined on the waveform. */
function correlateDelayed(a: Int16Array, b: number[], rate: number): { lag: number; coefficient: number } {
  const block = rate / 100;
  const env = (x: ArrayLike<number>): number[] => {
    const out: number[] = [];
    for (let i = 0; i + block <= x.length; i += block) {
      let e = 0;
      for (let j = i; j < i + block; j++) e += Math.abs(x[j]!);
      out.push(e / block);
    }
    return out;
  };
  const ea = env(a);
  const eb = env(b);
  const coarse = crossCorrelation(ea, eb, Math.max(0, eb.length - ea.length));
  const start = Math.max(0, coarse.lag * block - 2 * block);
  const fine = crossCorrelation(a, b.slice(start), 4 * block);
  return { lag: start + fine.lag, coefficient: fine.coefficient };
}

/**
 * Median correlation over 100 ms windows that hold speech: AGC changes the gain over time, and a
 * playback underrun or a trimmed backlog shifts the rest by a frame, so each window searches ±40 ms.
 */
function windowedCorrelation(a: Int16Array, b: number[], lag: number, rate: number): number {
  const w = rate / 10;
  const slack = rate / 25;
  const cs: number[] = [];
  for (let i = 0; i + w <= a.length; i += w) {
    const win = a.subarray(i, i + w);
    if (Math.sqrt(win.reduce((s, x) => s + x * x, 0) / w) < 300) continue;
    cs.push(crossCorrelation(win, b.slice(Math.max(0, lag + i - slack), lag + i + w + slack), 2 * slack).coefficient);
  }
  cs.sort((x, y) => x - y);
  return cs[cs.length >> 1] ?? 0;
}

test('echo test with echo cancellation, noise suppression and AGC on: speech comes back recognisably (correlation)', { skip }, async (t) => {
  const { context, page } = await openHandset(speechBrowser, server, { echoCancellation: true, noiseSuppression: true, autoGainControl: true });
  try {
    await startTap(page);
    await page.getByRole('button', { name: 'Echo test' }).click();
    await page.getByText('Echo test', { exact: true }).first().waitFor();
    await page.waitForTimeout(1500 + (speech.length / 16000) * 1000 + 1000);
    const tap = await readTap(page);
    const r = correlateDelayed(speech, tap.samples, tap.sampleRate);
    const windowed = windowedCorrelation(speech, tap.samples, r.lag, tap.sampleRate);
    t.diagnostic(`speech echo at ${((r.lag / tap.sampleRate) * 1000).toFixed(0)} ms: correlation ${r.coefficient.toFixed(3)} overall, ${windowed.toFixed(3)} median over 100 ms windows`);
    assert.ok(windowed > 0.7, `windowed speech correlation ${windowed.toFixed(3)}`);
    assert.ok(r.lag / tap.sampleRate >= 1, 'and it comes back at least a second later');
    await page.getByRole('button', { name: 'Hang up' }).click();
  } finally {
    await context.close();
  }
});

test('settings: account and call-setting errors name the field; contacts are added; empty views say why', { skip }, async () => {
  const { context, page } = await openHandset(toneBrowser, server);
  try {
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByText('No accounts can register yet').waitFor();
    const account = page.getByRole('form', { name: 'Add account' });
    await account.getByLabel('SIP address').fill('alice@example.com');
    await account.getByLabel('Password').fill('secret');
    await account.getByRole('button', { name: 'Add account' }).click();
    const aor = account.getByLabel('SIP address');
    await page.waitForFunction(() => (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(n: string): string | null } | null } })
      .document.querySelector('#account-form [name="aor"]')?.getAttribute('aria-invalid') === 'true');
    assert.equal(await aor.getAttribute('aria-invalid'), 'true');
    assert.match(await page.locator('#account-form-aor-error').innerText(), /aor: "alice@example.com" is not a sip: or sips: URI/);
    const calls = page.getByRole('form', { name: 'Call settings' });
    await calls.getByLabel('Codec order').fill('PCMU,G729');
    await calls.getByRole('button', { name: 'Save call settings' }).click();
    await page.locator('#call-settings-codecOrder-error').filter({ hasText: 'unknown codec "G729"' }).waitFor();
    await page.getByRole('tab', { name: 'Contacts' }).click();
    const contact = page.getByRole('form', { name: 'Add contact' });
    await contact.getByLabel('Name').fill('Bob');
    await contact.getByLabel('SIP address').fill('sip:bob@example.com');
    await contact.getByRole('button', { name: 'Save contact' }).click();
    await page.getByRole('button', { name: 'Call Bob' }).waitFor();
    await page.getByRole('tab', { name: 'History' }).click();
    await page.getByText('No call history yet: history needs the phone core').waitFor();
    await page.getByRole('tab', { name: 'Diagnostics' }).click();
    await page.getByText('No SIP ladder: signalling needs the phone core').waitFor();
  } finally {
    await context.close();
  }
});
