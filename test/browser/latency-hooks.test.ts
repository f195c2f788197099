// The page's latency hooks (used by bench/ui-latency.ts) in real Chromium, on the echo test with
// no delay: inert unless the page turns them on; when on, each marked microphone frame reaches
// the engine as a loud burst and comes back rendered, within the 40 ms the page may add.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { LocalHandsetEngine } from '../../src/app/local-engine.js';
import { runEngineCommand, type HandsetServer } from '../../src/ui/index.js';
import { buildUi, chromiumMissing, launchChromium, micObservingUpgrade, openHandset, soxWav, startServer, tempDir } from './support/chromium.js';

const skip = chromiumMissing();
const EVERY = 15;
let browser: Browser;
let server: HandsetServer;
let engine: LocalHandsetEngine;
/** The loudest sample of each microphone frame the engine received. */
const micPeaks: number[] = [];

interface LatencyHooks {
  latencyMarkers(everyFrames: number): void;
  latency(): { markersCaptured: number[]; markersRendered: { renderedAt: number; outputAt: number }[] };
}
type HooksPage = { handsetTest: LatencyHooks };
const markers = (page: Page, every: number): Promise<void> => page.evaluate((n) => (globalThis as unknown as HooksPage).handsetTest.latencyMarkers(n), every);
const log = (page: Page): Promise<ReturnType<LatencyHooks['latency']>> => page.evaluate(() => (globalThis as unknown as HooksPage).handsetTest.latency());

before(async () => {
  if (skip) return;
  buildUi();
  const upgrade = micObservingUpgrade((f) => micPeaks.push(f.samples.reduce((m, v) => Math.max(m, Math.abs(v)), 0)));
  engine = new LocalHandsetEngine();
  server = await startServer(engine, upgrade);
  browser = await launchChromium(soxWav(tempDir('latency-hooks'), 'silence.wav', ['synth', '20', 'sine', '440', 'vol', '0']));
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('latency markers: off by default, then marked frames reach the engine and come back rendered within 40 ms', { skip, timeout: 30_000 }, async (t) => {
  const { context, page } = await openHandset(browser, server, { echoCancellation: false, noiseSuppression: false, autoGainControl: false });
  try {
    await runEngineCommand(engine, 'echo-test', { delayMs: 0 });
    await page.waitForTimeout(1500);
    const quiet = await log(page);
    assert.ok(micPeaks.length > 40, `microphone frames flow (${micPeaks.length})`);
    // sox dithers the silent file by a few units.
    assert.ok(Math.max(...micPeaks) < 100, `without the hook the silent microphone arrives as silence (${Math.max(...micPeaks)})`);
    assert.deepEqual([quiet.markersCaptured.length, quiet.markersRendered.length], [0, 0], 'nothing is logged while the hook is off');

    micPeaks.length = 0;
    await markers(page, EVERY);
    await page.waitForTimeout(4000);
    await markers(page, 0);
    await page.waitForTimeout(300);
    const on = await log(page);
    const loud = micPeaks.filter((p) => p > 10_000).length;
    const frames = micPeaks.length;
    assert.ok(Math.abs(loud - frames / EVERY) <= 2, `one frame in ${EVERY} carries the marker (${loud} of ${frames})`);
    assert.ok(on.markersCaptured.length >= 10 && Math.abs(on.markersCaptured.length - loud) <= 1, `each marker is stamped as captured (${on.markersCaptured.length})`);
    assert.ok(Math.abs(on.markersRendered.length - on.markersCaptured.length) <= 1, `each echoed marker is seen as rendered (${on.markersRendered.length})`);
    // Captured → echoed → rendered: the page's share of both directions (WebSocket both ways plus the playback cushion).
    const delays = on.markersRendered.map((r) => r.renderedAt - Math.max(...on.markersCaptured.filter((c) => c <= r.renderedAt)));
    const sorted = delays.filter(Number.isFinite).sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    t.diagnostic(`marker captured → echoed → rendered: median ${median.toFixed(1)} ms, max ${sorted[sorted.length - 1]!.toFixed(1)} ms over ${sorted.length} markers`);
    assert.ok(sorted.length >= 10 && median > 0 && median < 40, `the page's round trip stays within 40 ms (median ${median})`);

    micPeaks.length = 0;
    await page.waitForTimeout(1000);
    assert.ok(micPeaks.length > 20 && Math.max(...micPeaks) < 100, 'turned off again, the microphone is left alone');
  } finally {
    await context.close();
  }
});
